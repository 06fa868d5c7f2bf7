// The OWASP CRS v4 regression tests read as labelled traffic (crs_stages.h) and run through the
// library. Prints detection per family and the false-positive rate, and fails below the floors.

#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include "corpus_util.h"
#include "crs_stages.h"
#include "waf/decode/decode.h"
#include "waf/inspector.h"

namespace rampart::waf {
namespace {

namespace fs = std::filesystem;

// Floors (percent): raised as the detectors improve.
const std::map<std::string, double> kDetectionFloors = {{"930", 92.4}, {"931", 75.0}, {"932", 93.6},
                                                        {"933", 92.2}, {"934", 94.9}, {"941", 97.5},
                                                        {"942", 82.2}};
// Many "benign" stages are attacks that only a different rule than the one under test catches
// (see the report); this ceiling tracks the measured rate, not the 1% target.
// The 930-933 detectors flag 15 more of them than before (attacks CRS catches with 931130,
// 932236, 932238, 932270, 933151 or 933160) and one look-alike ("sodium_add_to_recipe(foo)").
constexpr double kBenignFpCeiling = 9.4;

struct Tally {
  size_t total = 0;
  size_t flagged = 0;
  double rate() const { return total ? 100.0 * double(flagged) / double(total) : 0.0; }
};

TEST(CrsCorpus, DetectionAndFalsePositiveRates) {
  fs::path root = testing::corpora_dir();
  fs::path tests = root / "crs-v4-regression" / "tests" / "regression" / "tests";
  if (root.empty() || !fs::is_directory(tests)) {
    GTEST_SKIP() << "corpus absent: ../shared/corpora/crs-v4-regression not found";
  }
  testing::CrsStages loaded = testing::load_crs_stages(tests);
  const std::vector<testing::Stage>& stages = loaded.stages;
  auto inspector = Inspector::create();
  ASSERT_TRUE(inspector.ok()) << inspector.status().message();
  Policy policy;
  std::map<std::string, Tally> tallies;
  bool show = testing::show_details();
  for (const testing::Stage& s : stages) {
    Request req = s.request.view();
    Result result = (*inspector)->inspect(req, policy);
    Tally& t = tallies[s.label];
    ++t.total;
    if (result.attack()) ++t.flagged;
    if (show && result.attack() == (s.label == "benign")) {
      std::string what =
          result.attack() ? std::string(attack_class_name(result.findings[0].attack)) + ":" +
                                result.findings[0].reason + " [" + result.findings[0].fragment + "]"
                          : "";
      std::string ctype;
      for (const auto& [k, v] : s.request.headers) {
        if (k == "Content-Type" || k == "content-type") ctype = v;
      }
      std::fprintf(stderr, "%s %s %s %s %s [%s] %s\t%s\n", s.label == "benign" ? "FP" : "MISS",
                   s.label.c_str(), s.where.c_str(), s.request.method.c_str(),
                   s.request.target.substr(0, 200).c_str(), ctype.c_str(),
                   s.request.body.substr(0, 200).c_str(), what.c_str());
    }
  }
  std::printf(
      "CRS v4 regression tests (%zu files, %zu stages; %zu encoded requests undecodable, %zu "
      "files unreadable; %zu stages CRS marks as known false positives counted as benign):\n",
      loaded.files, stages.size(), loaded.undecodable, loaded.unreadable, loaded.relabelled);
  const std::map<std::string, std::string> names = {{"930", "path traversal / LFI"},
                                                    {"931", "remote file inclusion"},
                                                    {"932", "command injection"},
                                                    {"933", "PHP injection"},
                                                    {"934", "generic (node, SSTI, ...)"},
                                                    {"941", "XSS"},
                                                    {"942", "SQL injection"}};
  for (const auto& [fam, name] : names) {
    const Tally& t = tallies[fam];
    std::printf("  %s %-26s detection %5.1f%% (%zu/%zu)\n", fam.c_str(), name.c_str(), t.rate(),
                t.flagged, t.total);
  }
  const Tally& b = tallies["benign"];
  std::printf("  benign stages                  false positives %5.1f%% (%zu/%zu)\n", b.rate(),
              b.flagged, b.total);
  for (const auto& [fam, floor] : kDetectionFloors) {
    EXPECT_GE(tallies[fam].rate(), floor) << "family " << fam;
  }
  EXPECT_LT(b.rate(), kBenignFpCeiling);
}

}  // namespace
}  // namespace rampart::waf
