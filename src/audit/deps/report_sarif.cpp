#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "audit/deps/audit_result.h"
#include "common/version.h"

namespace rampart::audit::deps {

namespace {

using nlohmann::json;

// GitHub code scanning ranks results by the "security-severity" property (a CVSS-like number).
std::string security_severity(const Finding& f) {
  char buf[16];
  double v = 0;
  if (f.score) {
    v = *f.score;
  } else {
    switch (f.severity) {
      case Severity::kCritical:
        v = 9.5;
        break;
      case Severity::kHigh:
        v = 8.0;
        break;
      case Severity::kMedium:
        v = 5.5;
        break;
      case Severity::kLow:
        v = 2.0;
        break;
      case Severity::kUnknown:
        v = 5.0;
        break;  // no rating: shown as medium, not hidden
    }
  }
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

const char* level_of(Severity s) {
  switch (s) {
    case Severity::kCritical:
    case Severity::kHigh:
      return "error";
    case Severity::kMedium:
    case Severity::kUnknown:
      return "warning";
    case Severity::kLow:
      break;
  }
  return "note";
}

std::string uri_for(const std::string& file, const std::string& base_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path abs = fs::weakly_canonical(fs::absolute(file, ec), ec);
  fs::path base = fs::weakly_canonical(fs::absolute(base_dir, ec), ec);
  fs::path rel = abs.lexically_relative(base);
  if (!rel.empty() && *rel.begin() != "..") return rel.generic_string();
  return "file://" + abs.generic_string();
}

}  // namespace

std::string render_sarif(const AuditResult& r, const std::string& base_dir) {
  json rules = json::array();
  std::map<std::string, size_t> rule_index;
  json results = json::array();
  for (const auto& f : r.findings) {
    if (!rule_index.count(f.id)) {
      rule_index[f.id] = rules.size();
      std::string help = f.summary;
      if (!f.aliases.empty()) {
        help += "\n\nAliases:";
        for (const auto& a : f.aliases) help += " " + a;
      }
      json rule = {{"id", f.id},
                   {"name", "VulnerableDependency"},
                   {"shortDescription", {{"text", f.id + ": " + f.dep.key + " " + f.summary}}},
                   {"fullDescription", {{"text", f.summary.empty() ? f.id : f.summary}}},
                   {"help", {{"text", help}}},
                   {"defaultConfiguration", {{"level", level_of(f.severity)}}},
                   {"properties",
                    {{"security-severity", security_severity(f)},
                     {"tags", {"security", "dependency", "vulnerability"}},
                     {"precision", "very-high"}}}};
      if (!f.references.empty()) rule["helpUri"] = f.references.front();
      rules.push_back(std::move(rule));
    }
    std::string message;
    if (f.unpinned) {
      message = f.dep.key + " " + (f.dep.specifier.empty() ? "(unpinned)" : f.dep.specifier) +
                " allows versions affected by " + f.id + ": " + f.vulnerable_range + ".";
    } else {
      message = f.dep.key + " " + f.dep.version + " is affected by " + f.id + ".";
    }
    if (!f.summary.empty()) message += " " + f.summary + ".";
    if (!f.fix_version.empty()) {
      message += " Upgrade to " + f.fix_version +
                 (f.fix_clears_all ? "."
                                   : " (the package has other advisories: " + f.package_fix +
                                         " clears them all).");
    } else {
      message += " No fixed version is known.";
    }
    json region = {{"startLine", std::max(1, f.dep.where.line)}};
    if (f.dep.where.end_line > f.dep.where.line) region["endLine"] = f.dep.where.end_line;
    json result = {
        {"ruleId", f.id},
        {"ruleIndex", rule_index[f.id]},
        {"level", level_of(f.severity)},
        {"message", {{"text", message}}},
        {"locations",
         {{{"physicalLocation",
            {{"artifactLocation",
              {{"uri", uri_for(f.dep.where.file, base_dir)}, {"uriBaseId", "%SRCROOT%"}}},
             {"region", region}}}}}},
        {"partialFingerprints", {{"rampartDependency/v1", f.dep.key + ":" + f.id}}}};
    if (!f.ignored_reason.empty()) {
      result["suppressions"] =
          json::array({{{"kind", "external"}, {"justification", f.ignored_reason}}});
    }
    results.push_back(std::move(result));
  }
  json sarif = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs",
                 {{{"tool",
                    {{"driver",
                      {{"name", "rampart"},
                       {"semanticVersion", kVersion},
                       {"informationUri", "https://github.com/rampart-security/rampart"},
                       {"rules", rules}}}}},
                   {"automationDetails", {{"id", "rampart/audit-deps/"}}},
                   {"results", results}}}}};
  return sarif.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace rampart::audit::deps
