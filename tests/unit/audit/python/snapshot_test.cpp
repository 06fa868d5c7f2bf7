// The terminal report of a small app, kept as a snapshot: tests/fixtures/audit/python/snapshot/.
// RAMPART_UPDATE_SNAPSHOTS=1 rewrites the .txt files instead of comparing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "audit/python/scanner.h"
#include "audit/report/text_writer.h"

namespace rampart::audit::python {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void check_snapshot(const std::string& name, bool color) {
  fs::path dir = fs::path(RAMPART_FIXTURES_DIR) / "audit" / "python" / "snapshot";
  fs::path saved = fs::current_path();
  fs::current_path(dir);
  ScanOptions o;
  o.paths = {"views.py"};
  auto r = scan(o);
  fs::current_path(saved);
  ASSERT_TRUE(r.ok()) << r.status().message();
  TextOptions t;
  t.color = color;
  std::string got = render_text(*r, t);
  fs::path expected = dir / name;
  if (std::getenv("RAMPART_UPDATE_SNAPSHOTS")) {
    std::ofstream(expected, std::ios::binary) << got;
    return;
  }
  EXPECT_EQ(got, read(expected));
}

TEST(Snapshot, TerminalReport) { check_snapshot("views.txt", false); }
TEST(Snapshot, TerminalReportInColour) { check_snapshot("views.color.txt", true); }

}  // namespace
}  // namespace rampart::audit::python
