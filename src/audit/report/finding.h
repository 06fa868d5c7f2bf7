#pragma once
// The vocabulary shared by every audit (code, dependencies, live): a rule, a finding located in a
// file or at a URL, the warnings met on the way, and the report that gathers them. The writers
// (text, JSON, SARIF, HTML) take a Report and know nothing of how it was produced.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rampart::audit {

enum class Severity { kLow = 0, kMedium = 1, kHigh = 2, kCritical = 3 };
enum class Confidence { kLow = 0, kMedium = 1, kHigh = 2 };

std::string_view severity_name(Severity s);  // "low", "medium", "high", "critical"
std::string_view confidence_name(Confidence c);
std::optional<Severity> parse_severity(std::string_view s);

// A rule as the reports describe it. `doc` is the long text: what it finds, why it matters, an
// example, what to write instead, references (Markdown).
struct RuleInfo {
  std::string code;   // "RA001"
  std::string name;   // "sql-injection": a stable slug
  std::string title;  // one line
  Severity severity = Severity::kMedium;
  Confidence confidence = Confidence::kMedium;  // the rule's default
  std::string practice;  // the guide's practice it belongs to: "SQL injection", "XSS", ...
  std::string doc;
};

// Where a finding is. Lines and columns are 1-based; columns count Unicode code points.
// end_* may equal the start. `source_line` is the text of line `line` (without the newline) for
// the excerpt, when there is one.
struct Location {
  std::string path;  // as given by the user or relative to the scanned root; '/' separators
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t end_line = 0;
  uint32_t end_column = 0;
  std::string source_line;
};

enum class Suppression { kNone, kNosec, kIgnoreComment, kBaseline };
std::string_view suppression_name(Suppression s);  // "", "nosec", "ignore-comment", "baseline"

struct Finding {
  std::string rule;  // the RuleInfo code
  Severity severity = Severity::kMedium;
  Confidence confidence = Confidence::kMedium;
  std::string message;
  Location location;
  // Extra lines shown under the excerpt ("request data: request.args at line 4").
  std::vector<std::string> notes;
  Suppression suppression = Suppression::kNone;
  std::string fingerprint;  // stable across unrelated edits; see baseline.h
};

struct Warning {
  std::string path;
  uint32_t line = 0;  // 0 when it concerns the whole file
  std::string message;
};

struct Report {
  std::string tool = "rampart";
  std::string tool_version;
  std::string kind;               // "code", "deps", "live"
  std::vector<RuleInfo> rules;    // every rule that ran, for SARIF's rule table and the HTML page
  std::vector<Finding> findings;  // sorted by path, line, column, rule
  std::vector<Warning> warnings;
  uint64_t files_scanned = 0;
  uint64_t files_skipped = 0;

  const RuleInfo* rule(std::string_view code) const;
  // Findings that are not suppressed, at or above `threshold`.
  size_t active_count(Severity threshold = Severity::kLow) const;
};

}  // namespace rampart::audit
