// Every finding the library reports on the corpora, written to a file, so that a change meant only
// to make the detectors faster can be shown to change no answer: dump before, dump after, compare
// byte for byte. The requests are those of the corpus tests: the CRS v4 regression stages, every
// line of libinjection's sqli-*, xss-* and false_positives.txt files as a query value, and the
// project's benign corpus.
//
//   RAMPART_WAF_FINDINGS_OUT=/tmp/before.txt build-asan/tests/unit/unit_waf
//     --gtest_filter='FindingsDump.*'   (one command line)
//   ... change the library, rebuild ...
//   RAMPART_WAF_FINDINGS_OUT=/tmp/after.txt RAMPART_WAF_FINDINGS_EXPECT=/tmp/before.txt ...
//
// With RAMPART_WAF_FINDINGS_EXPECT set the test fails at the first line that differs.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "benign_requests.h"
#include "corpus_util.h"
#include "crs_stages.h"
#include "waf/decode/decode.h"
#include "waf_test_util.h"

namespace rampart::waf {
namespace {

namespace fs = std::filesystem;

// Printable ASCII as is; tabs, newlines, backslashes and other bytes as escapes, so that one
// finding is one line.
std::string escaped(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(char(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

// One line per finding (source, class, score, part, name, name-or-value, reason, fragment), or
// one line "source -" when nothing is found; then the result's totals.
void write_findings(std::ostream& out, const std::string& source,
                    const std::vector<Finding>& findings) {
  if (findings.empty()) out << source << "\t-\n";
  for (const Finding& f : findings) {
    out << source << '\t' << attack_class_name(f.attack) << '\t' << f.score << '\t'
        << part_name(f.part) << '\t' << escaped(f.name) << '\t' << (f.in_name ? "name" : "value")
        << '\t' << f.reason << '\t' << escaped(f.fragment) << '\n';
  }
}

void write_result(std::ostream& out, const std::string& source, const Result& r) {
  write_findings(out, source, r.findings);
  out << source << "\ttotals\t" << r.total_score << '\t' << r.inspected_bytes << '\t'
      << r.uninspected_body_bytes << '\t' << r.dropped_values << '\n';
}

std::string dump_all() {
  const Inspector& inspector = testing::shared_inspector();
  Policy policy;
  std::ostringstream out;
  fs::path root = testing::corpora_dir();
  fs::path crs = root / "crs-v4-regression" / "tests" / "regression" / "tests";
  if (!root.empty() && fs::is_directory(crs)) {
    std::vector<testing::CrsStage> stages = testing::load_crs_corpus(crs).stages;
    // The directory walk's order is the file system's; the dump's must not be.
    std::stable_sort(stages.begin(), stages.end(),
                     [](const auto& a, const auto& b) { return a.where < b.where; });
    for (size_t i = 0; i < stages.size(); ++i) {
      write_result(out, "crs " + stages[i].where + " " + std::to_string(i),
                   inspector.inspect(stages[i].request.view(), policy));
    }
  } else {
    out << "crs corpus absent\n";
  }
  fs::path lib = root / "libinjection" / "data";
  if (!root.empty() && fs::is_directory(lib)) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(lib)) {
      std::string name = entry.path().filename().string();
      if (name.rfind("sqli-", 0) == 0 || name.rfind("xss-", 0) == 0 ||
          name == "false_positives.txt") {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      std::istringstream lines(testing::read_file(file));
      std::string line;
      size_t n = 0;
      while (std::getline(lines, line)) {
        ++n;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        std::string value = url_decode(line, true);
        write_findings(out, "libinjection " + file.filename().string() + ":" + std::to_string(n),
                       inspector.inspect_value(Part::kQuery, "q", value, policy));
      }
    }
  } else {
    out << "libinjection corpus absent\n";
  }
  std::vector<testing::BenignRequest> benign = testing::benign_requests();
  for (size_t i = 0; i < benign.size(); ++i) {
    write_result(out, "benign " + std::to_string(i),
                 inspector.inspect(benign[i].request.view(), policy));
  }
  return out.str();
}

TEST(FindingsDump, WritesEveryFindingAndMatchesTheExpectedDump) {
  const char* out_path = std::getenv("RAMPART_WAF_FINDINGS_OUT");
  if (!out_path || !*out_path) {
    GTEST_SKIP()
        << "set RAMPART_WAF_FINDINGS_OUT=file to dump the findings of every corpus request";
  }
  std::string dump = dump_all();
  {
    std::ofstream out(out_path, std::ios::binary);
    out << dump;
    ASSERT_TRUE(out.good()) << "cannot write " << out_path;
  }
  size_t lines = size_t(std::count(dump.begin(), dump.end(), '\n'));
  std::printf("findings dump: %zu lines written to %s\n", lines, out_path);
  const char* expect_path = std::getenv("RAMPART_WAF_FINDINGS_EXPECT");
  if (!expect_path || !*expect_path) return;
  std::string expected = testing::read_file(expect_path);
  ASSERT_FALSE(expected.empty()) << "cannot read " << expect_path;
  if (dump == expected) return;
  std::istringstream a(expected), b(dump);
  std::string la, lb;
  size_t n = 0;
  while (true) {
    ++n;
    bool ga = bool(std::getline(a, la)), gb = bool(std::getline(b, lb));
    if (!ga && !gb) break;
    if (!ga || !gb || la != lb) {
      FAIL() << "line " << n << " differs:\n  expected: " << (ga ? la : "<end>")
             << "\n  got:      " << (gb ? lb : "<end>");
    }
  }
  FAIL() << "the dumps differ";
}

}  // namespace
}  // namespace rampart::waf
