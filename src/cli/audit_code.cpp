// `rampart audit code [PATH...]`: the code audit of Python web applications.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include "audit/python/scanner.h"
#include "audit/report/baseline.h"
#include "audit/report/html_writer.h"
#include "audit/report/json_writer.h"
#include "audit/report/sarif_writer.h"
#include "audit/report/text_writer.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "common/strings.h"

namespace rampart::cli {

namespace {

constexpr const char* kUsage = R"(usage: rampart audit code [OPTIONS] [PATH...]

Finds SQL injection, XSS and template injection, CSRF gaps, weak sessions and cookies, weak
password storage, hard-coded secrets, debug and HTTPS settings, command injection, unsafe
deserialization, SSRF, path traversal, open redirects and XXE in Python code (Flask, Django,
FastAPI, aiohttp) and in Jinja2/Django templates. PATH defaults to the current directory.

options:
  --format FORMAT     text (default), json, sarif or html
  --output FILE       write the report to FILE instead of standard output
  --fail-on LEVEL     exit 1 when a finding at LEVEL or above remains: low (default), medium,
                      high, critical, or none (always exit 0 after a scan)
  --baseline FILE     report only findings that are not in FILE
  --write-baseline FILE
                      write the current findings to FILE as a baseline
  --exclude GLOB      skip paths matching GLOB (repeatable)
  --jobs N            files analysed in parallel (default: one per core)
  --color WHEN        auto (default: on a terminal), always, never
  --progress, --no-progress
                      progress on standard error (default: on a terminal, for large trees)
  --show-suppressed   list the findings suppressed by # nosec or # rampart: ignore too

In-source suppressions: `# rampart: ignore[RA012]` (or bare `# rampart: ignore`) and `# nosec` on
the finding's line. Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage or input
error.
)";

Status write_output(const std::optional<std::string>& path, const std::string& text) {
  if (!path) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return {};
  }
  std::ofstream out(*path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Status::error(*path + ": cannot write");
  return {};
}

}  // namespace

int run_audit_code(int argc, char** argv) {
  auto parsed = Args::parse(argc, argv, 1,
                            {{"format"},
                             {"output"},
                             {"fail-on"},
                             {"baseline"},
                             {"write-baseline"},
                             {"exclude", true, true},
                             {"jobs"},
                             {"color"},
                             {"progress", false},
                             {"no-progress", false},
                             {"show-suppressed", false}});
  if (!parsed.ok()) {
    std::fprintf(stderr, "rampart audit code: %s\n", parsed.status().message().c_str());
    return 2;
  }
  const Args& args = *parsed;
  if (args.help()) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::string format = args.value("format").value_or("text");
  if (format != "text" && format != "json" && format != "sarif" && format != "html") {
    std::fprintf(stderr, "rampart audit code: --format must be text, json, sarif or html, not %s\n",
                 quote_for_message(format).c_str());
    return 2;
  }
  std::string fail_on = args.value("fail-on").value_or("low");
  std::optional<audit::Severity> threshold = audit::parse_severity(fail_on);
  if (!threshold && fail_on != "none") {
    std::fprintf(stderr,
                 "rampart audit code: --fail-on must be low, medium, high, critical or none, "
                 "not %s\n",
                 quote_for_message(fail_on).c_str());
    return 2;
  }
  std::string color = args.value("color").value_or("auto");
  if (color != "auto" && color != "always" && color != "never") {
    std::fprintf(stderr, "rampart audit code: --color must be auto, always or never, not %s\n",
                 quote_for_message(color).c_str());
    return 2;
  }
  audit::python::ScanOptions options;
  options.paths = args.positionals();
  if (options.paths.empty()) options.paths.push_back(".");
  options.exclude = args.values("exclude");
  if (auto jobs = args.value("jobs")) {
    auto n = parse_u64(*jobs);
    if (!n || *n == 0 || *n > 1024) {
      std::fprintf(stderr, "rampart audit code: --jobs must be a number from 1 to 1024, not %s\n",
                   quote_for_message(*jobs).c_str());
      return 2;
    }
    options.jobs = static_cast<unsigned>(*n);
  }
  std::set<std::string> baseline;
  if (auto path = args.value("baseline")) {
    std::ifstream in(*path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "rampart audit code: %s: cannot read the baseline\n", path->c_str());
      return 2;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    auto b = audit::parse_baseline(buf.str(), *path);
    if (!b.ok()) {
      std::fprintf(stderr, "rampart audit code: %s\n", b.status().message().c_str());
      return 2;
    }
    baseline = std::move(b).value();
  }

  bool tty_err = isatty(STDERR_FILENO);
  bool progress = args.flag("progress") || (tty_err && !args.flag("no-progress"));
  std::mutex progress_mutex;
  size_t last_shown = 0;
  if (progress) {
    options.progress = [&](size_t done, size_t total) {
      if (!args.flag("progress") && total < 200) return;
      size_t step = std::max<size_t>(1, total / 100);
      std::lock_guard lock(progress_mutex);
      if (done != total && done < last_shown + step) return;
      last_shown = done;
      std::fprintf(stderr, "\rrampart: %zu/%zu files analysed", done, total);
      if (done == total) std::fprintf(stderr, "\n");
      std::fflush(stderr);
    };
  }

  auto scanned = audit::python::scan(options);
  if (!scanned.ok()) {
    std::fprintf(stderr, "rampart audit code: %s\n", scanned.status().message().c_str());
    return 2;
  }
  audit::Report& report = *scanned;
  for (const auto& w : report.warnings) {
    std::string where = w.path + (w.line ? ":" + std::to_string(w.line) : "");
    std::fprintf(stderr, "rampart: warning: %s: %s\n", where.c_str(), w.message.c_str());
  }
  audit::assign_fingerprints(report);
  audit::apply_baseline(report, baseline);
  if (auto path = args.value("write-baseline")) {
    Status s = write_output(*path, audit::render_baseline(report));
    if (!s.ok()) {
      std::fprintf(stderr, "rampart audit code: %s\n", s.message().c_str());
      return 2;
    }
  }
  std::string out;
  auto output = args.value("output");
  if (format == "json") {
    out = audit::render_json(report);
  } else if (format == "sarif") {
    out = audit::render_sarif(report);
  } else if (format == "html") {
    out = audit::render_html(report);
  } else {
    audit::TextOptions t;
    t.color = color == "always" || (color == "auto" && !output && isatty(STDOUT_FILENO));
    t.show_suppressed = args.flag("show-suppressed");
    out = audit::render_text(report, t);
  }
  Status s = write_output(output, out);
  if (!s.ok()) {
    std::fprintf(stderr, "rampart audit code: %s\n", s.message().c_str());
    return 2;
  }
  if (!threshold) return 0;
  return report.active_count(*threshold) > 0 ? 1 : 0;
}

}  // namespace rampart::cli
