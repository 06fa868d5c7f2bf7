#pragma once
// The OWASP CRS v4 regression tests read as labelled traffic: a stage that expects a rule of
// families 930-934, 941 or 942 is an attack of that family; a stage whose only expectation is
// no_expect_ids is benign ("as CRS labels them"). Each stage becomes a request from its method,
// uri, headers and data (or its base64 encoded_request).

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "corpus_util.h"

namespace rampart::waf::testing {

struct CrsStage {
  std::string label;  // family ("930".."942") or "benign"
  std::string where;  // "942100.yaml:5" (":5/2" for the second stage of a multi-stage test)
  int rule = 0;       // the rule under test: the file's name (942100.yaml -> 942100)
  OwnedRequest request;
};

struct CrsCorpus {
  std::vector<CrsStage> stages;
  size_t files = 0, unreadable = 0, undecodable = 0, relabelled = 0;
};

// "http://host/path?q" -> "/path?q"; a target with a fragment keeps it for set_target to drop.
inline std::string origin_form(std::string uri) {
  size_t scheme = uri.find("://");
  if (scheme != std::string::npos && scheme < 10) {
    size_t slash = uri.find('/', scheme + 3);
    uri = slash == std::string::npos ? "/" : uri.substr(slash);
  }
  return uri;
}

// A raw HTTP/1.1 request (from encoded_request): request line, headers, body.
inline std::optional<OwnedRequest> parse_raw(const std::string& raw) {
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

inline std::optional<std::string> base64_decode(const std::string& in) {
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

// CRS marks some stages that expect a rule as known false positives of that rule ("Known false
// positive: O'keefe's", "Expected (rare) false positive: JWT token in Authorization header"):
// benign input that the rule happens to flag. Those count as benign here, not as attacks.
inline bool known_false_positive(std::string desc) {
  for (char& c : desc) c = char(std::tolower(static_cast<unsigned char>(c)));
  bool said = desc.find("known") != std::string::npos || desc.find("expected") != std::string::npos;
  return said && (desc.find("false positive") != std::string::npos ||
                  desc.find("false-positive") != std::string::npos ||
                  desc.find("known fp") != std::string::npos);
}

// Reads every *.yaml under `tests` (the corpus's tests/regression/tests folder).
inline CrsCorpus load_crs_corpus(const std::filesystem::path& tests) {
  namespace fs = std::filesystem;
  const std::set<int> attack_families = {930, 931, 932, 933, 934, 941, 942};
  CrsCorpus corpus;
  std::vector<fs::path> paths;
  for (const auto& entry : fs::recursive_directory_iterator(tests)) {
    if (entry.path().extension() == ".yaml") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  for (const fs::path& path : paths) {
    YAML::Node doc;
    try {
      doc = YAML::LoadFile(path.string());
    } catch (const YAML::Exception&) {
      ++corpus.unreadable;
      continue;
    }
    if (!doc.IsMap() || !doc["tests"]) continue;
    ++corpus.files;
    // The file's name, not its rule_id field (one file of the corpus mistypes it).
    int rule = std::atoi(path.stem().string().c_str());
    for (const auto& test : doc["tests"]) {
      std::string id = test["test_id"] ? test["test_id"].as<std::string>() : "?";
      std::string desc =
          test["desc"] && test["desc"].IsScalar() ? test["desc"].as<std::string>() : "";
      if (!test["stages"]) continue;
      size_t count = test["stages"].size(), index = 0;
      for (const auto& st : test["stages"]) {
        ++index;
        YAML::Node stage = st["stage"] ? st["stage"] : st;
        YAML::Node input = stage["input"];
        YAML::Node log = stage["output"] ? stage["output"]["log"] : YAML::Node();
        if (!input || !log) continue;
        std::string label;
        if (log["expect_ids"] && log["expect_ids"].size() > 0) {
          for (const auto& rid : log["expect_ids"]) {
            int fam = rid.as<int>() / 1000;
            if (attack_families.count(fam)) label = std::to_string(fam);
          }
          if (label.empty()) continue;  // protocol, scanner, Java, ...: not measured here
          if (known_false_positive(desc)) {
            label = "benign";
            ++corpus.relabelled;
          }
        } else if (log["no_expect_ids"]) {
          label = "benign";
        } else {
          continue;
        }
        CrsStage s;
        s.label = label;
        s.rule = rule;
        s.where = path.filename().string() + ":" + id;
        if (count > 1) s.where += "/" + std::to_string(index);
        if (input["encoded_request"]) {
          auto raw = base64_decode(input["encoded_request"].as<std::string>());
          std::optional<OwnedRequest> req = raw ? parse_raw(*raw) : std::nullopt;
          if (!req) {
            ++corpus.undecodable;
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
        corpus.stages.push_back(std::move(s));
      }
    }
  }
  return corpus;
}

}  // namespace rampart::waf::testing
