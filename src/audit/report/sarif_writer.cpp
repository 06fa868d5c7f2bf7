#include "audit/report/sarif_writer.h"

#include <map>
#include <nlohmann/json.hpp>

namespace rampart::audit {

namespace {

using nlohmann::json;

std::string_view level(Severity s) {
  switch (s) {
    case Severity::kCritical:
    case Severity::kHigh:
      return "error";
    case Severity::kMedium:
      return "warning";
    case Severity::kLow:
      return "note";
  }
  return "warning";
}

// GitHub's scale for "security-severity" (0.0-10.0).
std::string_view security_severity(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "9.5";
    case Severity::kHigh:
      return "8.0";
    case Severity::kMedium:
      return "5.5";
    case Severity::kLow:
      return "3.0";
  }
  return "5.5";
}

std::string_view precision(Confidence c) {
  switch (c) {
    case Confidence::kHigh:
      return "high";
    case Confidence::kMedium:
      return "medium";
    case Confidence::kLow:
      return "low";
  }
  return "medium";
}

json artifact(std::string_view path) {
  return {{"uri", uri_path(path)}, {"uriBaseId", "%SRCROOT%"}};
}

}  // namespace

std::string uri_path(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                std::string_view("-._~/!$&'()*+,;=:@").find(ch) != std::string_view::npos;
    if (keep) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string render_sarif(const Report& report) {
  json rules = json::array();
  std::map<std::string, size_t> index;
  for (const auto& r : report.rules) {
    index[r.code] = rules.size();
    rules.push_back({{"id", r.code},
                     {"name", r.name},
                     {"shortDescription", {{"text", r.title}}},
                     {"fullDescription", {{"text", r.title}}},
                     {"help", {{"text", r.doc}, {"markdown", r.doc}}},
                     {"defaultConfiguration", {{"level", level(r.severity)}}},
                     {"properties",
                      {{"tags", json::array({"security", r.practice})},
                       {"precision", precision(r.confidence)},
                       {"security-severity", security_severity(r.severity)}}}});
  }
  json results = json::array();
  for (const auto& f : report.findings) {
    const Location& l = f.location;
    json region = {{"startLine", std::max<uint32_t>(l.line, 1)}};
    if (l.column > 0) region["startColumn"] = l.column;
    if (l.end_line > 0) region["endLine"] = l.end_line;
    if (l.end_column > 0) region["endColumn"] = l.end_column;
    if (!l.source_line.empty()) region["snippet"] = {{"text", l.source_line}};
    std::string text = f.message;
    for (const auto& n : f.notes) text += "\n" + n;
    json result = {
        {"ruleId", f.rule},
        {"level", level(f.severity)},
        {"message", {{"text", text}}},
        {"locations",
         json::array({{{"physicalLocation",
                        {{"artifactLocation", artifact(l.path)}, {"region", region}}}}})},
        {"partialFingerprints", {{"rampart/v1", f.fingerprint}}},
        {"properties",
         {{"confidence", confidence_name(f.confidence)}, {"severity", severity_name(f.severity)}}}};
    if (auto it = index.find(f.rule); it != index.end()) result["ruleIndex"] = it->second;
    if (f.suppression == Suppression::kBaseline) {
      result["suppressions"] = json::array({{{"kind", "external"}, {"justification", "baseline"}}});
    } else if (f.suppression != Suppression::kNone) {
      result["suppressions"] =
          json::array({{{"kind", "inSource"}, {"justification", suppression_name(f.suppression)}}});
    }
    results.push_back(std::move(result));
  }
  json notifications = json::array();
  for (const auto& w : report.warnings) {
    json region = {{"startLine", std::max<uint32_t>(w.line, 1)}};
    json n = {{"level", "warning"}, {"message", {{"text", w.message}}}};
    if (!w.path.empty()) {
      json phys = {{"artifactLocation", artifact(w.path)}};
      if (w.line > 0) phys["region"] = region;
      n["locations"] = json::array({{{"physicalLocation", phys}}});
    }
    notifications.push_back(std::move(n));
  }
  json run = {{"tool",
               {{"driver",
                 {{"name", report.tool},
                  {"version", report.tool_version},
                  {"semanticVersion", report.tool_version},
                  {"rules", std::move(rules)}}}}},
              {"columnKind", "unicodeCodePoints"},
              {"results", std::move(results)},
              {"invocations", json::array({{{"executionSuccessful", true},
                                            {"toolExecutionNotifications", notifications}}})}};
  json doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({std::move(run)})}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace rampart::audit
