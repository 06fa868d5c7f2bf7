#include "audit/report/json_writer.h"

#include <array>
#include <nlohmann/json.hpp>

namespace rampart::audit {

namespace {

// The report is written straight to text in the exact layout of nlohmann::json's dump(2) (keys in
// sorted order, two-space indent), which the report had before: building the document as a
// nlohmann::json tree cost about 60,000 instructions per finding (a std::map per object, then a
// byte-by-byte UTF-8 check), and a large tree has tens of thousands of findings written after
// the parallel scan, on one thread. Strings that are plain ASCII are escaped here; any other
// string goes through nlohmann::json, which checks the UTF-8 and replaces invalid bytes.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void string(std::string_view s) {
    for (unsigned char c : s) {
      if (c >= 0x80) {
        out_ += nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
      }
    }
    out_ += '"';
    size_t run = 0;  // start of the pending run of characters that need no escape
    for (size_t i = 0; i < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(s.data() + run, i - run);
      run = i + 1;
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\t':
          out_ += "\\t";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\f':
          out_ += "\\f";
          break;
        case '\r':
          out_ += "\\r";
          break;
        default: {
          static constexpr char kHex[] = "0123456789abcdef";
          out_ += "\\u00";
          out_ += kHex[c >> 4];
          out_ += kHex[c & 15];
        }
      }
    }
    out_.append(s.data() + run, s.size() - run);
    out_ += '"';
  }

  void number(uint64_t v) {
    std::array<char, 24> buf;
    char* end = buf.data() + buf.size();
    char* p = end;
    do {
      *--p = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v);
    out_.append(p, end);
  }

  // Containers: open, then key()/item() before each member, then close.
  void open(char bracket) {
    out_ += bracket;
    first_.push_back(true);
  }
  void close(char bracket) {
    bool empty = first_.back();
    first_.pop_back();
    if (!empty) {
      out_ += '\n';
      indent();
    }
    out_ += bracket;
  }
  void key(std::string_view k) {
    item();
    out_ += '"';
    out_ += k;  // the writer's own keys: plain ASCII
    out_ += "\": ";
  }
  void item() {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
    out_ += '\n';
    indent();
  }
  void raw(std::string_view s) { out_ += s; }

 private:
  void indent() { out_.append(2 * first_.size(), ' '); }

  std::string& out_;
  std::vector<bool> first_;  // per open container: no member written yet
};

}  // namespace

std::string render_json(const Report& report) {
  std::array<uint64_t, 4> by_severity{};  // indexed by Severity
  uint64_t active = 0, suppressed = 0;
  for (const auto& f : report.findings) {
    if (f.suppression == Suppression::kNone) {
      ++active;
      ++by_severity[static_cast<size_t>(f.severity)];
    } else {
      ++suppressed;
    }
  }
  std::string out;
  out.reserve(600 * report.findings.size() + 1024);
  Writer w(out);
  w.open('{');
  w.key("findings");
  w.open('[');
  for (const auto& f : report.findings) {
    const RuleInfo* rule = report.rule(f.rule);
    w.item();
    w.open('{');
    w.key("column");
    w.number(f.location.column);
    w.key("confidence");
    w.string(confidence_name(f.confidence));
    w.key("end_column");
    w.number(f.location.end_column);
    w.key("end_line");
    w.number(f.location.end_line);
    w.key("fingerprint");
    w.string(f.fingerprint);
    w.key("line");
    w.number(f.location.line);
    w.key("message");
    w.string(f.message);
    w.key("name");
    w.string(rule ? std::string_view(rule->name) : std::string_view());
    w.key("notes");
    w.open('[');
    for (const auto& n : f.notes) {
      w.item();
      w.string(n);
    }
    w.close(']');
    w.key("path");
    w.string(f.location.path);
    w.key("rule");
    w.string(f.rule);
    w.key("severity");
    w.string(severity_name(f.severity));
    w.key("suppressed");
    if (f.suppression == Suppression::kNone)
      w.raw("null");
    else
      w.string(suppression_name(f.suppression));
    w.key("title");
    w.string(rule ? std::string_view(rule->title) : std::string_view());
    w.close('}');
  }
  w.close(']');
  w.key("kind");
  w.string(report.kind);
  w.key("summary");
  w.open('{');
  w.key("by_severity");
  w.open('{');
  w.key("critical");
  w.number(by_severity[static_cast<size_t>(Severity::kCritical)]);
  w.key("high");
  w.number(by_severity[static_cast<size_t>(Severity::kHigh)]);
  w.key("low");
  w.number(by_severity[static_cast<size_t>(Severity::kLow)]);
  w.key("medium");
  w.number(by_severity[static_cast<size_t>(Severity::kMedium)]);
  w.close('}');
  w.key("files_scanned");
  w.number(report.files_scanned);
  w.key("files_skipped");
  w.number(report.files_skipped);
  w.key("findings");
  w.number(active);
  w.key("suppressed");
  w.number(suppressed);
  w.close('}');
  w.key("tool");
  w.open('{');
  w.key("name");
  w.string(report.tool);
  w.key("version");
  w.string(report.tool_version);
  w.close('}');
  w.key("warnings");
  w.open('[');
  for (const auto& warning : report.warnings) {
    w.item();
    w.open('{');
    w.key("line");
    w.number(warning.line);
    w.key("message");
    w.string(warning.message);
    w.key("path");
    w.string(warning.path);
    w.close('}');
  }
  w.close(']');
  w.close('}');
  out += '\n';
  return out;
}

}  // namespace rampart::audit
