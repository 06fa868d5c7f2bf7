#include "audit/deps/specifier.h"

#include <gtest/gtest.h>

#include "audit/deps/name.h"

namespace rampart::audit::deps {
namespace {

bool admits(const char* spec, const char* version) {
  auto s = SpecifierSet::parse(spec);
  EXPECT_TRUE(s.ok()) << spec << ": " << s.status().message();
  return s->contains(Version::parse_lenient(version));
}

struct Case {
  const char* spec;
  const char* version;
  bool admitted;
};

TEST(SpecifierSet, AdmitsLikePip) {
  const Case cases[] = {
      {"==1.0", "1.0", true},
      {"==1.0", "1.0.0", true},
      {"==1.0", "1.0+local", true},
      {"==1.0+local", "1.0", false},
      {"==1.0", "1.0.post1", false},
      {"==1.*", "1.9.3", true},
      {"==1.*", "1.0a1", true},
      {"==1.0.*", "1.0.post1", true},
      {"==1.1.*", "1.10", false},
      {"==1.0.*", "1", true},
      {"!=1.0.*", "1.0.5", false},
      {"!=1.0", "1.1", true},
      {"~=2.2", "2.9", true},
      {"~=2.2", "3.0", false},
      {"~=2.2", "2.1", false},
      {"~=1.4.5", "1.4.9", true},
      {"~=1.4.5", "1.5.0", false},
      {"~=1.4.5a1", "1.4.5a2", true},
      {"<3", "3.0rc1", false},
      {"<3", "2.9", true},
      {"<3rc2", "3.0rc1", true},
      {"<3", "3.0.dev1", false},
      {"<=3", "3.0+x", true},
      {">3", "3.0.post1", false},
      {">3.post1", "3.0.post2", true},
      {">3", "3.0+x", false},
      {">3", "3.1", true},
      {">=3", "3.0rc1", false},
      {">=3,<4", "3.5", true},
      {">=3,<4", "4.0", false},
      {"===1.0.x", "1.0.X", true},
      {"===1.0", "1.0.0", false},
      {"", "0.1", true},
      {">= 1.0 , != 1.5", "1.5", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(admits(c.spec, c.version), c.admitted) << c.spec << " " << c.version;
  }
}

TEST(SpecifierSet, ReportsBadSpecifiers) {
  EXPECT_EQ(SpecifierSet::parse(">=1.0,").status().message(),
            "version specifier set '>=1.0,' has an empty entry");
  EXPECT_EQ(
      SpecifierSet::parse("1.0").status().message(),
      "version specifier '1.0' does not start with an operator (~=, ==, !=, <, <=, >, >=, ===)");
  EXPECT_EQ(SpecifierSet::parse("~=1").status().message(),
            "version specifier '~=1': ~= needs at least two release numbers (such as ~=2.2)");
  EXPECT_EQ(SpecifierSet::parse(">=1.*").status().message(),
            "version specifier '>=1.*': a '.*' wildcard is allowed only with == and !=");
  EXPECT_EQ(SpecifierSet::parse("==1.0x").status().message(),
            "version specifier '==1.0x': '1.0x' is not a PEP 440 version");
}

TEST(SpecifierSet, PinnedVersion) {
  EXPECT_EQ(SpecifierSet::parse("==1.2.3")->pinned_version(), "1.2.3");
  EXPECT_EQ(SpecifierSet::parse("===1.2-x")->pinned_version(), "1.2-x");
  EXPECT_EQ(SpecifierSet::parse("==1.*")->pinned_version(), std::nullopt);
  EXPECT_EQ(SpecifierSet::parse(">=1,<2")->pinned_version(), std::nullopt);
}

TEST(Name, NormalizesAsPep503) {
  EXPECT_EQ(normalize_name("Flask_SQLAlchemy"), "flask-sqlalchemy");
  EXPECT_EQ(normalize_name("zope.interface"), "zope-interface");
  EXPECT_EQ(normalize_name("A-_.-b"), "a-b");
  EXPECT_EQ(normalize_name("PyYAML"), "pyyaml");
  EXPECT_TRUE(is_valid_name("Django"));
  EXPECT_FALSE(is_valid_name("-django"));
  EXPECT_FALSE(is_valid_name("dj ango"));
}

}  // namespace
}  // namespace rampart::audit::deps
