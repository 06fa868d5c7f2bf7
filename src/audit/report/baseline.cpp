#include "audit/report/baseline.h"

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "common/strings.h"

namespace rampart::audit {

namespace {

// FNV-1a, 64 bits: a baseline needs stability, not collision resistance against an adversary.
uint64_t fnv1a(std::string_view s, uint64_t h = 14695981039346656037ull) {
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

void assign_fingerprints(Report& report) {
  std::map<std::tuple<std::string, std::string, std::string>, int> seen;
  for (auto& f : report.findings) {
    std::string text(trim(f.location.source_line));
    int rank = seen[{f.rule, f.location.path, text}]++;
    uint64_t h = fnv1a(f.rule);
    h = fnv1a(std::string_view("\0", 1), h);
    h = fnv1a(f.location.path, h);
    h = fnv1a(std::string_view("\0", 1), h);
    h = fnv1a(text, h);
    h = fnv1a(std::to_string(rank), h);
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    f.fingerprint = buf;
  }
}

std::string render_baseline(const Report& report) {
  nlohmann::json fps = nlohmann::json::array();
  for (const auto& f : report.findings) {
    if (f.suppression == Suppression::kNone) fps.push_back(f.fingerprint);
  }
  nlohmann::json doc = {{"version", 1}, {"fingerprints", fps}};
  return doc.dump(2) + "\n";
}

StatusOr<std::set<std::string>> parse_baseline(std::string_view text, std::string_view path) {
  auto doc = nlohmann::json::parse(text, nullptr, false);
  std::string where(path);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::error(where + ": not a baseline file (expected a JSON object)");
  }
  auto v = doc.find("version");
  if (v == doc.end() || !v->is_number_integer() || v->get<int64_t>() != 1) {
    return Status::error(where + ": unsupported baseline version (expected \"version\": 1)");
  }
  auto fps = doc.find("fingerprints");
  if (fps == doc.end() || !fps->is_array()) {
    return Status::error(where + ": \"fingerprints\" must be an array of strings");
  }
  std::set<std::string> out;
  for (const auto& fp : *fps) {
    if (!fp.is_string()) return Status::error(where + ": \"fingerprints\" must hold strings");
    out.insert(fp.get<std::string>());
  }
  return out;
}

void apply_baseline(Report& report, const std::set<std::string>& baseline) {
  for (auto& f : report.findings) {
    if (f.suppression == Suppression::kNone && baseline.count(f.fingerprint)) {
      f.suppression = Suppression::kBaseline;
    }
  }
}

}  // namespace rampart::audit
