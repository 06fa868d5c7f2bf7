// libinjection's sample data through the library, each line as the value of a query argument:
// sqli-* and xss-* files are attacks, false_positives.txt is benign. Prints the rates and fails
// below the floors (raise them as the detectors improve).

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <sstream>

#include "corpus_util.h"
#include "waf/decode/decode.h"
#include "waf/inspector.h"

namespace rampart::waf {
namespace {

namespace fs = std::filesystem;

constexpr double kSqliFloor = 98.6;
constexpr double kXssFloor = 99.8;
constexpr double kBenignFpCeiling = 1.0;

struct Tally {
  size_t total = 0;
  size_t flagged = 0;
  double rate() const { return total ? 100.0 * double(flagged) / double(total) : 0.0; }
};

TEST(LibinjectionCorpus, DetectionAndFalsePositiveRates) {
  fs::path root = testing::corpora_dir();
  if (root.empty() || !fs::is_directory(root / "libinjection" / "data")) {
    GTEST_SKIP() << "corpus absent: ../shared/corpora/libinjection/data not found";
  }
  auto inspector = Inspector::create();
  ASSERT_TRUE(inspector.ok()) << inspector.status().message();
  Policy policy;
  std::map<std::string, Tally> tallies;  // "sqli", "xss", "benign"
  bool show = testing::show_details();
  for (const auto& entry : fs::directory_iterator(root / "libinjection" / "data")) {
    std::string name = entry.path().filename().string();
    std::string family;
    if (name.rfind("sqli-", 0) == 0)
      family = "sqli";
    else if (name.rfind("xss-", 0) == 0)
      family = "xss";
    else if (name == "false_positives.txt")
      family = "benign";
    else
      continue;
    std::istringstream lines(testing::read_file(entry.path()));
    std::string line;
    while (std::getline(lines, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      std::string value = url_decode(line, true);
      auto findings = (*inspector)->inspect_value(Part::kQuery, "q", value, policy);
      Tally& t = tallies[family];
      ++t.total;
      bool flagged = !findings.empty();
      if (flagged) ++t.flagged;
      if (show && flagged == (family == "benign")) {
        std::fprintf(stderr, "%s %s\t%s\t%s\n", family == "benign" ? "FP" : "MISS", family.c_str(),
                     value.c_str(),
                     flagged ? (std::string(attack_class_name(findings[0].attack)) + ":" +
                                findings[0].reason)
                                   .c_str()
                             : "");
      }
    }
  }
  std::printf("libinjection corpus (each line as a query argument value):\n");
  std::printf("  sqli detection      %5.1f%% (%zu/%zu)\n", tallies["sqli"].rate(),
              tallies["sqli"].flagged, tallies["sqli"].total);
  std::printf("  xss detection       %5.1f%% (%zu/%zu)\n", tallies["xss"].rate(),
              tallies["xss"].flagged, tallies["xss"].total);
  std::printf("  false positives     %5.1f%% (%zu/%zu)\n", tallies["benign"].rate(),
              tallies["benign"].flagged, tallies["benign"].total);
  ASSERT_GT(tallies["sqli"].total, 1000u);
  ASSERT_GT(tallies["xss"].total, 1000u);
  ASSERT_GT(tallies["benign"].total, 100u);
  EXPECT_GE(tallies["sqli"].rate(), kSqliFloor);
  EXPECT_GE(tallies["xss"].rate(), kXssFloor);
  EXPECT_LT(tallies["benign"].rate(), kBenignFpCeiling);
}

}  // namespace
}  // namespace rampart::waf
