#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

TEST(Traversal, AttacksAreFound) {
  const Case cases[] = {
      {"../../../../etc/passwd", "path-traversal: traversal to a sensitive file"},
      {"..%2f..%2f..%2fetc%2fshadow", "path-traversal: traversal to a sensitive file"},
      {"..\\\\..\\\\windows\\\\win.ini", "path-traversal: traversal to a sensitive file"},
      {"%252e%252e%252f%252e%252e%252fboot.ini", "path-traversal: traversal to a sensitive file"},
      {"..;/..;/admin", "path-traversal: path traversal"},
      {"/proc/self/environ", "path-traversal: sensitive file path"},
      {"file:///etc/hosts", "path-traversal: sensitive file path"},
      {"....//....//etc/passwd", "path-traversal: traversal to a sensitive file"},
      {"images/logo.png", ""},
      {"see ../ in the docs", ""},
      {"version 1.2..1.4", ""},
      {"Wait... what?", ""},
      {"the etc. and so on", ""},
      {"password reset", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(Traversal, LookAlikesPass) {
  const Case cases[] = {

  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf

namespace rampart::waf {
namespace {

TEST(Traversal, HiddenAndBackupFilesInThePath) {
  // Known secrets score higher than any hidden file.
  EXPECT_EQ(testing::verdict("/.git/config", Part::kPath, ""),
            "path-traversal: sensitive file path");
  EXPECT_EQ(testing::verdict("/.claude/settings.json", Part::kPath, ""),
            "path-traversal: hidden file in path");
  EXPECT_EQ(testing::verdict("/backup.sql.zip", Part::kPath, ""),
            "path-traversal: backup or log file in path");
  EXPECT_EQ(testing::verdict("/.well-known/acme-challenge/abc", Part::kPath, ""), "");
  EXPECT_EQ(testing::verdict("/static/app.v2.js", Part::kPath, ""), "");
}

}  // namespace
}  // namespace rampart::waf

namespace rampart::waf {
namespace {

TEST(Traversal, RedirectionsDumpsAndSystemNames) {
  const testing::Case cases[] = {
      {">/tmp/curl", "path-traversal: redirection to a file"},
      {">/tmp", ""},
      {"backup.sql.zip", "path-traversal: database dump file"},
      {"notes on backup.sql restore", ""},
      {"/path/to/.docker/secrets", "path-traversal: sensitive file path"},
  };
  for (const testing::Case& c : cases) EXPECT_EQ(testing::verdict(c.input), c.expected) << c.input;
  EXPECT_EQ(testing::verdict("/sys/kernel/notes"), "path-traversal: system path");
}

}  // namespace
}  // namespace rampart::waf

namespace rampart::waf {
namespace {

TEST(Traversal, RestrictedUploadNames) {
  const testing::Case cases[] = {
      {"config.yml ", "path-traversal: restricted file upload"},
      {"wp-config-php.bak", "path-traversal: restricted file upload"},
      {".htaccess", "path-traversal: restricted file upload"},
      {"holiday.jpg", ""},
      {"config-notes.txt", ""},
  };
  for (const testing::Case& c : cases) {
    EXPECT_EQ(testing::verdict(c.input, Part::kHeader, "x-filename"), c.expected) << c.input;
  }
}

}  // namespace
}  // namespace rampart::waf
