#include "audit/deps/requirements_file.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "audit/deps/file_text.h"
#include "audit/deps/name.h"
#include "audit/deps/requirement.h"
#include "common/strings.h"

namespace rampart::audit::deps {

namespace {

constexpr int kMaxIncludeDepth = 32;

struct LogicalLine {
  std::string text;
  int first = 0;  // physical line numbers, 1-based
  int last = 0;
};

// pip's order: join continuations, then drop comments, then expand ${VAR}.
std::vector<LogicalLine> logical_lines(std::string_view text) {
  std::vector<LogicalLine> out;
  LogicalLine cur;
  bool open = false;
  int lineno = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    bool last_physical = nl >= text.size();
    pos = nl + 1;
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!open) {
      cur = LogicalLine{"", lineno, lineno};
    }
    cur.last = lineno;
    bool is_comment = !trim(line).empty() && trim(line).front() == '#';
    if (!line.empty() && line.back() == '\\' && !is_comment) {
      cur.text += std::string(line.substr(0, line.size() - 1));
      open = true;
    } else {
      cur.text += std::string(line);
      open = false;
      out.push_back(cur);
    }
    if (last_physical) break;
  }
  if (open) out.push_back(cur);
  for (auto& l : out) {
    // A comment starts with '#' at the start or after whitespace.
    for (size_t i = 0; i < l.text.size(); ++i) {
      if (l.text[i] == '#' && (i == 0 || l.text[i - 1] == ' ' || l.text[i - 1] == '\t')) {
        l.text.resize(i);
        break;
      }
    }
    // ${NAME} with NAME in [A-Z0-9_], as pip expands; unknown names stay as written.
    std::string expanded;
    for (size_t i = 0; i < l.text.size(); ++i) {
      if (l.text.compare(i, 2, "${") == 0) {
        size_t close = l.text.find('}', i + 2);
        std::string name = close == std::string::npos ? "" : l.text.substr(i + 2, close - i - 2);
        bool ok = !name.empty();
        for (char c : name)
          ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
        if (ok) {
          if (const char* v = std::getenv(name.c_str())) {
            expanded += v;
            i = close;
            continue;
          }
        }
      }
      expanded += l.text[i];
    }
    l.text = std::string(trim(expanded));
  }
  return out;
}

std::vector<std::string> tokens(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  char quote = 0;
  for (char c : s) {
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else {
        cur += c;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == ' ' || c == '\t') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

// Options that pip accepts on a line of their own and that do not change what is installed
// from the index (or that rampart cannot follow: index URLs are not contacted).
struct GlobalOption {
  std::string_view name;
  bool takes_value;
};
constexpr GlobalOption kGlobalOptions[] = {
    {"-i", true},
    {"--index-url", true},
    {"--extra-index-url", true},
    {"--no-index", false},
    {"-f", true},
    {"--find-links", true},
    {"--pre", false},
    {"--trusted-host", true},
    {"--require-hashes", false},
    {"--prefer-binary", false},
    {"--no-binary", true},
    {"--only-binary", true},
    {"--use-feature", true},
    {"-Z", false},
    {"--always-unzip", false},
    {"--config-settings", true},
};

bool looks_like_url_or_path(std::string_view s) {
  if (s.find("://") != std::string_view::npos) return true;
  for (std::string_view vcs : {"git+", "hg+", "svn+", "bzr+"}) {
    if (s.starts_with(vcs)) return true;
  }
  if (s.starts_with(".") || s.starts_with("/") || s.starts_with("~")) return true;
  if (s.find('/') != std::string_view::npos || s.find('\\') != std::string_view::npos) return true;
  for (std::string_view ext : {".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar"}) {
    if (s.ends_with(ext)) return true;
  }
  return false;
}

std::string url_reason(std::string_view s) {
  for (std::string_view vcs : {"git+", "hg+", "svn+", "bzr+"}) {
    if (s.starts_with(vcs)) return "a VCS reference: its version is not known";
  }
  if (s.find("://") != std::string_view::npos && !s.starts_with("file:")) {
    return "a URL: its version is not known";
  }
  return "a local path: its version is not known";
}

// The project name pip would give to "...#egg=name", when present.
std::string egg_name(std::string_view s) {
  size_t at = s.find("#egg=");
  if (at == std::string_view::npos) at = s.find("&egg=");
  if (at == std::string_view::npos) return "";
  std::string_view n = s.substr(at + 5);
  size_t end = n.find_first_of("&[");
  return std::string(n.substr(0, end));
}

class Reader {
 public:
  Reader(const MarkerEnvironment& env, Inventory* out) : env_(env), out_(out) {}

  Status read_file(const std::string& path, bool constraints, int depth) {
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(path, ec).string();
    if (seen_.count(canonical)) return Status();  // included twice: pip reads it again, same result
    auto text = read_file_text(path);
    if (!text.ok()) return text.status();
    seen_.insert(canonical);
    return read_text(*text, path, constraints, depth);
  }

  Status read_text(std::string_view text, const std::string& path, bool constraints, int depth) {
    out_->files.push_back(path);
    for (const auto& line : logical_lines(text)) {
      if (line.text.empty()) continue;
      Status st = read_line(line, path, constraints, depth);
      if (!st.ok()) return st;
    }
    return Status();
  }

 private:
  Status error_at(const std::string& path, int line, const std::string& message) {
    return Status::error(path + ":" + std::to_string(line) + ": " + message);
  }

  Status read_line(const LogicalLine& line, const std::string& path, bool constraints, int depth) {
    auto toks = tokens(line.text);  // for option lines
    if (toks.empty()) return Status();
    Location where{path, line.first, line.last};
    const std::string& first = toks[0];
    if (first.starts_with("-")) return read_option_line(toks, line, path, constraints, depth);
    // The requirement runs until the first option ("--hash=..."), as pip splits it: on spaces,
    // keeping the requirement's own text (quotes in markers) as written.
    std::string_view rest = line.text;
    size_t opt_at = std::string_view::npos;
    for (size_t p = 0; p < rest.size(); ++p) {
      if (rest[p] == '-' && p > 0 && (rest[p - 1] == ' ' || rest[p - 1] == '\t') &&
          p + 1 < rest.size() && rest[p + 1] == '-') {
        opt_at = p;
        break;
      }
    }
    std::string req_text(trim(rest.substr(0, opt_at)));
    std::vector<std::string> opts;
    if (opt_at != std::string_view::npos) opts = tokens(rest.substr(opt_at));
    toks = opts;
    size_t i = 0;
    std::vector<std::string> hashes;
    for (; i < toks.size(); ++i) {
      std::string opt = toks[i], value;
      if (size_t eq = opt.find('='); eq != std::string::npos) {
        value = opt.substr(eq + 1);
        opt = opt.substr(0, eq);
      } else if (i + 1 < toks.size()) {
        value = toks[++i];
      }
      if (opt == "--hash") {
        if (value.find(':') == std::string::npos) {
          return error_at(path, line.first,
                          "--hash " + quote_for_message(value) + " is not ALGORITHM:DIGEST");
        }
        hashes.push_back(value);
      } else if (opt != "--global-option" && opt != "--install-option" &&
                 opt != "--config-settings") {
        return error_at(path, line.first,
                        "unknown option " + quote_for_message(opt) + " after a requirement");
      }
    }
    // "name @ url" is PEP 508; a bare URL or path is pip's own form.
    std::string_view first_word =
        std::string_view(req_text).substr(0, req_text.find_first_of(" \t"));
    if (looks_like_url_or_path(first_word) && first_word.find('[') == std::string_view::npos &&
        !(first_word.find('@') != std::string_view::npos &&
          first_word.find("://") == std::string_view::npos)) {
      out_->not_auditable.push_back({egg_name(req_text), req_text, url_reason(req_text), where});
      return Status();
    }
    auto req = parse_requirement(req_text);
    if (!req.ok()) return error_at(path, line.first, req.status().message());
    if (!req->marker.empty()) {
      auto holds = evaluate_marker(req->marker, env_);
      if (!holds.ok()) return error_at(path, line.first, holds.status().message());
      if (!*holds) return Status();
    }
    if (!req->url.empty()) {
      out_->not_auditable.push_back(
          {req->name, req_text, "a direct URL reference: its version is not known", where});
      return Status();
    }
    Dependency dep;
    dep.name = req->name;
    dep.key = normalize_name(req->name);
    dep.version = req->specifiers.pinned_version().value_or("");
    dep.specifier = req->specifier_text;
    dep.extras = req->extras;
    dep.marker = req->marker;
    dep.hashes = std::move(hashes);
    dep.where = where;
    dep.source = constraints ? "constraints" : "requirements";
    out_->deps.push_back(std::move(dep));
    return Status();
  }

  Status read_option_line(const std::vector<std::string>& toks, const LogicalLine& line,
                          const std::string& path, bool constraints, int depth) {
    std::string opt = toks[0], value;
    bool has_inline = false;
    if (opt.starts_with("--")) {
      if (size_t eq = opt.find('='); eq != std::string::npos) {
        value = opt.substr(eq + 1);
        opt = opt.substr(0, eq);
        has_inline = true;
      }
    } else if (opt.size() > 2) {  // "-rfile.txt"
      value = opt.substr(2);
      opt = opt.substr(0, 2);
      has_inline = true;
    }
    size_t next = 1;
    auto take_value = [&]() -> bool {
      if (has_inline) return true;
      if (next < toks.size()) {
        value = toks[next++];
        return true;
      }
      return false;
    };
    Location where{path, line.first, line.last};
    if (opt == "-r" || opt == "--requirement" || opt == "-c" || opt == "--constraint") {
      if (!take_value()) return error_at(path, line.first, opt + " needs a file name");
      bool is_constraint = opt == "-c" || opt == "--constraint";
      if (value.find("://") != std::string::npos) {
        out_->not_auditable.push_back(
            {"", line.text, "an include by URL: rampart does not download it", where});
        return Status();
      }
      if (depth >= kMaxIncludeDepth)
        return error_at(path, line.first, "includes nest deeper than 32 files");
      std::filesystem::path target(value);
      if (target.is_relative()) target = std::filesystem::path(path).parent_path() / target;
      std::error_code ec;
      if (!std::filesystem::is_regular_file(target, ec)) {
        return error_at(path, line.first,
                        "included file " + target.lexically_normal().string() + " does not exist");
      }
      return read_file(target.lexically_normal().string(), constraints || is_constraint, depth + 1);
    }
    if (opt == "-e" || opt == "--editable") {
      if (!take_value()) return error_at(path, line.first, opt + " needs a path or URL");
      out_->not_auditable.push_back(
          {egg_name(value), value, "an editable install: its version is not known", where});
      return Status();
    }
    for (const auto& g : kGlobalOptions) {
      if (opt == g.name) {
        if (g.takes_value && !take_value())
          return error_at(path, line.first, opt + " needs a value");
        return Status();
      }
    }
    return error_at(path, line.first, "unknown option " + quote_for_message(opt));
  }

  const MarkerEnvironment& env_;
  Inventory* out_;
  std::set<std::string> seen_;
};

}  // namespace

Status read_requirements_file(const std::string& path, const MarkerEnvironment& env, Inventory* out,
                              bool constraints) {
  return Reader(env, out).read_file(path, constraints, 0);
}

Status read_requirements_text(std::string_view text, const std::string& path,
                              const MarkerEnvironment& env, Inventory* out, bool constraints) {
  return Reader(env, out).read_text(text, path, constraints, 0);
}

}  // namespace rampart::audit::deps
