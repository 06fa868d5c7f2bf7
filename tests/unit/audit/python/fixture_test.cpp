// Every rule has a fixture, tests/fixtures/audit/python/RAxxx.py (or .html), whose lines say
// `# ok` or `# error: RAxxx`. Both ways: every error line has its finding, and every finding of
// the rules named in the file sits on an error line that names it (ok lines have none).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "audit/python/registry.h"
#include "audit/python/scanner.h"

namespace rampart::audit::python {
namespace {

namespace fs = std::filesystem;

fs::path fixtures() { return fs::path(RAMPART_FIXTURES_DIR) / "audit" / "python"; }

struct Expectations {
  std::map<uint32_t, std::set<std::string>> errors;  // line -> codes
  std::set<uint32_t> ok;
  std::set<std::string> codes;
};

// The text after a comment opener ("# " or "{# ") that starts with `word`, or npos.
size_t directive(const std::string& line, const std::string& word) {
  for (const char* opener : {"# ", "{# "}) {
    size_t p = line.find(std::string(opener) + word);
    if (p != std::string::npos) return p + std::string(opener).size() + word.size();
  }
  return std::string::npos;
}

Expectations read_expectations(const fs::path& path) {
  Expectations e;
  std::ifstream in(path);
  std::string line;
  uint32_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    size_t p = directive(line, "error:");
    if (p != std::string::npos) {
      std::string rest = line.substr(p);
      rest = rest.substr(0, rest.find("#}"));
      std::stringstream codes(rest);
      std::string code;
      while (std::getline(codes, code, ',')) {
        code.erase(0, code.find_first_not_of(' '));
        code.erase(code.find_last_not_of(' ') + 1);
        if (code.empty()) continue;
        e.errors[n].insert(code);
        e.codes.insert(code);
      }
    } else if (directive(line, "ok") != std::string::npos) {
      e.ok.insert(n);
    }
  }
  return e;
}

Report scan_file(const fs::path& path) {
  ScanOptions o;
  o.paths = {path.string()};
  o.jobs = 1;
  auto r = scan(o);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : Report{};
}

class RuleFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(RuleFixture, FindsEveryErrorAndNothingElse) {
  fs::path path = fixtures() / GetParam();
  ASSERT_TRUE(fs::exists(path)) << path;
  Expectations e = read_expectations(path);
  ASSERT_FALSE(e.errors.empty()) << "fixture has no error lines";
  ASSERT_FALSE(e.ok.empty()) << "fixture has no ok lines";
  Report report = scan_file(path);
  EXPECT_TRUE(report.warnings.empty());
  // Error lines: a finding of that rule whose span covers the line.
  for (const auto& [line, codes] : e.errors) {
    for (const auto& code : codes) {
      bool found = false;
      for (const auto& f : report.findings) {
        if (f.rule == code && f.suppression == Suppression::kNone && f.location.line <= line &&
            line <= std::max(f.location.end_line, f.location.line)) {
          found = true;
        }
      }
      EXPECT_TRUE(found) << GetParam() << ":" << line << ": expected " << code;
    }
  }
  // Findings of the fixture's rules: only on error lines that name them.
  for (const auto& f : report.findings) {
    if (!e.codes.count(f.rule) || f.suppression != Suppression::kNone) continue;
    bool expected = false;
    for (uint32_t l = f.location.line; l <= std::max(f.location.end_line, f.location.line); ++l) {
      auto it = e.errors.find(l);
      if (it != e.errors.end() && it->second.count(f.rule)) expected = true;
    }
    EXPECT_TRUE(expected) << GetParam() << ":" << f.location.line << ": unexpected " << f.rule
                          << " " << f.message;
  }
}

std::vector<std::string> fixture_names() {
  std::vector<std::string> out;
  for (const Rule* r : all_rules()) {
    for (const char* ext : {".py", ".html"}) {
      if (fs::exists(fixtures() / (r->info.code + ext))) out.push_back(r->info.code + ext);
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Rules, RuleFixture, ::testing::ValuesIn(fixture_names()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n) {
                             if (c == '.') c = '_';
                           }
                           return n;
                         });

TEST(RuleFixtures, EveryRuleHasOne) {
  for (const Rule* r : all_rules()) {
    bool has = fs::exists(fixtures() / (r->info.code + ".py")) ||
               fs::exists(fixtures() / (r->info.code + ".html"));
    EXPECT_TRUE(has) << r->info.code << " has no fixture";
  }
}

TEST(RuleRegistry, CodesAreUniqueAndDocumented) {
  std::set<std::string> codes;
  for (const Rule* r : all_rules()) {
    EXPECT_TRUE(codes.insert(r->info.code).second) << r->info.code;
    EXPECT_TRUE(r->info.code.size() == 5 && r->info.code.starts_with("RA0")) << r->info.code;
    EXPECT_FALSE(r->info.title.empty());
    EXPECT_NE(r->info.doc.find("Why:"), std::string::npos) << r->info.code;
    EXPECT_NE(r->info.doc.find("Example:"), std::string::npos) << r->info.code;
    EXPECT_NE(r->info.doc.find("Instead:"), std::string::npos) << r->info.code;
    EXPECT_NE(r->info.doc.find("References:"), std::string::npos) << r->info.code;
    EXPECT_TRUE(r->check || r->check_template || r->check_project) << r->info.code;
  }
  EXPECT_GE(codes.size(), 35u);
}

}  // namespace
}  // namespace rampart::audit::python
