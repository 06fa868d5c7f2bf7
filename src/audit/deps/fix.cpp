#include "audit/deps/fix.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "audit/deps/file_text.h"
#include "audit/deps/version.h"

namespace rampart::audit::deps {

namespace {

// Lines with their endings kept, so that an untouched line is written back byte for byte.
std::vector<std::string> split_keep(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string::npos ? text.size() : nl + 1;
    out.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

std::string strip_eol(const std::string& l) {
  std::string s = l;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

struct Pin {
  std::string key;
  std::string from;
  std::string to;
  Location where;
  size_t hashes = 0;
};

// Rewrites the entry on lines [first, last] (0-based) of `lines`: the version after "==" becomes
// `to`, and --hash options go. Returns the new lines, or an empty vector if the pin was not found.
std::vector<std::string> rewrite_entry(const std::vector<std::string>& lines, size_t first,
                                       size_t last, const Pin& pin) {
  std::string eol = lines[first].ends_with("\r\n") ? "\r\n" : "\n";
  // The logical line, continuations joined, and the comment of its last line.
  std::string logical;
  for (size_t i = first; i <= last && i < lines.size(); ++i) {
    std::string l = strip_eol(lines[i]);
    if (i < last && l.ends_with("\\")) l.pop_back();
    logical += l;
  }
  std::string comment;
  for (size_t i = 0; i < logical.size(); ++i) {
    if (logical[i] == '#' && (i == 0 || logical[i - 1] == ' ' || logical[i - 1] == '\t')) {
      comment = logical.substr(i);
      logical.resize(i);
      break;
    }
  }
  size_t eq = logical.find("==");
  if (eq == std::string::npos) return {};
  size_t v = eq + 2;
  if (v < logical.size() && logical[v] == '=') ++v;  // ===
  while (v < logical.size() && (logical[v] == ' ' || logical[v] == '\t')) ++v;
  size_t vend = v;
  while (vend < logical.size() && logical[vend] != ' ' && logical[vend] != '\t' &&
         logical[vend] != ';' && logical[vend] != ',' && logical[vend] != '\\') {
    ++vend;
  }
  if (logical.substr(v, vend - v) != pin.from) return {};
  std::string rewritten = logical.substr(0, v) + pin.to + logical.substr(vend);
  // Drop --hash options (with their values).
  if (pin.hashes) {
    std::string kept;
    size_t i = 0;
    while (i < rewritten.size()) {
      size_t at = rewritten.find("--hash", i);
      if (at == std::string::npos) {
        kept += rewritten.substr(i);
        break;
      }
      kept += rewritten.substr(i, at - i);
      size_t j = at + 6;
      if (j < rewritten.size() && (rewritten[j] == '=' || rewritten[j] == ' ')) ++j;
      while (j < rewritten.size() && rewritten[j] == ' ') ++j;
      while (j < rewritten.size() && rewritten[j] != ' ' && rewritten[j] != '\t') ++j;
      i = j;
    }
    rewritten = kept;
  }
  while (!rewritten.empty() && (rewritten.back() == ' ' || rewritten.back() == '\t'))
    rewritten.pop_back();
  if (!comment.empty()) rewritten += "  " + comment;
  // An entry without hashes kept its layout when it was one line; a continued entry becomes one.
  return {rewritten + eol};
}

}  // namespace

StatusOr<std::vector<FileFix>> plan_fixes(const std::vector<Finding>& findings) {
  // One pin per (file, line): the version that clears every advisory, else the highest fix.
  std::map<std::string, std::map<int, Pin>> pins;
  std::map<std::string, std::vector<std::string>> warnings;
  for (const auto& f : findings) {
    if (!f.ignored_reason.empty() || f.unpinned) continue;
    if (f.dep.source != "requirements" && f.dep.source != "constraints") continue;
    Pin& p = pins[f.dep.where.file][f.dep.where.line];
    p.key = f.dep.key;
    p.from = f.dep.version;
    p.where = f.dep.where;
    p.hashes = f.dep.hashes.size();
    std::string target = f.package_fix;
    if (target.empty()) target = f.fix_version;
    if (target.empty()) continue;
    if (p.to.empty() ||
        (f.package_fix.empty() && Version::parse_lenient(target) > Version::parse_lenient(p.to))) {
      p.to = target;
    }
  }
  std::vector<FileFix> out;
  for (auto& [file, by_line] : pins) {
    auto text = read_file_text(file);
    if (!text.ok()) return text.status();
    FileFix fix;
    fix.file = file;
    fix.before = *text;
    auto lines = split_keep(*text);
    std::vector<std::string> result;
    size_t next = 0;
    for (auto& [line, pin] : by_line) {
      std::string where = file + ":" + std::to_string(line);
      if (pin.to.empty()) {
        fix.warnings.push_back(where + ": " + pin.key + " " + pin.from +
                               " has no fixed version; left as it is");
        continue;
      }
      size_t first = size_t(line - 1), last = size_t(std::max(pin.where.end_line, line) - 1);
      if (first >= lines.size() || last >= lines.size() || first < next) continue;
      auto replaced = rewrite_entry(lines, first, last, pin);
      if (replaced.empty()) {
        fix.warnings.push_back(where + ": could not find the pin of " + pin.key + " " + pin.from +
                               "; left as it is");
        continue;
      }
      result.insert(result.end(), lines.begin() + long(next), lines.begin() + long(first));
      result.insert(result.end(), replaced.begin(), replaced.end());
      next = last + 1;
      fix.changes.push_back(pin.key + " " + pin.from + " -> " + pin.to + " (" + where + ")");
      if (pin.hashes) {
        fix.warnings.push_back(where + ": dropped " + std::to_string(pin.hashes) + " hash" +
                               (pin.hashes == 1 ? "" : "es") + " of " + pin.key + " " + pin.from +
                               ": they do not apply to " + pin.to +
                               "; regenerate them (pip-compile --generate-hashes, or pip hash)");
      }
    }
    result.insert(result.end(), lines.begin() + long(std::min(next, lines.size())), lines.end());
    for (const auto& l : result) fix.after += l;
    if (!fix.changes.empty() || !fix.warnings.empty()) out.push_back(std::move(fix));
  }
  return out;
}

std::string unified_diff(const FileFix& fix) {
  auto a = split_keep(fix.before), b = split_keep(fix.after);
  // The edits only replace runs of lines; walk both with a simple LCS over the small files.
  size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  struct Op {
    char kind;  // ' ', '-', '+'
    size_t ai, bi;
  };
  std::vector<Op> ops;
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      ops.push_back({' ', i++, j++});
    } else if (j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j])) {
      ops.push_back({'+', i, j++});
    } else {
      ops.push_back({'-', i++, j});
    }
  }
  bool absolute = fix.file.starts_with("/");
  std::string out = "--- " + (absolute ? "" : std::string("a/")) + fix.file + "\n+++ " +
                    (absolute ? "" : std::string("b/")) + fix.file + "\n";
  constexpr size_t kContext = 3;
  size_t k = 0;
  while (k < ops.size()) {
    if (ops[k].kind == ' ') {
      ++k;
      continue;
    }
    size_t start = k >= kContext ? k - kContext : 0;
    size_t end = k;
    // Extend the hunk while changes are within 2*context of each other.
    size_t last_change = k;
    for (size_t t = k; t < ops.size(); ++t) {
      if (ops[t].kind != ' ') last_change = t;
      if (t - last_change > 2 * kContext) break;
      end = t;
    }
    end = std::min(ops.size() - 1, last_change + kContext);
    size_t a_start = ops[start].ai, b_start = ops[start].bi, a_len = 0, b_len = 0;
    std::string body;
    for (size_t t = start; t <= end; ++t) {
      const Op& op = ops[t];
      std::string line = op.kind == '+' ? b[op.bi] : a[op.ai];
      if (!line.ends_with("\n")) line += "\n\\ No newline at end of file\n";
      body += std::string(1, op.kind) + line;
      if (op.kind != '+') ++a_len;
      if (op.kind != '-') ++b_len;
    }
    out += "@@ -" + std::to_string(a_len ? a_start + 1 : a_start) + "," + std::to_string(a_len) +
           " +" + std::to_string(b_len ? b_start + 1 : b_start) + "," + std::to_string(b_len) +
           " @@\n" + body;
    k = end + 1;
  }
  return out;
}

Status write_fix(const FileFix& fix) {
  std::string tmp = fix.file + ".rampart-tmp" + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::error(fix.file + ": cannot write " + tmp);
    out << fix.after;
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      return Status::error(fix.file + ": write failed");
    }
  }
  std::error_code ec;
  auto perms = std::filesystem::status(fix.file, ec).permissions();
  if (!ec) std::filesystem::permissions(tmp, perms, ec);
  std::filesystem::rename(tmp, fix.file, ec);
  if (ec) {
    std::remove(tmp.c_str());
    return Status::error(fix.file + ": cannot replace the file: " + ec.message());
  }
  return Status();
}

}  // namespace rampart::audit::deps
