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

// Appends pieces one by one (GCC 12 at -O3 misreads chains of literal + std::string as
// overlapping copies).
static void add(std::string& out, std::initializer_list<std::string_view> parts) {
  for (auto p : parts) out.append(p);
}

std::string render_html(const Report& report) {
  std::string out;
  std::string kind = html_escape(report.kind);
  add(out, {"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ",
            "style-src 'unsafe-inline'\"><title>rampart audit ", kind, "</title><style>", kStyle,
            "</style></head><body>\n"});
  add(out, {"<h1>rampart audit ", kind, "</h1>\n<p>", std::to_string(report.active_count()),
            " findings in ", std::to_string(report.files_scanned), " files scanned (",
            std::to_string(report.files_skipped), " skipped). rampart ",
            html_escape(report.tool_version), "</p>\n"});
  out.append(
      "<table><thead><tr><th>severity</th><th>rule</th><th>location</th><th>finding</th></tr>"
      "</thead><tbody>\n");
  std::set<std::string> used;
  for (const auto& f : report.findings) {
    if (f.suppression != Suppression::kNone) continue;
    used.insert(f.rule);
    std::string_view sev = severity_name(f.severity);
    std::string rule = html_escape(f.rule);
    add(out, {"<tr><td><span class=\"sev ", sev, "\">", sev, "</span></td><td><a href=\"#", rule,
              "\">", rule, "</a></td><td>", html_escape(f.location.path), ":",
              std::to_string(f.location.line), "</td><td>", html_escape(f.message)});
    if (!f.location.source_line.empty()) {
      add(out, {"<pre>", html_escape(f.location.source_line), "</pre>"});
    }
    for (const auto& n : f.notes) add(out, {"<div class=\"muted\">", html_escape(n), "</div>"});
    add(out,
        {"<div class=\"muted\">confidence: ", confidence_name(f.confidence), "</div></td></tr>\n"});
  }
  out.append("</tbody></table>\n");
  if (!report.warnings.empty()) {
    out.append("<h2>Warnings</h2><ul>\n");
    for (const auto& w : report.warnings) {
      std::string line;
      if (w.line) line.append(":").append(std::to_string(w.line));
      add(out, {"<li>", html_escape(w.path), line, ": ", html_escape(w.message), "</li>\n"});
    }
    out.append("</ul>\n");
  }
  out.append("<h2>Rules</h2>\n");
  for (const auto& r : report.rules) {
    if (!used.count(r.code)) continue;
    std::string code = html_escape(r.code);
    add(out, {"<details id=\"", code, "\"><summary><b>", code, "</b> ", html_escape(r.title),
              " <span class=\"muted\">(", html_escape(r.practice), ")</span></summary><pre>",
              html_escape(r.doc), "</pre></details>\n"});
  }
  out.append("</body></html>\n");
  return out;
}

}  // namespace rampart::audit
