// The OWASP CRS v4 regression tests read as labelled traffic and run through the library: a
// stage that expects a rule of families 930-934, 941 or 942 is an attack of that family; a stage
// whose only expectation is no_expect_ids is benign. Each stage becomes a waf::Request from its
// method, uri, headers and data (or its base64 encoded_request). Prints detection per family and
// the false-positive rate, and fails below the floors.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "corpus_util.h"
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

// A request owned by the test (waf::Request only views it).
struct OwnedRequest {
  std::string method, target, body;
  std::vector<std::pair<std::string, std::string>> headers;

  Request view() const {
    Request r;
    r.method = method;
    r.set_target(target);
    for (const auto& [k, v] : headers) r.headers.emplace_back(k, v);
    r.body = body;
    return r;
  }
};

// "http://host/path?q" -> "/path?q"; a target with a fragment keeps it for set_target to drop.
std::string origin_form(std::string uri) {
  size_t scheme = uri.find("://");
  if (scheme != std::string::npos && scheme < 10) {
    size_t slash = uri.find('/', scheme + 3);
    uri = slash == std::string::npos ? "/" : uri.substr(slash);
  }
  return uri;
}

// A raw HTTP/1.1 request (from encoded_request): request line, headers, body.
std::optional<OwnedRequest> parse_raw(const std::string& raw) {
  size_t head_end = raw.find("\r\n\r\n");
  size_t sep = 4;
  if (head_end == std::string::npos) {
    head_end = raw.find("\n\n");
    sep = 2;
  }
  std::string head = raw.substr(0, head_end);
  OwnedRequest r;
  if (head_end != std::string::npos) r.body = raw.substr(head_end + sep);
  size_t line_end = head.find('\n');
  std::string line = head.substr(0, line_end);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(' ');
  if (sp1 == std::string::npos || sp2 == sp1) return std::nullopt;
  r.method = line.substr(0, sp1);
  r.target = origin_form(line.substr(sp1 + 1, sp2 - sp1 - 1));
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 1;
  while (pos < head.size()) {
    size_t e = head.find('\n', pos);
    if (e == std::string::npos) e = head.size();
    std::string h = head.substr(pos, e - pos);
    if (!h.empty() && h.back() == '\r') h.pop_back();
    size_t colon = h.find(':');
    if (colon != std::string::npos) {
      size_t v = colon + 1;
      while (v < h.size() && h[v] == ' ') ++v;
      r.headers.emplace_back(h.substr(0, colon), h.substr(v));
    }
    pos = e + 1;
  }
  return r;
}

std::optional<std::string> base64_decode(const std::string& in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    else if (c == '=' || c == '\n' || c == '\r' || c == ' ')
      continue;
    else
      return std::nullopt;
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(char((acc >> bits) & 0xFF));
    }
  }
  return out;
}

struct Stage {
  std::string label;  // family ("930".."942") or "benign"
  std::string where;  // file:test_id for the details
  OwnedRequest request;
};

std::string family_of(int id) { return std::to_string(id / 1000); }

// CRS marks some stages that expect a rule as known false positives of that rule ("Known false
// positive: O'keefe's", "Expected (rare) false positive: JWT token in Authorization header"):
// benign input that the rule happens to flag. Those count as benign here, not as attacks.
bool known_false_positive(std::string desc) {
  for (char& c : desc) c = char(std::tolower(static_cast<unsigned char>(c)));
  bool said = desc.find("known") != std::string::npos || desc.find("expected") != std::string::npos;
  return said && (desc.find("false positive") != std::string::npos ||
                  desc.find("false-positive") != std::string::npos ||
                  desc.find("known fp") != std::string::npos);
}

TEST(CrsCorpus, DetectionAndFalsePositiveRates) {
  fs::path root = testing::corpora_dir();
  fs::path tests = root / "crs-v4-regression" / "tests" / "regression" / "tests";
  if (root.empty() || !fs::is_directory(tests)) {
    GTEST_SKIP() << "corpus absent: ../shared/corpora/crs-v4-regression not found";
  }
  const std::set<std::string> attack_families = {"930", "931", "932", "933", "934", "941", "942"};
  std::vector<Stage> stages;
  size_t undecodable = 0, files = 0, unreadable = 0, relabelled = 0;
  for (const auto& entry : fs::recursive_directory_iterator(tests)) {
    if (entry.path().extension() != ".yaml") continue;
    YAML::Node doc;
    try {
      doc = YAML::LoadFile(entry.path().string());
    } catch (const YAML::Exception&) {
      ++unreadable;
      continue;
    }
    if (!doc.IsMap() || !doc["tests"]) continue;
    ++files;
    for (const auto& test : doc["tests"]) {
      std::string id = test["test_id"] ? test["test_id"].as<std::string>() : "?";
      std::string desc =
          test["desc"] && test["desc"].IsScalar() ? test["desc"].as<std::string>() : "";
      if (!test["stages"]) continue;
      for (const auto& st : test["stages"]) {
        YAML::Node stage = st["stage"] ? st["stage"] : st;
        YAML::Node input = stage["input"];
        YAML::Node log = stage["output"] ? stage["output"]["log"] : YAML::Node();
        if (!input || !log) continue;
        std::string label;
        if (log["expect_ids"] && log["expect_ids"].size() > 0) {
          for (const auto& rid : log["expect_ids"]) {
            std::string fam = family_of(rid.as<int>());
            if (attack_families.count(fam)) label = fam;
          }
          if (label.empty()) continue;  // protocol, scanner, Java, ...: not measured here
          if (known_false_positive(desc)) {
            label = "benign";
            ++relabelled;
          }
        } else if (log["no_expect_ids"]) {
          label = "benign";
        } else {
          continue;
        }
        Stage s;
        s.label = label;
        s.where = entry.path().filename().string() + ":" + id;
        if (input["encoded_request"]) {
          auto raw = base64_decode(input["encoded_request"].as<std::string>());
          std::optional<OwnedRequest> req = raw ? parse_raw(*raw) : std::nullopt;
          if (!req) {
            ++undecodable;
            continue;
          }
          s.request = *req;
        } else {
          s.request.method = input["method"] ? input["method"].as<std::string>() : "GET";
          s.request.target = origin_form(input["uri"] ? input["uri"].as<std::string>() : "/");
          if (input["headers"] && input["headers"].IsMap()) {
            for (const auto& h : input["headers"]) {
              s.request.headers.emplace_back(h.first.as<std::string>(),
                                             h.second.IsNull() ? "" : h.second.as<std::string>());
            }
          }
          if (input["data"] && !input["data"].IsNull()) {
            if (input["data"].IsSequence()) {
              for (const auto& line : input["data"])
                s.request.body += line.as<std::string>() + "\r\n";
            } else {
              s.request.body = input["data"].as<std::string>();
            }
          }
        }
        stages.push_back(std::move(s));
      }
    }
  }
  auto inspector = Inspector::create();
  ASSERT_TRUE(inspector.ok()) << inspector.status().message();
  Policy policy;
  std::map<std::string, Tally> tallies;
  bool show = testing::show_details();
  for (const Stage& s : stages) {
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
      files, stages.size(), undecodable, unreadable, relabelled);
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
