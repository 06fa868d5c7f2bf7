// The scan as a user meets it: suppressions, syntax errors, binary and oversized files.
#include "audit/python/scanner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "audit/python/analyzer.h"

namespace rampart::audit::python {
namespace {

namespace fs = std::filesystem;

fs::path fixtures() { return fs::path(RAMPART_FIXTURES_DIR) / "audit" / "python"; }

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("rampart-scan-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  void write(const std::string& name, const std::string& bytes) const {
    fs::create_directories((path_ / name).parent_path());
    std::ofstream(path_ / name, std::ios::binary) << bytes;
  }

 private:
  fs::path path_;
};

std::string describe(const Finding& f) {
  return f.rule + "@" + std::to_string(f.location.line) +
         (f.suppression == Suppression::kNone ? ""
                                              : "/" + std::string(suppression_name(f.suppression)));
}

std::vector<std::string> describe_all(const Report& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) out.push_back(describe(f));
  return out;
}

Report scan_paths(std::vector<std::string> paths, uint64_t max_bytes = 8 << 20) {
  ScanOptions o;
  o.paths = std::move(paths);
  o.max_file_bytes = max_bytes;
  auto r = scan(o);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : Report{};
}

TEST(Scan, SuppressionsAreHonouredAndReported) {
  Report r = scan_paths({(fixtures() / "suppressions.py").string()});
  EXPECT_EQ(describe_all(r),
            (std::vector<std::string>{
                "RA060@5/nosec", "RA061@6/ignore-comment", "RA062@7", "RA063@8/ignore-comment",
                "RA041@9/nosec",
                // nosec B324: the weak hash only; nosec B605, B607: the shell command only
                "RA041@11/nosec", "RA070@11", "RA041@12", "RA070@12/nosec",
                // nosec B101 (assert_used): no rampart rule; a reason without ids: everything
                "RA041@13", "RA070@13", "RA041@14/nosec", "RA070@14/nosec",
                // after another comment, by bandit's test name
                "RA041@15/nosec", "RA070@15"}));
  EXPECT_EQ(r.active_count(), 6u);
}

TEST(Scan, SyntaxErrorKeepsTheRestAndWarns) {
  Report r = scan_paths({(fixtures() / "syntax_error.py").string()});
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].line, 3u);
  EXPECT_EQ(r.warnings[0].message,
            "syntax error; findings come from the parts of the file that parse");
  EXPECT_EQ(describe_all(r), (std::vector<std::string>{"RA070@6", "RA060@7"}));
  EXPECT_EQ(r.files_scanned, 1u);
}

TEST(Scan, BinaryAndOversizedFilesAreSkippedWithAWarning) {
  TempDir dir;
  dir.write("app/bin.py", std::string("import os\0\x01\x02", 12));
  dir.write("app/big.py", std::string(2000, '#'));
  dir.write("app/ok.py", "DEBUG = True\n");
  Report r = scan_paths({dir.path().string()}, 1000);
  ASSERT_EQ(r.warnings.size(), 2u);
  std::string root = dir.path().generic_string();
  EXPECT_EQ(r.warnings[0].path, root + "/app/big.py");
  EXPECT_EQ(r.warnings[0].message, "larger than 1000 bytes; skipped");
  EXPECT_EQ(r.warnings[1].path, root + "/app/bin.py");
  EXPECT_EQ(r.warnings[1].message, "binary file; skipped");
  EXPECT_EQ(r.files_scanned, 1u);
  EXPECT_EQ(r.files_skipped, 2u);
  EXPECT_EQ(describe_all(r), (std::vector<std::string>{"RA060@1"}));
}

TEST(Scan, UnreadableFilesAreSkippedWithAWarning) {
  TempDir dir;
  fs::create_symlink(dir.path() / "missing.py", dir.path() / "dead.py");
  dir.write("ok.py", "x = 1\n");
  Report r = scan_paths({dir.path().string()});
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].path, dir.path().generic_string() + "/dead.py");
  EXPECT_EQ(r.warnings[0].message, "cannot read file: No such file or directory; skipped");
  EXPECT_EQ(r.files_scanned, 1u);
  EXPECT_EQ(r.files_skipped, 1u);
}

TEST(Scan, SkipsVirtualEnvironmentsAndHonoursExcludes) {
  TempDir dir;
  dir.write("venv/lib/x.py", "DEBUG = True\n");
  dir.write("env2/pyvenv.cfg", "home = /usr\n");
  dir.write("env2/lib/x.py", "DEBUG = True\n");
  dir.write("tests/test_x.py", "DEBUG = True\n");
  dir.write("app/settings.py", "DEBUG = True\n");
  ScanOptions o;
  o.paths = {dir.path().string()};
  o.exclude = {"tests"};
  auto r = scan(o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_EQ(r->findings[0].location.path, dir.path().generic_string() + "/app/settings.py");
}

TEST(Scan, MissingPathIsAnError) {
  ScanOptions o;
  o.paths = {"/nonexistent/rampart"};
  auto r = scan(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "/nonexistent/rampart: no such file or directory");
}

TEST(Scan, ParallelScanGivesTheSameReport) {
  ScanOptions one, many;
  one.paths = many.paths = {fixtures().string()};
  one.jobs = 1;
  many.jobs = 4;
  auto a = scan(one), b = scan(many);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(describe_all(*a), describe_all(*b));
  EXPECT_GT(a->findings.size(), 100u);
}

// A template without HTML markup is plain text (an e-mail body): turning HTML escaping off there
// is right, and only the HTML template is reported.
TEST(Analyze, AutoescapeOffIsReportedInHtmlTemplatesOnly) {
  const std::string block =
      "{% autoescape off %}Hello {{ name }},\n{{ link }}{% endautoescape %}\n";
  std::vector<std::string> rules;
  for (const auto& f : analyze_template("mail.html", block).findings) rules.push_back(f.rule);
  EXPECT_TRUE(rules.empty());
  rules.clear();
  for (const auto& f : analyze_template("page.html", "<p>" + block).findings)
    rules.push_back(f.rule);
  EXPECT_EQ(rules, std::vector<std::string>{"RA014"});
}

TEST(Analyze, ArbitraryBytesNeverCrash) {
  for (std::string s :
       {std::string(""), std::string("\xff\xfe("), std::string("def f(:\n"), std::string(5000, '('),
        std::string("f'''{"), std::string("x = [") + std::string(3000, '[')}) {
    FileResult r = analyze_python("x.py", s);
    (void)r;
  }
}

}  // namespace
}  // namespace rampart::audit::python

namespace rampart::audit::python {
namespace {

TEST(Scan, ProjectFindingsHonourTheirFilesComments) {
  TempDir dir;
  dir.write("app.py",
            "from flask import Flask\n"
            "app = Flask(__name__)  # rampart: ignore[RA031]\n"
            "@app.route('/x', methods=['POST'])\n"
            "def x():  # nosec\n"
            "    pass\n");
  Report r = scan_paths({dir.path().string()});
  EXPECT_EQ(describe_all(r), (std::vector<std::string>{"RA031@2/ignore-comment",
                                                       "RA031@2/ignore-comment", "RA023@4/nosec"}));
}

}  // namespace
}  // namespace rampart::audit::python
