// The project's own benign corpus (tests/fixtures/waf/benign/): search queries, form posts, JSON
// API bodies and Markdown comments a Python web app receives every day. None may be flagged.

#include <gtest/gtest.h>

#include <cstdio>

#include "benign_requests.h"
#include "waf_test_util.h"

namespace rampart::waf {
namespace {

std::string describe(const Result& r) {
  std::string out;
  for (const Finding& f : r.findings) {
    out += std::string(attack_class_name(f.attack)) + " " + f.name + " [" + f.fragment + "] " +
           f.reason + "; ";
  }
  return out;
}

TEST(BenignCorpus, NothingIsFlagged) {
  const Inspector& inspector = testing::shared_inspector();
  size_t total = 0;
  std::vector<std::string> flagged;
  auto check = [&](const Request& r, const std::string& what) {
    ++total;
    Result result = inspector.inspect(r, Policy());
    if (result.attack()) flagged.push_back(what + " -> " + describe(result));
  };
  for (const testing::BenignRequest& b : testing::benign_requests()) {
    check(b.request.view(), b.what);
  }
  std::printf("benign corpus (project-written): %zu requests, %zu flagged\n", total,
              flagged.size());
  ASSERT_GE(total, 500u);  // hundreds of requests, or the rate means little
  EXPECT_TRUE(flagged.empty()) << [&] {
    std::string all;
    for (const auto& f : flagged) all += f + "\n";
    return all;
  }();
}

}  // namespace
}  // namespace rampart::waf
