#include "audit/python/scanner.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "audit/python/analyzer.h"
#include "audit/python/registry.h"
#include "common/version.h"

namespace rampart::audit::python {

namespace fs = std::filesystem;

namespace {

// Directories that hold someone else's code or generated files.
bool skipped_directory(const std::string& name) {
  static constexpr std::string_view kSkip[] = {
      ".git",          ".hg",   ".svn",  "__pycache__", "node_modules",  ".tox",
      ".nox",          ".venv", "venv",  ".mypy_cache", ".pytest_cache", ".ruff_cache",
      "site-packages", ".eggs", "build", "dist"};
  for (auto s : kSkip) {
    if (name == s) return true;
  }
  return false;
}

bool excluded(const std::string& rel, const std::vector<std::string>& patterns) {
  for (const auto& p : patterns) {
    if (fnmatch(p.c_str(), rel.c_str(), 0) == 0) return true;
    // A pattern also matches any path below a matching directory, and a bare name anywhere.
    std::string prefix = p + "/*";
    if (fnmatch(prefix.c_str(), rel.c_str(), 0) == 0) return true;
    std::string anywhere = "*/" + p;
    if (fnmatch(anywhere.c_str(), rel.c_str(), 0) == 0) return true;
  }
  return false;
}

struct Job {
  std::string display;  // the path as reported
  fs::path path;
  bool python = true;
  uintmax_t size = 0;  // as listed; only orders the work
};

std::string display_path(const fs::path& p, const fs::path& root, bool root_is_dir) {
  if (!root_is_dir) return p.generic_string();
  std::error_code ec;
  fs::path rel = fs::relative(p, root, ec);
  if (ec || rel.empty()) return p.generic_string();
  std::string r = root.generic_string();
  if (r == "." || r == "./") return rel.generic_string();
  while (!r.empty() && r.back() == '/') r.pop_back();
  return r + "/" + rel.generic_string();
}

}  // namespace

bool is_python_path(std::string_view p) { return p.ends_with(".py") || p.ends_with(".pyw"); }

bool is_template_path(std::string_view p) {
  return p.ends_with(".html") || p.ends_with(".htm") || p.ends_with(".jinja") ||
         p.ends_with(".jinja2") || p.ends_with(".j2") || p.ends_with(".djhtml");
}

bool looks_binary(std::string_view bytes) {
  return bytes.substr(0, 8192).find('\0') != std::string_view::npos;
}

StatusOr<Report> scan(const ScanOptions& options) {
  Report report;
  report.kind = "code";
  report.tool_version = kVersion;
  for (const Rule* r : all_rules()) report.rules.push_back(r->info);

  std::vector<Job> jobs;
  for (const auto& given : options.paths) {
    fs::path root(given);
    std::error_code ec;
    auto st = fs::status(root, ec);
    if (ec || !fs::exists(st)) return Status::error(given + ": no such file or directory");
    if (fs::is_regular_file(st)) {
      jobs.push_back({root.generic_string(), root, !is_template_path(given)});
      continue;
    }
    if (!fs::is_directory(st)) return Status::error(given + ": not a file or directory");
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    if (ec) return Status::error(given + ": cannot read directory: " + ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) {
        report.warnings.push_back(
            {it->path().generic_string(), 0, "cannot read directory: " + ec.message()});
        ec.clear();
        continue;
      }
      const auto& entry = *it;
      std::string name = entry.path().filename().string();
      std::string shown = display_path(entry.path(), root, true);
      std::error_code e2;
      if (entry.is_directory(e2)) {
        if (skipped_directory(name) || fs::exists(entry.path() / "pyvenv.cfg", e2) ||
            excluded(shown, options.exclude)) {
          it.disable_recursion_pending();
        }
        continue;
      }
      // A dangling link is kept so that the worker reports it as unreadable.
      if (!entry.is_regular_file(e2) && !entry.is_symlink(e2)) continue;
      if (excluded(shown, options.exclude)) continue;
      if (is_python_path(name))
        jobs.push_back({shown, entry.path(), true});
      else if (is_template_path(name))
        jobs.push_back({shown, entry.path(), false});
    }
  }
  std::sort(jobs.begin(), jobs.end(),
            [](const Job& a, const Job& b) { return a.display < b.display; });
  jobs.erase(std::unique(jobs.begin(), jobs.end(),
                         [](const Job& a, const Job& b) { return a.display == b.display; }),
             jobs.end());

  // The largest files first: a big file taken last would leave the other threads idle while
  // one finishes it. Results keep the listing's order.
  std::vector<size_t> order(jobs.size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    std::error_code ec;
    jobs[i].size = fs::file_size(jobs[i].path, ec);
    if (ec) jobs[i].size = 0;
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return jobs[a].size > jobs[b].size; });

  std::vector<FileResult> results(jobs.size());
  std::vector<char> skipped(jobs.size(), 0);
  std::atomic<size_t> next{0}, done{0};
  auto worker = [&] {
    for (size_t k = next++; k < jobs.size(); k = next++) {
      size_t i = order[k];
      const Job& job = jobs[i];
      FileResult& r = results[i];
      std::error_code ec;
      auto size = fs::file_size(job.path, ec);
      std::string bytes;
      if (ec) {
        r.warnings.push_back({job.display, 0, "cannot read file: " + ec.message() + "; skipped"});
        skipped[i] = 1;
      } else if (size > options.max_file_bytes) {
        r.warnings.push_back(
            {job.display, 0,
             "larger than " + std::to_string(options.max_file_bytes) + " bytes; skipped"});
        skipped[i] = 1;
      } else {
        // Read straight into a buffer of the listed size (a stringstream copied every byte
        // twice); a file that grew meanwhile is read to its end.
        std::ifstream in(job.path, std::ios::binary);
        if (in) {
          bytes.resize(size);
          in.read(bytes.data(), static_cast<std::streamsize>(size));
          bytes.resize(static_cast<size_t>(in.gcount()));
          if (in && in.peek() != std::ifstream::traits_type::eof()) {
            std::ostringstream rest;
            rest << in.rdbuf();
            bytes += std::move(rest).str();
          }
          if (in.bad())
            in.setstate(std::ios::failbit);
          else
            in.clear();
        }
        if (!in) {
          r.warnings.push_back({job.display, 0, "cannot read file; skipped"});
          skipped[i] = 1;
        } else {
          if (looks_binary(bytes)) {
            r.warnings.push_back({job.display, 0, "binary file; skipped"});
            skipped[i] = 1;
          } else {
            r = job.python ? analyze_python(job.display, bytes)
                           : analyze_template(job.display, bytes);
          }
        }
      }
      size_t d = ++done;
      if (options.progress) options.progress(d, jobs.size());
    }
  };
  unsigned n = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  n = std::min<unsigned>(n, static_cast<unsigned>(std::max<size_t>(1, jobs.size())));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < n; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  std::vector<FileFacts> facts;
  for (size_t i = 0; i < jobs.size(); ++i) {
    auto& r = results[i];
    if (skipped[i])
      ++report.files_skipped;
    else
      ++report.files_scanned;
    for (auto& f : r.findings) report.findings.push_back(std::move(f));
    for (auto& w : r.warnings) report.warnings.push_back(std::move(w));
    facts.push_back(std::move(r.facts));
  }
  std::vector<RawFinding> raw;
  for (const Rule* r : all_rules()) {
    if (!r->check_project) continue;
    ProjectContext ctx{&facts, r, &raw};
    r->check_project(ctx);
  }
  std::unordered_map<std::string, size_t> file_index;
  for (size_t i = 0; i < jobs.size(); ++i) file_index.emplace(jobs[i].display, i);
  for (auto& rf : raw) {
    Finding f;
    if (auto it = file_index.find(rf.location.path); it != file_index.end()) {
      f.suppression =
          facts[it->second].suppressions.lookup(rf.rule, rf.location.line, rf.location.end_line);
    }
    f.rule = rf.rule;
    f.severity = rf.severity;
    f.confidence = rf.confidence;
    f.message = std::move(rf.message);
    f.location = std::move(rf.location);
    f.notes = std::move(rf.notes);
    report.findings.push_back(std::move(f));
  }
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     return std::tie(a.location.path, a.location.line, a.location.column, a.rule) <
                            std::tie(b.location.path, b.location.line, b.location.column, b.rule);
                   });
  return report;
}

}  // namespace rampart::audit::python
