// The report writers on a small hand-made report: what a user or a tool reading them sees.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "audit/report/baseline.h"
#include "audit/report/html_writer.h"
#include "audit/report/json_writer.h"
#include "audit/report/sarif_writer.h"
#include "audit/report/text_writer.h"

namespace rampart::audit {
namespace {

Report sample() {
  Report r;
  r.tool_version = "0.1.0";
  r.kind = "code";
  r.files_scanned = 2;
  r.rules.push_back({"RA001", "sql-injection", "SQL built from data reaches a query",
                     Severity::kHigh, Confidence::kHigh, "SQL injection", "Why: ..."});
  r.rules.push_back({"RA060", "debug-enabled", "Debug mode on", Severity::kHigh, Confidence::kHigh,
                     "HTTPS", "Why: ..."});
  Finding a;
  a.rule = "RA001";
  a.severity = Severity::kHigh;
  a.confidence = Confidence::kHigh;
  a.message = "SQL from request data reaches execute()";
  a.location = {"app/views.py", 12, 5, 12, 20, "    cur.execute(q + <x>)"};
  a.notes = {"request data: request.args (line 10)"};
  Finding b;
  b.rule = "RA060";
  b.severity = Severity::kHigh;
  b.message = "DEBUG = True";
  b.location = {"my app/settings.py", 3, 1, 3, 6, "DEBUG = True  # nosec"};
  b.suppression = Suppression::kNosec;
  r.findings = {a, b};
  r.warnings.push_back({"app/broken.py", 7, "syntax error"});
  assign_fingerprints(r);
  return r;
}

TEST(TextWriter, ExcerptWithCaretAndSummary) {
  EXPECT_EQ(render_text(sample(), {}),
            "app/views.py:12:5: RA001 [high] SQL from request data reaches execute()\n"
            "   |\n"
            "12 |     cur.execute(q + <x>)\n"
            "   |     ^^^^^^^^^^^^^^^\n"
            "   = request data: request.args (line 10)\n"
            "\n"
            "Found 1 finding (1 high) in 2 files scanned; 1 suppressed in the source (1 nosec, 0 "
            "rampart: ignore)\n");
}

TEST(TextWriter, ColourOnlyWhenAsked) {
  std::string plain = render_text(sample(), {});
  TextOptions o;
  o.color = true;
  std::string color = render_text(sample(), o);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  EXPECT_NE(color.find("\x1b[1;31mRA001 [high]\x1b[0m"), std::string::npos);
}

TEST(JsonWriter, FindingsSummaryAndWarnings) {
  auto j = nlohmann::json::parse(render_json(sample()));
  EXPECT_EQ(j["summary"]["findings"], 1);
  EXPECT_EQ(j["summary"]["suppressed"], 1);
  EXPECT_EQ(j["summary"]["by_severity"]["high"], 1);
  EXPECT_EQ(j["findings"][0]["rule"], "RA001");
  EXPECT_EQ(j["findings"][0]["name"], "sql-injection");
  EXPECT_EQ(j["findings"][0]["line"], 12);
  EXPECT_EQ(j["findings"][0]["suppressed"], nullptr);
  EXPECT_EQ(j["findings"][1]["suppressed"], "nosec");
  EXPECT_EQ(j["warnings"][0]["message"], "syntax error");
}

// The writer streams its text; it must stay exactly what nlohmann::json's dump(2) of the same
// document gives (the layout scripts and snapshots have seen), escapes and invalid UTF-8 included.
TEST(JsonWriter, SameTextAsTheJsonLibrary) {
  Report r = sample();
  r.findings[0].message = "quote \" backslash \\ tab \t nl \n cr \r bell \a del \x7f";
  r.findings[0].notes.push_back("caf\xc3\xa9 \xe2\x9c\x93 and \x01\x1f\b\f");
  r.findings[1].message = "latin-1 caf\xe9 (invalid UTF-8)";
  r.findings[1].notes.clear();
  r.warnings.push_back({"d\xffir/x.py", 0, "binary file; skipped"});
  using nlohmann::json;
  json findings = json::array();
  json by_severity = {{"critical", 0}, {"high", 0}, {"medium", 0}, {"low", 0}};
  size_t active = 0, suppressed = 0;
  for (const auto& f : r.findings) {
    const RuleInfo* rule = r.rule(f.rule);
    findings.push_back({{"rule", f.rule},
                        {"name", rule->name},
                        {"title", rule->title},
                        {"severity", severity_name(f.severity)},
                        {"confidence", confidence_name(f.confidence)},
                        {"message", f.message},
                        {"path", f.location.path},
                        {"line", f.location.line},
                        {"column", f.location.column},
                        {"end_line", f.location.end_line},
                        {"end_column", f.location.end_column},
                        {"notes", f.notes},
                        {"suppressed", f.suppression == Suppression::kNone
                                           ? json(nullptr)
                                           : json(suppression_name(f.suppression))},
                        {"fingerprint", f.fingerprint}});
    if (f.suppression == Suppression::kNone) {
      ++active;
      std::string s(severity_name(f.severity));
      by_severity[s] = by_severity[s].get<int>() + 1;
    } else {
      ++suppressed;
    }
  }
  json warnings = json::array();
  for (const auto& w : r.warnings)
    warnings.push_back({{"path", w.path}, {"line", w.line}, {"message", w.message}});
  json doc = {{"tool", {{"name", r.tool}, {"version", r.tool_version}}},
              {"kind", r.kind},
              {"summary",
               {{"files_scanned", r.files_scanned},
                {"files_skipped", r.files_skipped},
                {"findings", active},
                {"by_severity", by_severity},
                {"suppressed", suppressed}}},
              {"findings", std::move(findings)},
              {"warnings", std::move(warnings)}};
  EXPECT_EQ(render_json(r), doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  Report empty;
  empty.kind = "code";
  EXPECT_EQ(render_json(empty),
            "{\n  \"findings\": [],\n  \"kind\": \"code\",\n  \"summary\": {\n    "
            "\"by_severity\": {\n      \"critical\": 0,\n      \"high\": 0,\n      \"low\": 0,\n"
            "      \"medium\": 0\n    },\n    \"files_scanned\": 0,\n    \"files_skipped\": 0,\n"
            "    \"findings\": 0,\n    \"suppressed\": 0\n  },\n  \"tool\": {\n    \"name\": "
            "\"rampart\",\n    \"version\": \"\"\n  },\n  \"warnings\": []\n}\n");
}

TEST(SarifWriter, RulesResultsLocationsAndSuppressions) {
  auto j = nlohmann::json::parse(render_sarif(sample()));
  EXPECT_EQ(j["version"], "2.1.0");
  const auto& run = j["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "rampart");
  EXPECT_EQ(run["tool"]["driver"]["rules"][0]["id"], "RA001");
  EXPECT_EQ(run["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"], "error");
  const auto& res = run["results"][0];
  EXPECT_EQ(res["ruleId"], "RA001");
  EXPECT_EQ(res["ruleIndex"], 0);
  EXPECT_EQ(res["level"], "error");
  const auto& loc = res["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"], "app/views.py");
  EXPECT_EQ(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(loc["region"]["startLine"], 12);
  EXPECT_EQ(loc["region"]["startColumn"], 5);
  EXPECT_EQ(loc["region"]["endColumn"], 20);
  EXPECT_FALSE(res.contains("suppressions"));
  EXPECT_EQ(run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "my%20app/settings.py");
  EXPECT_EQ(run["results"][1]["suppressions"][0]["kind"], "inSource");
  EXPECT_EQ(run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"],
            "syntax error");
  EXPECT_EQ(res["partialFingerprints"]["rampart/v1"].get<std::string>().size(), 16u);
}

TEST(HtmlWriter, EscapesEverythingFromTheSource) {
  std::string html = render_html(sample());
  EXPECT_NE(html.find("cur.execute(q + &lt;x&gt;)"), std::string::npos);
  EXPECT_EQ(html.find("<x>"), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(Baseline, RoundTripSuppressesKnownFindings) {
  Report r = sample();
  std::string text = render_baseline(r);
  auto parsed = parse_baseline(text, "b.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->size(), 1u);  // only unsuppressed findings
  Report again = sample();
  again.findings[0].location.line = 40;  // moved: same fingerprint
  assign_fingerprints(again);
  apply_baseline(again, *parsed);
  EXPECT_EQ(again.findings[0].suppression, Suppression::kBaseline);
  EXPECT_EQ(again.active_count(), 0u);
}

TEST(Baseline, BadFilesAreClearErrors) {
  EXPECT_EQ(parse_baseline("[]", "b.json").status().message(),
            "b.json: not a baseline file (expected a JSON object)");
  EXPECT_EQ(parse_baseline("{\"version\": 2}", "b.json").status().message(),
            "b.json: unsupported baseline version (expected \"version\": 1)");
  EXPECT_EQ(parse_baseline("{\"version\": 1, \"fingerprints\": [1]}", "b.json").status().message(),
            "b.json: \"fingerprints\" must hold strings");
}

}  // namespace
}  // namespace rampart::audit
