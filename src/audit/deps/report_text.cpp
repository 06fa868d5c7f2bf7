#include <algorithm>
#include <map>
#include <set>

#include "audit/deps/audit_result.h"

namespace rampart::audit::deps {

namespace {

constexpr const char* kReset = "\033[0m";
constexpr const char* kBold = "\033[1m";
constexpr const char* kDim = "\033[2m";

const char* severity_colour(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "\033[1;35m";
    case Severity::kHigh:
      return "\033[1;31m";
    case Severity::kMedium:
      return "\033[33m";
    case Severity::kLow:
      return "\033[36m";
    case Severity::kUnknown:
      break;
  }
  return "\033[2m";
}

std::string severity_text(const Finding& f) {
  std::string s = severity_name(f.severity);
  if (f.score) {
    char buf[16];
    std::snprintf(buf, sizeof buf, " %.1f", *f.score);
    s += buf;
  }
  return s;
}

std::string fix_text(const Finding& f) {
  if (f.fix_version.empty()) return "no fix";
  if (f.unpinned) return ">=" + f.fix_version;
  return f.fix_version + (f.fix_clears_all ? "" : " *");
}

std::string pad(const std::string& s, size_t w) {
  return s.size() >= w ? s : s + std::string(w - s.size(), ' ');
}

}  // namespace

std::string location_text(const Location& l) {
  return l.line > 0 ? l.file + ":" + std::to_string(l.line) : l.file;
}

std::string render_table(const AuditResult& r, bool colour) {
  auto c = [&](const char* code) { return colour ? std::string(code) : std::string(); };
  std::string out;
  std::vector<const Finding*> active, ignored;
  for (const auto& f : r.findings) (f.ignored_reason.empty() ? active : ignored).push_back(&f);

  std::set<std::string> packages;
  for (const auto& d : r.inventory.deps) packages.insert(d.key);
  out += "audited " + std::to_string(r.inventory.deps.size()) + " dependencies (" +
         std::to_string(packages.size()) + " packages) from " +
         std::to_string(r.inventory.files.size()) +
         (r.inventory.files.size() == 1 ? " file" : " files") + " against " +
         std::to_string(r.database.advisories) + " advisories";
  if (!r.python_version.empty()) out += ", for Python " + r.python_version;
  out += "\n";

  if (!active.empty()) {
    const std::vector<std::string> head = {"PACKAGE", "VERSION", "ID",   "SEVERITY",
                                           "FIX",     "ALIASES", "WHERE"};
    std::vector<std::vector<std::string>> rows;
    for (const auto* f : active) {
      std::string version =
          f->unpinned ? (f->dep.specifier.empty() ? "(any)" : f->dep.specifier) : f->dep.version;
      std::string aliases;
      for (const auto& a : f->aliases) aliases += (aliases.empty() ? "" : ", ") + a;
      rows.push_back({f->dep.key, version, f->id, severity_text(*f), fix_text(*f), aliases,
                      location_text(f->dep.where)});
    }
    std::vector<size_t> width(head.size());
    for (size_t i = 0; i < head.size(); ++i) {
      width[i] = head[i].size();
      for (const auto& row : rows) width[i] = std::max(width[i], row[i].size());
    }
    out += '\n';
    out += c(kBold);
    for (size_t i = 0; i < head.size(); ++i)
      out += i + 1 < head.size() ? pad(head[i], width[i] + 2) : head[i];
    out += c(kReset) + "\n";
    for (size_t k = 0; k < rows.size(); ++k) {
      for (size_t i = 0; i < head.size(); ++i) {
        std::string cell = i + 1 < head.size() ? pad(rows[k][i], width[i] + 2) : rows[k][i];
        if (i == 3) cell = c(severity_colour(active[k]->severity)) + cell + c(kReset);
        out += cell;
      }
      out += "\n";
      if (active[k]->unpinned) {
        out += c(kDim) + "  " + active[k]->dep.key + " " +
               (active[k]->dep.specifier.empty() ? "is not pinned"
                                                 : active[k]->dep.specifier + " is a range") +
               ": vulnerable versions still allowed: " + active[k]->vulnerable_range + c(kReset) +
               "\n";
      }
      if (active[k]->legacy_comparison) {
        out += c(kDim) + "  " + active[k]->id +
               ": a version that is not PEP 440 was compared by the legacy fallback" + c(kReset) +
               "\n";
      }
    }
    bool any_partial = std::any_of(active.begin(), active.end(), [](const Finding* f) {
      return !f->unpinned && !f->fix_version.empty() && !f->fix_clears_all;
    });
    if (any_partial) out += "* this upgrade does not clear the package's other advisories\n";

    // One upgrade per pinned package that clears all its advisories.
    std::map<std::string, std::pair<std::string, std::string>> upgrades;  // key -> (from, to)
    for (const auto* f : active) {
      if (f->unpinned) continue;
      upgrades[f->dep.key] = {f->dep.version, f->package_fix};
    }
    if (!upgrades.empty()) {
      out += "\nupgrades:\n";
      for (const auto& [key, ft] : upgrades) {
        out += "  " + key + " " + ft.first + " -> " +
               (ft.second.empty() ? "no version fixes every advisory" : ft.second) + "\n";
      }
    }
  }

  if (!r.inventory.not_auditable.empty()) {
    out += "\nnot auditable:\n";
    for (const auto& n : r.inventory.not_auditable) {
      out += "  " + location_text(n.where) + ": " + n.text + ": " + n.reason + "\n";
    }
  }
  if (!ignored.empty()) {
    out += "\nignored:\n";
    for (const auto* f : ignored) {
      out += "  " + f->id + " (" + f->dep.key + " " +
             (f->unpinned ? f->dep.specifier : f->dep.version) + "): " + f->ignored_reason + "\n";
    }
  }
  for (const auto& w : r.warnings) out += c(kDim) + "warning: " + w + c(kReset) + "\n";

  std::map<Severity, int> by_sev;
  std::set<std::string> vuln_packages;
  for (const auto* f : active) {
    ++by_sev[f->severity];
    vuln_packages.insert(f->dep.key);
  }
  out += "\n";
  if (active.empty()) {
    out += c("\033[32m") + "no known vulnerabilities found" + c(kReset) + "\n";
  } else {
    out += c(kBold) + std::to_string(active.size()) +
           (active.size() == 1 ? " vulnerability" : " vulnerabilities") + " in " +
           std::to_string(vuln_packages.size()) +
           (vuln_packages.size() == 1 ? " package" : " packages") + c(kReset) + " (";
    bool first = true;
    for (Severity s : {Severity::kCritical, Severity::kHigh, Severity::kMedium, Severity::kLow,
                       Severity::kUnknown}) {
      if (!by_sev.count(s)) continue;
      out += (first ? "" : ", ") + std::to_string(by_sev[s]) + " " + severity_name(s);
      first = false;
    }
    out += ")\n";
  }
  return out;
}

}  // namespace rampart::audit::deps
