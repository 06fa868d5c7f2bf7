// `rampart audit deps`: known vulnerabilities in a Python project's dependencies.
#include <limits.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>

#include "audit/deps/audit_result.h"
#include "audit/deps/download.h"
#include "audit/deps/fix.h"
#include "audit/deps/ignore.h"
#include "audit/deps/lockfiles.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "common/strings.h"

namespace rampart::cli {

namespace {

using namespace rampart::audit::deps;
namespace fs = std::filesystem;

constexpr const char* kHelp =
    "usage: rampart audit deps [PATH] [OPTIONS]\n"
    "\n"
    "Finds the dependencies of a Python project that have known vulnerabilities (OSV advisories)\n"
    "and the versions that fix them. PATH is a project folder (default: the current one), where\n"
    "requirements*.txt, constraints*.txt, Pipfile.lock, poetry.lock, uv.lock, pylock*.toml and\n"
    "pyproject.toml are found.\n"
    "\n"
    "inputs:\n"
    "  --file FILE            a dependency file to audit (repeatable; replaces discovery)\n"
    "  --env PATH             an installed environment: a virtualenv or site-packages "
    "(repeatable)\n"
    "  --python-version X.Y   the Python the markers are evaluated for (default: python3's)\n"
    "database:\n"
    "  --db PATH              an OSV export: zip, folder of JSON, or JSON Lines (.gz or not)\n"
    "  --update-db            download the OSV PyPI export into the cache first\n"
    "  --db-url URL           where --update-db downloads from (default: OSV's all.zip)\n"
    "  --cache-dir DIR        the cache (default: $XDG_CACHE_HOME/rampart or ~/.cache/rampart)\n"
    "output:\n"
    "  --format FORMAT        table (default), json, sarif or cyclonedx\n"
    "  --output FILE          write the report to FILE instead of standard output\n"
    "  --no-color             no colours in the table\n"
    "  --fail-on SEVERITY     exit 1 when a finding is at least: any (default), low, medium,\n"
    "                         high, critical; 'none' never fails\n"
    "exceptions and fixes:\n"
    "  --ignore ID            ignore an advisory (id or alias; repeatable)\n"
    "  --ignore-file FILE     YAML ignore entries with reason and expiry date\n"
    "                         (default: PATH/.rampart-ignore.yaml when present)\n"
    "  --fix                  rewrite vulnerable pins in requirements files and print the diff\n"
    "  --dry-run              with --fix: print the diff without writing\n"
    "\n"
    "exit status: 0 no finding at the --fail-on level, 1 findings, 2 usage or input error\n";

int usage_error(const std::string& message) {
  std::fprintf(stderr, "rampart audit deps: %s\n", message.c_str());
  return 2;
}

// The running python3's version, for markers: from the name the python3 link points at
// ("python3.11"), else by asking it.
std::string running_python_version() {
  const char* path_env = std::getenv("PATH");
  for (auto dir : split(path_env ? path_env : "/usr/bin", ':')) {
    std::error_code ec;
    fs::path p = fs::path(std::string(dir)) / "python3";
    if (!fs::exists(p, ec)) continue;
    fs::path target = fs::canonical(p, ec);
    std::string name = ec ? "" : target.filename().string();
    if (name.starts_with("python3.") && name.size() > 8) return name.substr(6);
    break;
  }
  std::string out;
  if (FILE* f = popen(
          "python3 -c 'import sys; print(\"%d.%d\" % sys.version_info[:2])' 2>/dev/null", "r")) {
    char buf[32];
    if (std::fgets(buf, sizeof buf, f)) out = std::string(trim(buf));
    pclose(f);
    if (!out.empty() && out.back() == '\n') out.pop_back();
  }
  return out.empty() ? "3.11" : out;
}

std::string iso_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string uuid4() {
  std::random_device rd;
  unsigned char b[16];
  for (auto& x : b) x = static_cast<unsigned char>(rd());
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  char s[40];
  std::snprintf(s, sizeof s, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
                b[13], b[14], b[15]);
  return std::string("urn:uuid:") + s;
}

bool valid_python_version(const std::string& v) {
  auto parts = split(v, '.');
  if (parts.size() < 2 || parts.size() > 3) return false;
  for (auto p : parts) {
    if (!parse_u64(p)) return false;
  }
  return true;
}

}  // namespace

int run_audit_deps(int argc, char** argv) {
  auto args = Args::parse(argc, argv, 1,
                          {{"file", true, true},
                           {"env", true, true},
                           {"python-version", true, false},
                           {"db", true, false},
                           {"update-db", false, false},
                           {"db-url", true, false},
                           {"cache-dir", true, false},
                           {"format", true, false},
                           {"output", true, false},
                           {"no-color", false, false},
                           {"fail-on", true, false},
                           {"ignore", true, true},
                           {"ignore-file", true, false},
                           {"fix", false, false},
                           {"dry-run", false, false}});
  if (!args.ok()) return usage_error(args.status().message());
  if (args->help()) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  if (args->positionals().size() > 1) return usage_error("one project folder at most (see --help)");
  std::string format = args->value("format").value_or("table");
  if (format != "table" && format != "json" && format != "sarif" && format != "cyclonedx") {
    return usage_error("--format must be table, json, sarif or cyclonedx, not " +
                       quote_for_message(format));
  }
  std::string fail_on = args->value("fail-on").value_or("any");
  int fail_level;
  if (fail_on == "any") {
    fail_level = 0;
  } else if (fail_on == "none") {
    fail_level = 99;
  } else {
    Severity s = severity_from_label(fail_on);
    if (s == Severity::kUnknown || fail_on == "moderate") {
      return usage_error("--fail-on must be any, low, medium, high, critical or none, not " +
                         quote_for_message(fail_on));
    }
    fail_level = static_cast<int>(s);
  }
  if (args->flag("dry-run") && !args->flag("fix")) return usage_error("--dry-run goes with --fix");
  std::optional<std::string> python = args->value("python-version");
  if (python && !valid_python_version(*python)) {
    return usage_error("--python-version must be like 3.11 or 3.11.4, not " +
                       quote_for_message(*python));
  }
  std::string cache_dir = args->value("cache-dir").value_or(default_cache_dir());

  // The database: downloaded first when asked.
  if (args->flag("update-db")) {
    std::string url = args->value("db-url").value_or(kOsvPypiUrl);
    auto outcome = update_database(url, cache_dir);
    if (!outcome.ok()) {
      std::fprintf(stderr, "rampart audit deps: %s\n", outcome.status().message().c_str());
      return 2;
    }
    if (outcome->updated) {
      std::fprintf(stderr,
                   "rampart audit deps: downloaded the advisory database (%zu bytes) to %s\n",
                   outcome->bytes, outcome->path.c_str());
    } else {
      std::fprintf(stderr, "rampart audit deps: the advisory database is up to date (%s)\n",
                   outcome->path.c_str());
    }
    if (args->positionals().empty() && args->values("file").empty() && args->values("env").empty())
      return 0;
  } else if (args->value("db-url")) {
    return usage_error("--db-url goes with --update-db");
  }
  std::string db_path = args->value("db").value_or(database_path(cache_dir));
  std::error_code ec;
  if (!args->value("db") && !fs::exists(db_path, ec)) {
    return usage_error(
        "no advisory database yet: run 'rampart audit deps --update-db' (downloads the OSV PyPI "
        "export) or give --db PATH");
  }

  // The inputs.
  AuditResult result;
  // Without --python-version, python3 is asked only if a marker needs its version.
  auto probed = std::make_shared<std::string>();
  auto env = python ? MarkerEnvironment::for_python(*python)
                    : MarkerEnvironment::with_python_probe([probed] {
                        *probed = running_python_version();
                        return *probed;
                      });
  std::string project = args->positionals().empty() ? "." : args->positionals()[0];
  std::vector<std::string> files = args->values("file");
  std::vector<std::string> envs = args->values("env");
  if (files.empty() && envs.empty()) {
    if (!fs::is_directory(project, ec)) return usage_error(project + ": not a folder");
    files = discover_dependency_files(project);
    if (files.empty()) {
      return usage_error(
          "no dependency files in " + project +
          " (requirements*.txt, Pipfile.lock, poetry.lock, uv.lock, pylock.toml, pyproject.toml); "
          "name one with --file or an environment with --env");
    }
    for (auto& f : files) {
      if (f.starts_with("./")) f = f.substr(2);
    }
  }
  for (const auto& f : files) {
    Status st = read_dependency_file(f, env, &result.inventory);
    if (!st.ok()) return usage_error(st.message());
  }
  for (const auto& e : envs) {
    Status st = read_environment(e, &result.inventory);
    if (!st.ok()) return usage_error(st.message());
  }

  remove_duplicates(&result.inventory);
  apply_constraints(&result.inventory);

  std::string warning;
  auto db = AdvisoryDatabase::open(db_path, cache_dir, &warning);
  if (!db.ok()) return usage_error(db.status().message());
  if (!warning.empty()) result.warnings.push_back(warning);
  result.database = db->info();
  result.python_version = python ? *python : *probed;
  auto findings = match_inventory(result.inventory, *db);
  if (!findings.ok()) return usage_error(findings.status().message());
  result.findings = std::move(*findings);
  for (const auto& f : result.findings) {
    if (f.legacy_comparison) {
      result.warnings.push_back(
          f.id + " (" + f.dep.key +
          "): a version that is not PEP 440 was compared by the "
          "legacy fallback (leading release numbers, then the rest in natural order)");
    }
  }

  // Exceptions.
  std::vector<IgnoreRule> rules;
  for (const auto& id : args->values("ignore"))
    rules.push_back({id, "ignored with --ignore", "", "", "--ignore"});
  std::string ignore_file = args->value("ignore-file").value_or("");
  if (ignore_file.empty() && files.size() > 0 && args->values("file").empty()) {
    std::string candidate = (fs::path(project) / ".rampart-ignore.yaml").string();
    if (fs::is_regular_file(candidate, ec)) ignore_file = candidate;
  }
  if (!ignore_file.empty()) {
    auto loaded = load_ignore_file(ignore_file);
    if (!loaded.ok()) return usage_error(loaded.status().message());
    rules.insert(rules.end(), loaded->begin(), loaded->end());
  }
  auto expired = apply_ignores(rules, today_utc(), &result.findings);
  result.warnings.insert(result.warnings.end(), expired.begin(), expired.end());

  // Fixes.
  if (args->flag("fix")) {
    auto plans = plan_fixes(result.findings);
    if (!plans.ok()) return usage_error(plans.status().message());
    for (const auto& plan : *plans) {
      if (plan.before != plan.after) std::fputs(unified_diff(plan).c_str(), stdout);
      for (const auto& w : plan.warnings)
        std::fprintf(stderr, "rampart audit deps: warning: %s\n", w.c_str());
      if (!args->flag("dry-run") && plan.before != plan.after) {
        Status st = write_fix(plan);
        if (!st.ok()) return usage_error(st.message());
        for (const auto& c : plan.changes)
          std::fprintf(stderr, "rampart audit deps: fixed %s\n", c.c_str());
      }
    }
    if (plans->empty())
      std::fprintf(stderr, "rampart audit deps: nothing to fix in requirements files\n");
    if (args->flag("dry-run"))
      std::fprintf(stderr, "rampart audit deps: dry run: no file was changed\n");
  }

  // The report.
  std::string report;
  auto out_file = args->value("output");
  if (format == "json") {
    report = render_json(result);
  } else if (format == "sarif") {
    report = render_sarif(result, files.empty() || !args->values("file").empty() ? "." : project);
  } else if (format == "cyclonedx") {
    report = render_cyclonedx(result, uuid4(), iso_now());
  } else {
    bool colour =
        !out_file && !args->flag("no-color") && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
    report = render_table(result, colour);
  }
  if (!args->flag("fix") || format != "table" || out_file) {
    if (out_file) {
      std::ofstream out(*out_file, std::ios::binary | std::ios::trunc);
      out << report;
      out.close();
      if (!out) return usage_error(*out_file + ": cannot write the report");
    } else {
      std::fputs(report.c_str(), stdout);
    }
  } else {
    std::fputs(report.c_str(), stderr);  // with --fix, standard output carries the diff
  }

  for (const auto& f : result.findings) {
    if (!f.ignored_reason.empty()) continue;
    if (static_cast<int>(f.severity) >= fail_level) return 1;
  }
  return 0;
}

}  // namespace rampart::cli
