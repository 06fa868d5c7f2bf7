#include "audit/report/html_writer.h"

#include <set>

namespace rampart::audit {

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

constexpr const char* kStyle = R"(body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4em .6em;text-align:left;vertical-align:top}
.sev{font-weight:bold;border-radius:3px;padding:0 .4em;color:#fff}
.critical{background:#7b1fa2}.high{background:#c62828}.medium{background:#ef6c00}.low{background:#0277bd}
pre{background:#f6f8fa;padding:.5em;margin:.3em 0;overflow-x:auto}.muted{color:#777}
details{margin:.5em 0})";

}  // namespace

std::string render_html(const Report& report) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'\"><title>rampart audit " +
      html_escape(report.kind) + "</title><style>" + kStyle + "</style></head><body>\n";
  out += "<h1>rampart audit " + html_escape(report.kind) + "</h1>\n<p>" +
         std::to_string(report.active_count()) + " findings in " +
         std::to_string(report.files_scanned) + " files scanned (" +
         std::to_string(report.files_skipped) + " skipped). rampart " +
         html_escape(report.tool_version) + "</p>\n";
  out +=
      "<table><thead><tr><th>severity</th><th>rule</th><th>location</th><th>finding</th></tr>"
      "</thead><tbody>\n";
  std::set<std::string> used;
  for (const auto& f : report.findings) {
    if (f.suppression != Suppression::kNone) continue;
    used.insert(f.rule);
    std::string sev(severity_name(f.severity));
    out += "<tr><td><span class=\"sev " + sev + "\">" + sev + "</span></td><td><a href=\"#" +
           html_escape(f.rule) + "\">" + html_escape(f.rule) + "</a></td><td>" +
           html_escape(f.location.path) + ":" + std::to_string(f.location.line) + "</td><td>" +
           html_escape(f.message);
    if (!f.location.source_line.empty()) {
      out += "<pre>" + html_escape(f.location.source_line) + "</pre>";
    }
    for (const auto& n : f.notes) out += "<div class=\"muted\">" + html_escape(n) + "</div>";
    out += "<div class=\"muted\">confidence: " + std::string(confidence_name(f.confidence)) +
           "</div></td></tr>\n";
  }
  out += "</tbody></table>\n";
  if (!report.warnings.empty()) {
    out += "<h2>Warnings</h2><ul>\n";
    for (const auto& w : report.warnings) {
      out += "<li>" + html_escape(w.path) + (w.line ? ":" + std::to_string(w.line) : "") + ": " +
             html_escape(w.message) + "</li>\n";
    }
    out += "</ul>\n";
  }
  out += "<h2>Rules</h2>\n";
  for (const auto& r : report.rules) {
    if (!used.count(r.code)) continue;
    out += "<details id=\"" + html_escape(r.code) + "\"><summary><b>" + html_escape(r.code) +
           "</b> " + html_escape(r.title) + " <span class=\"muted\">(" + html_escape(r.practice) +
           ")</span></summary><pre>" + html_escape(r.doc) + "</pre></details>\n";
  }
  out += "</body></html>\n";
  return out;
}

}  // namespace rampart::audit
