#include "audit/python/rule.h"

#include <algorithm>

#include "audit/python/syntax.h"

namespace rampart::audit::python {

namespace {

uint32_t code_points(std::string_view s) {
  uint32_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

Location location_of(std::string_view path, std::string_view src, uint32_t begin, uint32_t end,
                     const std::vector<uint32_t>* line_starts) {
  begin = std::min<uint32_t>(begin, static_cast<uint32_t>(src.size()));
  end = std::clamp<uint32_t>(end, begin, static_cast<uint32_t>(src.size()));
  Location loc;
  loc.path = std::string(path);
  size_t line_start = src.rfind('\n', begin == 0 ? std::string_view::npos : begin - 1);
  line_start = (begin == 0 || line_start == std::string_view::npos) ? 0 : line_start + 1;
  if (begin > 0 && src[begin - 1] == '\n') line_start = begin;
  if (line_starts && !line_starts->empty()) {
    auto it = std::upper_bound(line_starts->begin(), line_starts->end(),
                               static_cast<uint32_t>(line_start));
    loc.line = static_cast<uint32_t>(it - line_starts->begin());
  } else {
    loc.line = 1 + static_cast<uint32_t>(std::count(src.begin(), src.begin() + line_start, '\n'));
  }
  loc.column = 1 + code_points(src.substr(line_start, begin - line_start));
  size_t line_end = src.find('\n', begin);
  if (line_end == std::string_view::npos) line_end = src.size();
  std::string_view line = src.substr(line_start, line_end - line_start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  loc.source_line = std::string(line.substr(0, 400));
  size_t end_line_start = src.rfind('\n', end == 0 ? 0 : end - 1);
  end_line_start = (end == 0 || end_line_start == std::string_view::npos) ? 0 : end_line_start + 1;
  if (end_line_start > end) end_line_start = line_start;
  loc.end_line = loc.line + static_cast<uint32_t>(
                                std::count(src.begin() + line_start, src.begin() + end, '\n'));
  if (loc.end_line == loc.line) {
    loc.end_column = loc.column + code_points(src.substr(begin, end - begin));
  } else {
    loc.end_column = 1 + code_points(src.substr(end_line_start, end - end_line_start));
  }
  return loc;
}

const RuleContext::CallInfo& RuleContext::call_info(TSNode call) {
  if (call.id == last_call_id_ && last_call_) return *last_call_;
  auto it = calls_.find(call.id);
  if (it == calls_.end()) {
    TSNode fn = field(call, "function");
    it = calls_
             .emplace(call.id, CallInfo{imports_.qualify(fn, src_), last_name(fn, src_),
                                        call_args(call, src_)})
             .first;
  }
  last_call_id_ = call.id;
  last_call_ = &it->second;
  return it->second;
}

Rule make_rule(const RuleSpec& spec, std::initializer_list<std::string_view> kinds,
               void (*check)(RuleContext&), void (*check_template)(TemplateContext&),
               void (*check_project)(ProjectContext&)) {
  Rule r;
  r.info.code = spec.code;
  r.info.name = spec.name;
  r.info.title = spec.title;
  r.info.severity = spec.severity;
  r.info.confidence = spec.confidence;
  r.info.practice = spec.practice;
  r.info.doc = spec.doc;
  r.kinds.assign(kinds.begin(), kinds.end());
  r.check = check;
  r.check_template = check_template;
  r.check_project = check_project;
  return r;
}

std::string_view RuleContext::text(TSNode n) const { return python::text(n, src_); }

Location RuleContext::location(TSNode n) const {
  if (line_starts_.empty()) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < src_.size(); ++i) {
      if (src_[i] == '\n') line_starts_.push_back(static_cast<uint32_t>(i + 1));
    }
  }
  return location_of(path_, src_, ts_node_start_byte(n), ts_node_end_byte(n), &line_starts_);
}

std::string RuleContext::source_note(const Taint& t) {
  std::string s = "request data: " + std::string(t.source);
  if (t.source_line > 0) s += " (line " + std::to_string(t.source_line) + ")";
  return s;
}

void RuleContext::report(TSNode at, std::string message, Confidence confidence,
                         std::vector<std::string> notes) {
  report_severity(at, rule->info.severity, std::move(message), confidence, std::move(notes));
}

void RuleContext::report_severity(TSNode at, Severity severity, std::string message,
                                  Confidence confidence, std::vector<std::string> notes) {
  out_.push_back(RawFinding{rule->info.code, severity, confidence, std::move(message), location(at),
                            std::move(notes)});
}

void TemplateContext::report(size_t begin, size_t end, std::string message, Confidence confidence) {
  out->push_back(
      RawFinding{rule->info.code,
                 rule->info.severity,
                 confidence,
                 std::move(message),
                 location_of(path, text, static_cast<uint32_t>(begin), static_cast<uint32_t>(end)),
                 {}});
}

void ProjectContext::report(const Location& at, std::string message, Confidence confidence,
                            std::vector<std::string> notes) {
  out->push_back(RawFinding{rule->info.code, rule->info.severity, confidence, std::move(message),
                            at, std::move(notes)});
}

}  // namespace rampart::audit::python
