// Wildcard paths and shell constructs that need no command list (see shell_syntax.h).

#include <fnmatch.h>

#include <algorithm>
#include <string>

#include "waf/detect/shell_syntax.h"

namespace rampart::waf::shell {
namespace {

// Programs an attacker reaches through a wildcard path ("/???/??t", "/bin/ca?").
constexpr std::string_view kGlobTargets[] = {
    "cat",     "ls",      "bash",   "sh",       "dash",   "zsh",      "nc",     "ncat",
    "netcat",  "wget",    "curl",   "id",       "whoami", "uname",    "python", "python3",
    "perl",    "php",     "ruby",   "busybox",  "ping",   "ps",       "rm",     "chmod",
    "echo",    "head",    "tail",   "more",     "less",   "base64",   "socat",  "telnet",
    "adduser", "useradd", "passwd", "ifconfig", "env",    "printenv", "sudo",   "su"};
constexpr std::string_view kGlobFiles[] = {
    "/etc/passwd", "/etc/shadow",   "/etc/group",         "/etc/hosts",         "/etc/sudoers",
    "/etc/issue",  "/etc/hostname", "/proc/self/environ", "/proc/self/cmdline", "/proc/version"};
constexpr std::string_view kBinDirs[] = {"/bin", "/sbin", "/usr/bin", "/usr/sbin",
                                         "/usr/local/bin"};

}  // namespace

bool has_glob(std::string_view w) { return w.find_first_of("*?[") != std::string_view::npos; }

// A wildcard pattern (fnmatch(3), '/' matched only by '/') that names a command a shell would
// run: "adduse[r]", "/???/??t", "/bin/ca?".
bool glob_names_command(std::string_view pattern) {
  std::string pat(pattern);
  if (pat.size() > 64) return false;
  size_t slash = pat.rfind('/');
  std::string dir = slash == std::string::npos ? std::string() : pat.substr(0, slash);
  std::string file = slash == std::string::npos ? pat : pat.substr(slash + 1);
  if (!dir.empty()) {
    bool bin = false;
    for (std::string_view d : kBinDirs) {
      if (fnmatch(dir.c_str(), std::string(d).c_str(), FNM_PATHNAME) == 0) bin = true;
    }
    if (!bin) return false;
  } else if (slash != std::string::npos) {
    return false;
  }
  for (std::string_view c : kGlobTargets) {
    if (fnmatch(file.c_str(), std::string(c).c_str(), FNM_PATHNAME) == 0) return true;
  }
  return false;
}

// A word of the value that is a wildcard path with at least one letter spelled out, matching a
// file an attacker reads or a command in a system directory: "/et*/*wd", "/???/?s".
bool glob_names_target(std::string_view t, size_t* at) {
  if (t.find_first_of("*?[") == std::string_view::npos) return false;
  int seen = 0;
  for (size_t i = t.find('/'); i != std::string_view::npos && seen < 16; i = t.find('/', i + 1)) {
    if (i > 0 && !is_blank(t[i - 1]) && !is_sep(t[i - 1]) && t[i - 1] != '=') continue;
    size_t e = i;
    while (e < t.size() && !is_blank(t[e]) && !is_sep(t[e])) ++e;
    std::string_view w = t.substr(i, e - i);
    i = e == i ? i : e - 1;
    if (w.size() < 4 || !has_glob(w)) continue;
    ++seen;
    if (std::none_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; })) continue;
    if (w.compare(0, 2, "/*") == 0 && w.find("*/") != std::string_view::npos) continue;
    std::string pat(w.substr(0, 64));
    for (std::string_view f : kGlobFiles) {
      if (fnmatch(pat.c_str(), std::string(f).c_str(), FNM_PATHNAME) == 0) {
        *at = i - (w.size() - 1);
        return true;
      }
    }
    if (glob_names_command(w)) {
      *at = i - (w.size() - 1);
      return true;
    }
  }
  return false;
}

bool shell_construct(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  size_t lead = skip_spaces(t, 0);
  std::string_view v = t.substr(lead);
  while (!v.empty() && (is_blank(v.back()) || v.back() == '\n' || v.back() == '\r'))
    v.remove_suffix(1);
  if (v.compare(0, 4, "() {") == 0 || v.compare(0, 3, "(){") == 0) {
    out.push_back(Hit{AttackClass::kCommandInjection, 9, kCertain, lead, t.size(), "shellshock"});
    return true;
  }
  // Bounded: at most 8 definitions, each with a body of at most 256 bytes.
  int definitions = 0;
  for (size_t p = t.find("()"); p != std::string_view::npos && definitions < 8;
       p = t.find("()", p + 2)) {
    size_t brace = skip_spaces(t, p + 2);
    if (brace >= t.size() || t[brace] != '{') continue;
    ++definitions;
    size_t b = p;
    while (b > 0 && (is_word_char(t[b - 1]) || t[b - 1] == '.' || t[b - 1] == ':')) --b;
    if (b == p || (b > 0 && !is_blank(t[b - 1]) && !is_sep(t[b - 1]))) continue;
    std::string_view fname = t.substr(b, p - b);
    size_t close = t.find('}', brace);
    if (close == std::string_view::npos || close - brace > 256) continue;
    std::string_view body = t.substr(brace + 1, close - brace - 1);
    for (size_t c = body.find(fname); c != std::string_view::npos; c = body.find(fname, c + 1)) {
      if (c > 0 && !is_blank(body[c - 1]) && !is_sep(body[c - 1])) continue;
      size_t k = c + fname.size();
      if (body.compare(k, 2, "()") == 0) k += 2;
      k = skip_spaces(body, k);
      if (k < body.size() && (body[k] == '|' || body[k] == '&')) {
        out.push_back(Hit{AttackClass::kCommandInjection, 9, kCertain, b, t.size(), "fork bomb"});
        return true;
      }
    }
  }
  if (v.size() >= 2 && v.size() <= 8 && v[0] == '~' && (v[1] == '+' || v[1] == '-') &&
      std::all_of(v.begin() + 2, v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    // The bare expansion ("~+", "~-2") names a directory and runs nothing: suspicious only.
    out.push_back(
        Hit{AttackClass::kCommandInjection, 6, kSuspicious, lead, t.size(), "tilde expansion"});
    return true;
  }
  if (v.size() >= 2 && v.size() <= 24 && v[0] == '!') {
    // "!!", "!1", "!-1!-2": history events and nothing else.
    size_t k = 0;
    bool events = true;
    while (k < v.size() && events) {
      if (v[k] != '!') {
        events = false;
        break;
      }
      ++k;
      if (k < v.size() && v[k] == '!') {
        ++k;
        continue;
      }
      if (k < v.size() && v[k] == '-') ++k;
      size_t d = k;
      while (k < v.size() && v[k] >= '0' && v[k] <= '9') ++k;
      events = k > d;
    }
    if (events) {
      out.push_back(
          Hit{AttackClass::kCommandInjection, 6, kLikely, lead, t.size(), "history expansion"});
      return true;
    }
  }
  for (std::string_view proto : {std::string_view("/tcp/"), std::string_view("/udp/")}) {
    size_t p = t.find(proto);
    if (p == std::string_view::npos || !s.chars.any("<>")) continue;
    size_t k = p + proto.size();
    size_t h = k;
    while (k < t.size() && (is_word_char(t[k]) || t[k] == '.' || t[k] == '-')) ++k;
    if (k == h || k >= t.size() || t[k] != '/') continue;
    size_t d = ++k;
    while (k < t.size() && t[k] >= '0' && t[k] <= '9') ++k;
    if (k > d) {
      out.push_back(Hit{AttackClass::kCommandInjection, 9, kCertain, p, t.size(), "reverse shell"});
      return true;
    }
  }
  return false;
}

}  // namespace rampart::waf::shell
