// The project's own benign corpus (tests/fixtures/waf/benign/): search queries, form posts, JSON
// API bodies and Markdown comments a Python web app receives every day. None may be flagged.

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

#include "corpus_util.h"
#include "waf_test_util.h"

namespace rampart::waf {
namespace {

namespace fs = std::filesystem;

const fs::path kDir = fs::path(RAMPART_FIXTURES_DIR) / "waf" / "benign";

std::string url_encode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(char(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::vector<std::string> lines_of(const fs::path& p) {
  std::vector<std::string> out;
  std::istringstream in(testing::read_file(p));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    out.push_back(line);
  }
  return out;
}

std::string describe(const Result& r) {
  std::string out;
  for (const Finding& f : r.findings) {
    out += std::string(attack_class_name(f.attack)) + " " + f.name + " [" + f.fragment + "] " +
           f.reason + "; ";
  }
  return out;
}

Request with_browser_headers(Request r) {
  r.headers.insert(r.headers.begin(),
                   {{"User-Agent",
                     "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 "
                     "(KHTML, like Gecko) Version/17.4 Safari/605.1.15"},
                    {"Referer", "https://app.example.com/page?tab=2"},
                    {"Cookie", "sessionid=8f14e45fceea167a5a36dedd4bea2543; csrftoken=abc123"}});
  return r;
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
  for (const std::string& q : lines_of(kDir / "search_queries.txt")) {
    std::string target = "/search?q=" + url_encode(q);
    Request r;
    r.method = "GET";
    r.set_target(target);
    check(with_browser_headers(r), q);
  }
  for (const std::string& body : lines_of(kDir / "form_posts.txt")) {
    Request r;
    r.method = "POST";
    r.set_target("/form");
    r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    r.body = body;
    check(with_browser_headers(r), body);
  }
  for (const std::string& body : lines_of(kDir / "json_bodies.jsonl")) {
    Request r;
    r.method = "POST";
    r.set_target("/api/items");
    r.headers = {{"Content-Type", "application/json"}};
    r.body = body;
    check(with_browser_headers(r), body);
  }
  std::string comments = testing::read_file(kDir / "comments.txt");
  size_t start = 0;
  while (start < comments.size()) {
    size_t end = comments.find("\n---\n", start);
    if (end == std::string::npos) end = comments.size();
    std::string body = "comment=" + url_encode(comments.substr(start, end - start)) + "&post=7";
    Request r;
    r.method = "POST";
    r.set_target("/comments");
    r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    r.body = body;
    check(with_browser_headers(r), comments.substr(start, std::min<size_t>(60, end - start)));
    start = end + 5;
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
