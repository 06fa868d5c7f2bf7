#pragma once
// The project's own benign corpus (tests/fixtures/waf/benign/) as requests: search queries as GET
// query strings, form posts and JSON API bodies as POSTs, Markdown comments as a form field; every
// request carries browser headers and a session cookie. Shared by the benign corpus test and the
// findings dump.

#include <cctype>
#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "corpus_util.h"

namespace rampart::waf::testing {

inline std::string url_encode(std::string_view s) {
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

inline std::vector<std::string> lines_of(const std::filesystem::path& p) {
  std::vector<std::string> out;
  std::istringstream in(read_file(p));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    out.push_back(line);
  }
  return out;
}

struct BenignRequest {
  OwnedRequest request;
  std::string what;  // the corpus line (or the start of the comment) it was built from
};

inline std::vector<BenignRequest> benign_requests() {
  const std::filesystem::path dir = std::filesystem::path(RAMPART_FIXTURES_DIR) / "waf" / "benign";
  std::vector<BenignRequest> out;
  auto add = [&](std::string method, std::string target, std::string ctype, std::string body,
                 std::string what) {
    OwnedRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.headers = {{"User-Agent",
                  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 "
                  "(KHTML, like Gecko) Version/17.4 Safari/605.1.15"},
                 {"Referer", "https://app.example.com/page?tab=2"},
                 {"Cookie", "sessionid=8f14e45fceea167a5a36dedd4bea2543; csrftoken=abc123"}};
    if (!ctype.empty()) r.headers.emplace_back("Content-Type", std::move(ctype));
    r.body = std::move(body);
    out.push_back(BenignRequest{std::move(r), std::move(what)});
  };
  for (const std::string& q : lines_of(dir / "search_queries.txt")) {
    add("GET", "/search?q=" + url_encode(q), "", "", q);
  }
  for (const std::string& body : lines_of(dir / "form_posts.txt")) {
    add("POST", "/form", "application/x-www-form-urlencoded", body, body);
  }
  for (const std::string& body : lines_of(dir / "json_bodies.jsonl")) {
    add("POST", "/api/items", "application/json", body, body);
  }
  std::string comments = read_file(dir / "comments.txt");
  size_t start = 0;
  while (start < comments.size()) {
    size_t end = comments.find("\n---\n", start);
    if (end == std::string::npos) end = comments.size();
    std::string body = "comment=" + url_encode(comments.substr(start, end - start)) + "&post=7";
    add("POST", "/comments", "application/x-www-form-urlencoded", body,
        comments.substr(start, std::min<size_t>(60, end - start)));
    start = end + 5;
  }
  return out;
}

}  // namespace rampart::waf::testing
