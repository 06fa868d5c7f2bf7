#include "audit/report/json_writer.h"

#include <nlohmann/json.hpp>

namespace rampart::audit {

std::string render_json(const Report& report) {
  using nlohmann::json;
  json findings = json::array();
  json by_severity = {{"critical", 0}, {"high", 0}, {"medium", 0}, {"low", 0}};
  size_t active = 0, suppressed = 0;
  for (const auto& f : report.findings) {
    const RuleInfo* rule = report.rule(f.rule);
    json j = {
        {"rule", f.rule},
        {"name", rule ? rule->name : ""},
        {"title", rule ? rule->title : ""},
        {"severity", severity_name(f.severity)},
        {"confidence", confidence_name(f.confidence)},
        {"message", f.message},
        {"path", f.location.path},
        {"line", f.location.line},
        {"column", f.location.column},
        {"end_line", f.location.end_line},
        {"end_column", f.location.end_column},
        {"notes", f.notes},
        {"suppressed", f.suppression == Suppression::kNone ? json(nullptr)
                                                           : json(suppression_name(f.suppression))},
        {"fingerprint", f.fingerprint}};
    findings.push_back(std::move(j));
    if (f.suppression == Suppression::kNone) {
      ++active;
      by_severity[std::string(severity_name(f.severity))] =
          by_severity[std::string(severity_name(f.severity))].get<int>() + 1;
    } else {
      ++suppressed;
    }
  }
  json warnings = json::array();
  for (const auto& w : report.warnings) {
    warnings.push_back({{"path", w.path}, {"line", w.line}, {"message", w.message}});
  }
  json doc = {{"tool", {{"name", report.tool}, {"version", report.tool_version}}},
              {"kind", report.kind},
              {"summary",
               {{"files_scanned", report.files_scanned},
                {"files_skipped", report.files_skipped},
                {"findings", active},
                {"by_severity", by_severity},
                {"suppressed", suppressed}}},
              {"findings", std::move(findings)},
              {"warnings", std::move(warnings)}};
  // Replace invalid UTF-8 (a source line from a Latin-1 file) instead of throwing.
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace rampart::audit
