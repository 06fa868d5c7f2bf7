#include "audit/report/text_writer.h"

#include <algorithm>
#include <cstdio>

namespace rampart::audit {

namespace {

constexpr const char* kReset = "\x1b[0m";
constexpr const char* kBold = "\x1b[1m";
constexpr const char* kDim = "\x1b[2m";
constexpr const char* kBlue = "\x1b[34m";

const char* severity_color(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "\x1b[1;35m";
    case Severity::kHigh:
      return "\x1b[1;31m";
    case Severity::kMedium:
      return "\x1b[33m";
    case Severity::kLow:
      return "\x1b[36m";
  }
  return "";
}

// Code points of a UTF-8 line, with tabs shown as one space so that the caret lines up.
std::vector<std::string> code_points(const std::string& line) {
  std::vector<std::string> out;
  for (size_t i = 0; i < line.size();) {
    size_t n = 1;
    auto c = static_cast<unsigned char>(line[i]);
    if (c >= 0xF0)
      n = 4;
    else if (c >= 0xE0)
      n = 3;
    else if (c >= 0xC0)
      n = 2;
    n = std::min(n, line.size() - i);
    std::string cp = line.substr(i, n);
    if (cp == "\t") cp = " ";
    if (cp.size() == 1 && static_cast<unsigned char>(cp[0]) < 0x20) cp = " ";
    out.push_back(cp);
    i += n;
  }
  return out;
}

class Painter {
 public:
  explicit Painter(bool on) : on_(on) {}
  std::string operator()(const char* code, std::string_view text) const {
    if (!on_) return std::string(text);
    return std::string(code) + std::string(text) + kReset;
  }

 private:
  bool on_;
};

void render_finding(const Finding& f, const Painter& paint, std::string& out) {
  const Location& loc = f.location;
  out += paint(kBold,
               loc.path + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column) + ":");
  out += " ";
  out += paint(severity_color(f.severity),
               f.rule + " [" + std::string(severity_name(f.severity)) + "]");
  out += " " + f.message;
  if (f.suppression != Suppression::kNone) {
    out += " " + paint(kDim, "(suppressed: " + std::string(suppression_name(f.suppression)) + ")");
  }
  out += "\n";
  if (loc.line > 0 && !loc.source_line.empty()) {
    std::string num = std::to_string(loc.line);
    std::string gutter(num.size(), ' ');
    auto cps = code_points(loc.source_line);
    std::string shown;
    for (const auto& cp : cps) shown += cp;
    out += paint(kBlue, gutter + " |") + "\n";
    out += paint(kBlue, num + " |") + " " + shown + "\n";
    size_t start = loc.column > 0 ? loc.column - 1 : 0;
    start = std::min(start, cps.size());
    size_t end =
        (loc.end_line == loc.line && loc.end_column > loc.column) ? loc.end_column - 1 : cps.size();
    end = std::clamp(end, start + 1, std::max(cps.size(), start + 1));
    out += paint(kBlue, gutter + " |") + " " + std::string(start, ' ') +
           paint(severity_color(f.severity), std::string(end - start, '^')) + "\n";
    for (const auto& note : f.notes) out += paint(kBlue, gutter + " =") + " " + note + "\n";
  } else {
    for (const auto& note : f.notes) out += "  = " + note + "\n";
  }
  out += "\n";
}

}  // namespace

std::string render_text(const Report& report, const TextOptions& options) {
  Painter paint(options.color);
  std::string out;
  size_t by_sev[4] = {0, 0, 0, 0};
  size_t nosec = 0, ignored = 0, baselined = 0, active = 0;
  for (const auto& f : report.findings) {
    switch (f.suppression) {
      case Suppression::kNosec:
        ++nosec;
        break;
      case Suppression::kIgnoreComment:
        ++ignored;
        break;
      case Suppression::kBaseline:
        ++baselined;
        break;
      case Suppression::kNone:
        ++active;
        ++by_sev[static_cast<int>(f.severity)];
        break;
    }
    if (f.suppression == Suppression::kNone ||
        (options.show_suppressed && f.suppression != Suppression::kBaseline)) {
      render_finding(f, paint, out);
    }
  }
  std::string files = std::to_string(report.files_scanned) +
                      (report.files_scanned == 1 ? " file" : " files") + " scanned";
  if (report.files_skipped > 0) files += ", " + std::to_string(report.files_skipped) + " skipped";
  if (active == 0) {
    out += paint(kBold, "No findings") + " (" + files + ")";
  } else {
    std::string counts;
    static constexpr Severity kOrder[] = {Severity::kCritical, Severity::kHigh, Severity::kMedium,
                                          Severity::kLow};
    for (Severity s : kOrder) {
      size_t n = by_sev[static_cast<int>(s)];
      if (n == 0) continue;
      if (!counts.empty()) counts += ", ";
      counts += std::to_string(n) + " " + std::string(severity_name(s));
    }
    out +=
        paint(kBold, "Found " + std::to_string(active) + (active == 1 ? " finding" : " findings")) +
        " (" + counts + ") in " + files;
  }
  if (nosec + ignored > 0) {
    out += "; " + std::to_string(nosec + ignored) + " suppressed in the source (" +
           std::to_string(nosec) + " nosec, " + std::to_string(ignored) + " rampart: ignore)";
  }
  if (baselined > 0) out += "; " + std::to_string(baselined) + " accepted by the baseline";
  out += "\n";
  return out;
}

}  // namespace rampart::audit
