// The whole audit on the shared OSV snapshot (../shared/corpora/osv-pypi) with pins that are
// known to be vulnerable. The expected advisories and fixes were checked against an independent
// matcher written with python3-packaging (bench/deps_reference.py).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "audit/deps/matcher.h"
#include "audit/deps/requirements_file.h"
#include "corpus.h"

namespace rampart::audit::deps {
namespace {

TEST(EndToEnd, KnownVulnerablePinsOnTheOsvSnapshot) {
  std::string dir = testing::corpus_dir("osv-pypi");
  if (dir.empty()) GTEST_SKIP() << "shared corpus ../shared/corpora/osv-pypi is absent";
  char tmpl[] = "/tmp/rampart-e2e-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  auto db = AdvisoryDatabase::open(dir + "/pypi-osv.jsonl.gz", tmpl);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ(db->info().advisories + db->info().withdrawn, 2661u);
  Inventory inv;
  ASSERT_TRUE(read_requirements_text("Django==3.2.0\nJinja2==2.10\nPyYAML==5.3\nrequests==2.19.0\n"
                                     "urllib3==1.24.1\nPillow==8.0.0\nflask==2.3.3\n",
                                     "requirements.txt", MarkerEnvironment::for_python("3.11"),
                                     &inv)
                  .ok());
  auto findings = match_inventory(inv, *db);
  ASSERT_TRUE(findings.ok());
  std::map<std::string, std::set<std::string>> ids;
  std::map<std::string, std::string> fix_of, package_fix;
  for (const auto& f : *findings) {
    ids[f.dep.key].insert(f.id);
    fix_of[f.id] = f.fix_version;
    package_fix[f.dep.key] = f.package_fix;
  }
  EXPECT_EQ(ids["django"].size(), 25u);
  EXPECT_EQ(ids["jinja2"], (std::set<std::string>{"PYSEC-2019-217", "PYSEC-2021-66"}));
  EXPECT_EQ(ids["pyyaml"], (std::set<std::string>{"PYSEC-2020-96", "PYSEC-2021-142"}));
  EXPECT_EQ(ids["requests"], (std::set<std::string>{"PYSEC-2018-28", "PYSEC-2023-74"}));
  EXPECT_EQ(
      ids["urllib3"],
      (std::set<std::string>{"PYSEC-2019-132", "PYSEC-2019-133", "PYSEC-2020-148", "PYSEC-2021-108",
                             "PYSEC-2023-192", "PYSEC-2023-207", "PYSEC-2023-212"}));
  EXPECT_EQ(ids["pillow"].size(), 26u);
  EXPECT_EQ(ids.count("flask"), 0u);
  EXPECT_EQ(fix_of["PYSEC-2021-7"], "3.2.1");
  EXPECT_EQ(fix_of["PYSEC-2019-217"], "2.10.1");
  EXPECT_EQ(fix_of["PYSEC-2021-142"], "5.4");
  EXPECT_EQ(fix_of["PYSEC-2018-28"], "2.20.0");
  EXPECT_EQ(fix_of["PYSEC-2023-192"], "1.26.17");
  EXPECT_EQ(fix_of["PYSEC-2023-175"], "10.0.1");
  EXPECT_EQ(package_fix, (std::map<std::string, std::string>{{"django", "3.2.25"},
                                                             {"jinja2", "2.11.3"},
                                                             {"pyyaml", "5.4"},
                                                             {"requests", "2.31.0"},
                                                             {"urllib3", "1.26.18"},
                                                             {"pillow", "10.0.1"}}));
  for (const auto& f : *findings) {
    if (f.id == "PYSEC-2023-192") {
      EXPECT_EQ(f.score, 8.1);
      EXPECT_EQ(f.severity, Severity::kHigh);
      EXPECT_EQ(f.aliases, (std::vector<std::string>{"CVE-2023-43804", "GHSA-v845-jxx5-vc9f"}));
    }
  }
  std::filesystem::remove_all(tmpl);
}

}  // namespace
}  // namespace rampart::audit::deps
