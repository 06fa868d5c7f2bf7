#include "audit/deps/fix.h"

#include <gtest/gtest.h>

#include <fstream>

#include "audit/deps/ignore.h"

namespace rampart::audit::deps {
namespace {

Finding pin(const std::string& file, int line, int end, const std::string& key,
            const std::string& from, const std::string& fix, size_t hashes = 0) {
  Finding f;
  f.dep.key = key;
  f.dep.name = key;
  f.dep.version = from;
  f.dep.where = {file, line, end};
  f.dep.source = "requirements";
  f.dep.hashes.resize(hashes, "sha256:x");
  f.id = "X-" + key;
  f.package_fix = fix;
  f.fix_version = fix;
  return f;
}

TEST(Fix, RewritesPinsKeepsCommentsDropsHashesAndDiffs) {
  char tmpl[] = "/tmp/rampart-fix-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string file = std::string(tmpl) + "/requirements.txt";
  std::ofstream(file) << "# app\nDjango==3.2.0  # web\nsix==1.16.0\nJinja2 == 2.10 \\\n"
                         "    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\nclick==8.0\n";
  auto plans = plan_fixes({pin(file, 2, 2, "django", "3.2.0", "3.2.25"),
                           pin(file, 4, 6, "jinja2", "2.10", "2.11.3", 2)});
  ASSERT_TRUE(plans.ok()) << plans.status().message();
  ASSERT_EQ(plans->size(), 1u);
  const FileFix& fix = (*plans)[0];
  EXPECT_EQ(fix.after, "# app\nDjango==3.2.25  # web\nsix==1.16.0\nJinja2 == 2.11.3\nclick==8.0\n");
  EXPECT_EQ(fix.changes, (std::vector<std::string>{"django 3.2.0 -> 3.2.25 (" + file + ":2)",
                                                   "jinja2 2.10 -> 2.11.3 (" + file + ":4)"}));
  EXPECT_EQ(fix.warnings,
            (std::vector<std::string>{
                file + ":4: dropped 2 hashes of jinja2 2.10: they do not apply to 2.11.3; "
                       "regenerate them (pip-compile --generate-hashes, or pip hash)"}));
  EXPECT_EQ(unified_diff(fix),
            "--- " + file + "\n+++ " + file +
                "\n@@ -1,7 +1,5 @@\n # app\n-Django==3.2.0  # web\n+Django==3.2.25  # web\n"
                " six==1.16.0\n-Jinja2 == 2.10 \\\n-    --hash=sha256:aaaa \\\n"
                "-    --hash=sha256:bbbb\n+Jinja2 == 2.11.3\n click==8.0\n");
  ASSERT_TRUE(write_fix(fix).ok());
  std::ifstream in(file);
  std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(written, fix.after);
  std::filesystem::remove_all(tmpl);
}

TEST(Fix, NoFixVersionIsAWarningAndLockfilesAreLeftAlone) {
  char tmpl[] = "/tmp/rampart-fix-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string file = std::string(tmpl) + "/requirements.txt";
  std::ofstream(file) << "a==1.0\n";
  Finding lock = pin(file, 1, 1, "a", "1.0", "2.0");
  lock.dep.source = "poetry.lock";
  auto plans = plan_fixes({pin(file, 1, 1, "a", "1.0", ""), lock});
  ASSERT_TRUE(plans.ok());
  ASSERT_EQ(plans->size(), 1u);
  EXPECT_EQ((*plans)[0].after, "a==1.0\n");
  EXPECT_EQ((*plans)[0].warnings,
            (std::vector<std::string>{file + ":1: a 1.0 has no fixed version; left as it is"}));
  std::filesystem::remove_all(tmpl);
}

TEST(Ignore, ReasonsExpiryAndAliases) {
  char tmpl[] = "/tmp/rampart-ign-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string file = std::string(tmpl) + "/ignore.yaml";
  std::ofstream(file)
      << "ignore:\n  - id: CVE-1\n    reason: not reachable\n    expires: 2030-01-01\n"
         "  - id: X-b\n    reason: accepted\n    expires: 2020-01-01\n"
         "  - id: X-c\n    reason: other package only\n    expires: 2030-01-01\n    package: "
         "Other_Pkg\n";
  auto rules = load_ignore_file(file);
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  std::vector<Finding> findings(3);
  findings[0].id = "X-a";
  findings[0].aliases = {"CVE-1"};
  findings[1].id = "X-b";
  findings[2].id = "X-c";
  for (auto& f : findings) f.dep.key = "pkg";
  auto warnings = apply_ignores(*rules, "2026-11-28", &findings);
  EXPECT_EQ(findings[0].ignored_reason, "not reachable (until 2030-01-01)");
  EXPECT_EQ(findings[1].ignored_reason, "");
  EXPECT_EQ(findings[2].ignored_reason, "");
  EXPECT_EQ(warnings,
            (std::vector<std::string>{"the ignore entry for X-b (" + file +
                                      ":5) expired on 2020-01-01 and no longer applies"}));

  std::ofstream(file) << "ignore:\n  - id: X\n    expires: soon\n";
  EXPECT_EQ(load_ignore_file(file).status().message(),
            file + ":2: ignore[0]: an ignore entry needs a 'reason'\n" + file +
                ":3: ignore[0].expires: expected a date such as 2026-12-31, got 'soon'");
  std::filesystem::remove_all(tmpl);
}

}  // namespace
}  // namespace rampart::audit::deps
