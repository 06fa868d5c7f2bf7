#include "audit/deps/matcher.h"

#include <gtest/gtest.h>

#include "audit/deps/name.h"
#include "corpus.h"

namespace rampart::audit::deps {
namespace {

class MatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/rampart-cache-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    cache_ = tmpl;
    auto db = AdvisoryDatabase::open(testing::fixture("osv"), cache_);
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_.emplace(std::move(*db));
  }
  void TearDown() override { std::filesystem::remove_all(cache_); }

  // "ID fix=X clears=Y pkgfix=Z [legacy]" per finding.
  std::vector<std::string> audit(const std::string& name, const std::string& version,
                                 const std::string& specifier = "") {
    Inventory inv;
    Dependency d;
    d.name = name;
    d.key = normalize_name(name);
    d.version = version;
    d.specifier = specifier;
    inv.deps.push_back(d);
    auto findings = match_inventory(inv, *db_);
    EXPECT_TRUE(findings.ok());
    std::vector<std::string> out;
    for (const auto& f : *findings) {
      std::string s = f.id + " " + severity_name(f.severity);
      if (f.unpinned) s += " range=" + f.vulnerable_range;
      s += " fix=" + f.fix_version + " clears=" + (f.fix_clears_all ? "yes" : "no") +
           " pkgfix=" + f.package_fix;
      if (f.legacy_comparison) s += " legacy";
      out.push_back(s);
    }
    return out;
  }

  std::string cache_;
  std::optional<AdvisoryDatabase> db_;
};

using V = std::vector<std::string>;

TEST_F(MatcherTest, IntroducedAndFixedWithUpgradeThatClearsEverything) {
  EXPECT_EQ(audit("Demo-Pkg", "1.1.0"),
            (V{"RAMP-2024-0001 critical fix=1.2.0 clears=yes pkgfix=1.2.0"}));
}

TEST_F(MatcherTest, FixThatDoesNotClearTheOtherAdvisory) {
  EXPECT_EQ(audit("demo_pkg", "2.0.1"),
            (V{"RAMP-2024-0001 critical fix=2.0.5 clears=no pkgfix=2.1.0",
               "RAMP-2024-0002 medium fix=2.1.0 clears=yes pkgfix=2.1.0"}));
}

TEST_F(MatcherTest, LastAffectedHasNoFixVersion) {
  EXPECT_EQ(audit("demo-pkg", "0.9"),
            (V{"RAMP-2024-0001 critical fix=1.2.0 clears=yes pkgfix=1.2.0",
               "RAMP-2024-0003 low fix= clears=no pkgfix=1.2.0"}));
  EXPECT_EQ(audit("demo-pkg", "0.9.1"),
            (V{"RAMP-2024-0001 critical fix=1.2.0 clears=yes pkgfix=1.2.0"}));
}

TEST_F(MatcherTest, WithdrawnAdvisoryIsSkipped) {
  EXPECT_EQ(audit("demo-pkg", "2.1.0"), V{});
  EXPECT_EQ(db_->info().withdrawn, 1u);
  EXPECT_EQ(db_->info().advisories, 6u);
}

TEST_F(MatcherTest, LimitBoundsAnOpenRange) {
  EXPECT_EQ(audit("other-pkg", "3.2"), (V{"RAMP-2024-0004 unknown fix= clears=no pkgfix="}));
  EXPECT_EQ(audit("other-pkg", "3.5"), V{});
  EXPECT_EQ(audit("other-pkg", "2.9"), V{});
}

TEST_F(MatcherTest, LegacyVersionsUseTheFallbackAndSaySo) {
  EXPECT_EQ(audit("legacy-pkg", "0.7.10p2"),
            (V{"RAMP-2024-0006 unknown fix=0.7.10p3 clears=yes pkgfix=0.7.10p3 legacy"}));
  EXPECT_EQ(audit("legacy-pkg", "0.7.10p3"), V{});
  EXPECT_EQ(audit("legacy-pkg", "0.7.9"), V{});
}

TEST_F(MatcherTest, VersionsListComparesByPep440) {
  EXPECT_EQ(audit("listed-pkg", "1.0.0"), (V{"RAMP-2024-0007 medium fix= clears=no pkgfix="}));
  EXPECT_EQ(audit("listed-pkg", "1.2"), V{});
}

TEST_F(MatcherTest, RangesReportTheVulnerablePart) {
  EXPECT_EQ(audit("demo-pkg", "", ">=1.0,<3"),
            (V{"RAMP-2024-0001 critical range=>=1.0,<1.2.0 | >=2.0,<2.0.5 fix=2.1.0 clears=yes "
               "pkgfix=2.1.0",
               "RAMP-2024-0002 medium range=>=1.5,<2.1.0 fix=2.1.0 clears=yes pkgfix=2.1.0"}));
  EXPECT_EQ(audit("demo-pkg", "", "~=2.0.5"),
            (V{"RAMP-2024-0002 medium range=>=2.0.5,<2.1 fix=2.1.0 clears=yes pkgfix=2.1.0"}));
  EXPECT_EQ(audit("demo-pkg", "", ">=2.1"), V{});
  EXPECT_EQ(audit("listed-pkg", "", "!=1.0,<1.1"), V{});
  EXPECT_EQ(audit("listed-pkg", "", "==1.*"),
            (V{"RAMP-2024-0007 medium range===1.0 | ==1.1 fix= clears=no pkgfix="}));
}

TEST(Cvss, BaseScoresOfKnownVectors) {
  EXPECT_EQ(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8);
  EXPECT_EQ(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), 6.1);
  EXPECT_EQ(cvss3_base_score("CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"), 7.8);
  EXPECT_EQ(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H"), 9.9);
  EXPECT_EQ(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"), 5.3);
  EXPECT_EQ(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"), 7.5);
  EXPECT_EQ(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"), 0.0);
  EXPECT_EQ(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"), std::nullopt);
  EXPECT_EQ(cvss3_base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            std::nullopt);
  EXPECT_EQ(cvss3_base_score("garbage"), std::nullopt);
  EXPECT_EQ(severity_of_score(9.0), Severity::kCritical);
  EXPECT_EQ(severity_of_score(8.9), Severity::kHigh);
  EXPECT_EQ(severity_of_score(4.0), Severity::kMedium);
  EXPECT_EQ(severity_of_score(3.9), Severity::kLow);
}

}  // namespace
}  // namespace rampart::audit::deps
