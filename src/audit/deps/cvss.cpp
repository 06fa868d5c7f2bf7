#include "audit/deps/cvss.h"

#include <cmath>
#include <map>
#include <string>

#include "common/strings.h"

namespace rampart::audit::deps {

namespace {

// CVSS v3.1 Roundup: the smallest number with one decimal that is >= the input, computed on
// integers to avoid floating-point surprises (Appendix A of the 3.1 specification).
double roundup(double x) {
  long long i = std::llround(x * 100000.0);
  if (i % 10000 == 0) return double(i) / 100000.0;
  return (std::floor(double(i) / 10000.0) + 1) / 10.0;
}

}  // namespace

std::optional<double> cvss3_base_score(std::string_view vector) {
  auto parts = split(vector, '/');
  if (parts.empty() || (parts[0] != "CVSS:3.0" && parts[0] != "CVSS:3.1")) return std::nullopt;
  std::map<std::string, std::string, std::less<>> m;
  for (size_t i = 1; i < parts.size(); ++i) {
    auto colon = parts[i].find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    m[std::string(parts[i].substr(0, colon))] = std::string(parts[i].substr(colon + 1));
  }
  auto get = [&](const char* k) -> std::string {
    auto it = m.find(k);
    return it == m.end() ? "" : it->second;
  };
  std::string av = get("AV"), ac = get("AC"), pr = get("PR"), ui = get("UI"), s = get("S"),
              c = get("C"), in = get("I"), a = get("A");
  bool changed = s == "C";
  if (s != "U" && s != "C") return std::nullopt;
  double v_av, v_ac, v_pr, v_ui;
  if (av == "N")
    v_av = 0.85;
  else if (av == "A")
    v_av = 0.62;
  else if (av == "L")
    v_av = 0.55;
  else if (av == "P")
    v_av = 0.2;
  else
    return std::nullopt;
  if (ac == "L")
    v_ac = 0.77;
  else if (ac == "H")
    v_ac = 0.44;
  else
    return std::nullopt;
  if (pr == "N")
    v_pr = 0.85;
  else if (pr == "L")
    v_pr = changed ? 0.68 : 0.62;
  else if (pr == "H")
    v_pr = changed ? 0.5 : 0.27;
  else
    return std::nullopt;
  if (ui == "N")
    v_ui = 0.85;
  else if (ui == "R")
    v_ui = 0.62;
  else
    return std::nullopt;
  auto cia = [](const std::string& x) -> std::optional<double> {
    if (x == "H") return 0.56;
    if (x == "L") return 0.22;
    if (x == "N") return 0.0;
    return std::nullopt;
  };
  auto vc = cia(c), vi = cia(in), va = cia(a);
  if (!vc || !vi || !va) return std::nullopt;
  double iss = 1 - (1 - *vc) * (1 - *vi) * (1 - *va);
  double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  double exploitability = 8.22 * v_av * v_ac * v_pr * v_ui;
  if (impact <= 0) return 0.0;
  if (changed) return roundup(std::min(1.08 * (impact + exploitability), 10.0));
  return roundup(std::min(impact + exploitability, 10.0));
}

Severity severity_of_score(double score) {
  if (score >= 9.0) return Severity::kCritical;
  if (score >= 7.0) return Severity::kHigh;
  if (score >= 4.0) return Severity::kMedium;
  return Severity::kLow;
}

Severity severity_from_label(std::string_view label) {
  std::string l = to_lower(label);
  if (l == "low") return Severity::kLow;
  if (l == "medium" || l == "moderate") return Severity::kMedium;
  if (l == "high") return Severity::kHigh;
  if (l == "critical") return Severity::kCritical;
  return Severity::kUnknown;
}

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
    case Severity::kUnknown:
      break;
  }
  return "unknown";
}

}  // namespace rampart::audit::deps
