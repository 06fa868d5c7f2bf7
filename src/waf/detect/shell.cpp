// OS command injection: the value is read as shell (POSIX sh and Windows cmd/PowerShell) after
// undoing the evasions shells allow inside words (quotes, backslashes, $@, ${IFS}, brace lists);
// a known command at a command position (after ; | & && || newline, inside $(...) or backticks)
// is an injection. English words that are also commands ("cat", "time") need shell-shaped
// arguments around them. The signature prefilter skips values that name no command at all.

#include <fnmatch.h>

#include <algorithm>
#include <array>
#include <string>

#include "waf/detect/detector.h"

namespace rampart::waf {
namespace {

// Commands that are also ordinary words: they count only with shell-shaped arguments.
constexpr std::string_view kEnglishCommands[] = {
    "cat",    "time",    "more",   "less",    "head",    "tail",  "sort",   "find",  "file",
    "kill",   "last",    "make",   "mail",    "nice",    "yes",   "who",    "w",     "top",
    "set",    "type",    "dir",    "net",     "host",    "echo",  "touch",  "sleep", "ed",
    "cut",    "tr",      "tee",    "du",      "nl",      "od",    "ln",     "ping",  "fetch",
    "expect", "history", "screen", "strings", "export",  "alias", "locate", "diff",  "mount",
    "route",  "git",     "java",   "node",    "lua",     "cc",    "id",     "env",   "eval",
    "exec",   "sc",      "reg",    "del",     "timeout", "uniq",  "comm",   "wc",    "ip",
    "dd",     "cmp",     "more",   "php",     "ps",      "sh",    "rm",     "ls",    "su",
    "vi",     "cp",      "mv",     "tac",     "last",    "file",  "sed",    "make",  "printf",
    "date",   "trap",    "set",    "rc",      "ll",      "at",    "chef"};

size_t expand_braces(std::string_view in, size_t open, std::string& out, size_t* first_evasion);

// Undoes shell quoting tricks so that "c'a't", "c\at", "ca$@t" and "{cat,/etc/passwd}" read as
// the words the shell would run.
// *first_evasion: where the first evasion was undone (offset in the output), npos if none.
std::string unshell(std::string_view in, size_t* first_evasion) {
  *first_evasion = std::string::npos;
  auto mark = [&](size_t at) {
    if (*first_evasion == std::string::npos) *first_evasion = at;
  };
  std::string out;
  out.reserve(in.size());
  // Where brace lists can be: computed once, so that each '{' and ',' is judged in constant time
  // (a value of commas would otherwise cost a scan per comma).
  const size_t last_close = in.rfind('}');
  const size_t last_comma = in.rfind(',');
  bool quote_open = false;  // a removed quote waits for its partner
  for (size_t i = 0; i < in.size(); ++i) {
    // Ordinary characters are copied a run at a time.
    size_t run = i;
    while (run < in.size() && in[run] != '\\' && in[run] != '\'' && in[run] != '"' &&
           in[run] != '$' && in[run] != '{' && in[run] != '`' && in[run] != '<' && in[run] != '>') {
      ++run;
    }
    if (run > i) {
      out.append(in.data() + i, run - i);
      i = run;
      if (i >= in.size()) break;
    }
    char c = in[i];
    // Empty substitutions glued to a word: "ping``", "pi<()ng", "pi>()ng".
    if (i > 0 && is_word_char(in[i - 1]) &&
        (in.compare(i, 2, "``") == 0 || in.compare(i, 3, "<()") == 0 ||
         in.compare(i, 3, ">()") == 0)) {
      mark(out.size());
      i += in[i] == '`' ? 1 : 2;
      continue;
    }
    // "\n" and "\r" written out before a non-letter are the line breaks a layer that decodes C
    // escapes hands to the shell (";\n.shell id").
    if (c == '\\' && i + 1 < in.size() && (in[i + 1] == 'n' || in[i + 1] == 'r') &&
        (i + 2 >= in.size() || !is_word_char(in[i + 2]))) {
      out.push_back('\n');
      ++i;
      continue;
    }
    if (c == '\\' && i + 1 < in.size() && in[i + 1] != '\n') {
      if (is_word_char(in[i + 1])) mark(out.size());
      continue;  // the next character is taken literally
    }
    if (c == '\'' || c == '"') {
      // A quote the shell would remove has its partner in the same word ("c'a't"); a lone one
      // inside a word is an apostrophe ("I'd", "O'Brien") and stays, or prose would read as
      // commands ("id").
      size_t partner = i + 1;
      while (partner < in.size() && in[partner] != c && in[partner] != ' ' && in[partner] != '\t' &&
             in[partner] != '\n')
        ++partner;
      bool paired = partner < in.size() && in[partner] == c;
      bool inside_word =
          i > 0 && i + 1 < in.size() && is_word_char(in[i - 1]) && is_word_char(in[i + 1]);
      if (inside_word && !paired && !quote_open) {
        out.push_back(c);
        continue;
      }
      // A quoted piece glued to a word ("'-'9", "e't'c", "\"\"p") only splits the word.
      bool glued = paired && !quote_open &&
                   ((i > 0 && is_word_char(in[i - 1])) ||
                    (partner + 1 < in.size() && is_word_char(in[partner + 1])) || partner == i + 1);
      if (inside_word || glued) mark(out.size());
      quote_open = !quote_open;
      continue;
    }
    if (c == '$' && i + 1 < in.size()) {
      std::string_view rest = in.substr(i);
      bool glued_left = i > 0 && is_word_char(in[i - 1]);
      // Special parameters ("$@", "$!", "$$", "$1") expand to nothing useful inside a word:
      // "c$!at", "una$$me", "w$@hoami".
      if (std::string_view("@*!?-_$#0123456789").find(rest[1]) != std::string_view::npos &&
          (rest[1] == '@' || rest[1] == '*' || glued_left ||
           (rest.size() > 2 && is_word_char(rest[2])))) {
        mark(out.size());
        ++i;
        continue;
      }
      // Empty substitutions: "pi$()ng".
      if (rest.substr(0, 3) == "$()") {
        mark(out.size());
        i += 2;
        continue;
      }
      // ANSI-C and locale quoting: "$'whoami'" is the word whoami.
      if (rest[1] == '\'' || rest[1] == '"') {
        mark(out.size());
        continue;
      }
      // "uname$u", "sh$XX": an unset variable glued to a word splits a command name.
      if (glued_left && is_word_char(rest[1]) && !(rest[1] >= '0' && rest[1] <= '9')) {
        size_t e = 1;
        while (e < rest.size() && e < 34 && is_word_char(rest[e])) ++e;
        mark(out.size());
        i += e - 1;
        continue;
      }
      if (rest.substr(0, 6) == "${ifs}" || rest.substr(0, 4) == "$ifs") {
        mark(out.size());
        out.push_back(' ');
        i += rest[1] == '{' ? 5 : 3;
        continue;
      }
      // "c${kk}url": a variable expanded inside a word, empty when unset, splits a command name.
      if (rest.size() > 3 && rest[1] == '{' && i > 0 && is_word_char(in[i - 1])) {
        size_t close = 2;
        while (close < rest.size() && close < 34 && is_word_char(rest[close])) ++close;
        if (close > 2 && close < rest.size() && rest[close] == '}') {
          mark(out.size());
          i += close;
          continue;
        }
      }
    }
    if (c == '{' && last_comma != std::string_view::npos && last_comma > i &&
        last_close != std::string_view::npos && last_close > i) {
      size_t consumed = expand_braces(in, i, out, first_evasion);
      if (consumed) {
        i += consumed - 1;
        continue;
      }
    }
    out.push_back(c);
  }
  return out;
}

// Commands that no sentence uses as a word: seen after a separator they need no arguments.
bool strong_command(std::string_view name) {
  constexpr std::string_view kStrong[] = {
      "whoami",  "uname",      "ifconfig", "ipconfig",   "wget",     "curl",     "nc",
      "ncat",    "netcat",     "bash",     "zsh",        "ksh",      "csh",      "tcsh",
      "dash",    "powershell", "pwsh",     "cmd",        "nslookup", "passwd",   "chmod",
      "chown",   "crontab",    "useradd",  "systeminfo", "tasklist", "certutil", "bitsadmin",
      "wmic",    "mshta",      "rundll32", "regsvr32",   "socat",    "telnet",   "busybox",
      "xterm",   "netstat",    "sudo",     "pkexec",     "mkfifo",   "base64",   "xxd",
      "hexdump", "printenv",   "lsof",     "getfacl"};
  return std::find(std::begin(kStrong), std::end(kStrong), name) != std::end(kStrong);
}

constexpr std::array<bool, 256> kSep = [] {
  std::array<bool, 256> t{};
  for (char c : std::string_view(";|&\n\r`(){}<>")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();
inline bool is_sep(char c) { return kSep[static_cast<unsigned char>(c)]; }
inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

// Bash brace expansion of the list that opens at in[open], written to `out` in place of the
// word's prefix already copied there: "c{a,oun}t" -> "cat count", "{,ip,a}" -> "ip a",
// "{cat,/etc/passwd}" -> "cat /etc/passwd". Returns the input bytes consumed from `open` (through
// the word's suffix), 0 when in[open] opens no list. Only what prose never writes (a list glued
// to a word, an empty member, a member that is an option, a path or an expansion) marks evasion.
size_t expand_braces(std::string_view in, size_t open, std::string& out, size_t* first_evasion) {
  size_t close = open + 1;
  bool comma = false;
  while (close < in.size() && close - open < 96 && in[close] != '}') {
    char c = in[close];
    if (is_blank(c) || c == '{' || c == '\n' || c == '\r') return 0;
    comma = comma || c == ',';
    ++close;
  }
  if (close >= in.size() || in[close] != '}' || !comma) return 0;
  size_t suffix_end = close + 1;
  while (suffix_end < in.size() && suffix_end - close < 64 && !is_blank(in[suffix_end]) &&
         !is_sep(in[suffix_end]))
    ++suffix_end;
  size_t word_start = out.size();
  while (word_start > 0 && !is_blank(out[word_start - 1]) && !is_sep(out[word_start - 1]))
    --word_start;
  std::string prefix = out.substr(word_start);
  std::string_view suffix = in.substr(close + 1, suffix_end - close - 1);
  std::string_view list = in.substr(open + 1, close - open - 1);
  out.resize(word_start);
  bool shell_only = !prefix.empty() || !suffix.empty();
  bool first = true;
  for (size_t from = 0; from <= list.size();) {
    size_t to = std::min(list.find(',', from), list.size());
    std::string_view alt = list.substr(from, to - from);
    shell_only = shell_only || alt.empty() || alt[0] == '-' || alt[0] == '/' || alt[0] == '$';
    size_t inner = std::string::npos;
    std::string word = prefix + unshell(alt, &inner) + std::string(suffix);
    shell_only = shell_only || inner != std::string::npos;
    if (!word.empty()) {
      if (!first) out.push_back(' ');
      out += word;
      first = false;
    }
    from = to + 1;
  }
  if (shell_only && *first_evasion == std::string::npos) *first_evasion = word_start;
  return suffix_end - open;
}

std::string_view base_name(std::string_view w) {
  size_t slash = w.find_last_of("/\\");
  if (slash != std::string_view::npos) w = w.substr(slash + 1);
  if (w.size() > 4 && w.substr(w.size() - 4) == ".exe") w.remove_suffix(4);
  return w;
}

// "python3.10" -> "python", "php7" -> "php": interpreters are run by versioned names.
std::string_view unversioned(std::string_view w) {
  while (w.size() > 2 && ((w.back() >= '0' && w.back() <= '9') || w.back() == '.'))
    w.remove_suffix(1);
  return w;
}

bool shell_arg(std::string_view a) {
  if (a.empty()) return false;
  return a[0] == '-' || a[0] == '/' || a[0] == '.' || a[0] == '$' || a[0] == '~' ||
         a.find('/') != std::string_view::npos || a.find("://") != std::string_view::npos ||
         a.find('\\') != std::string_view::npos || a.find('=') != std::string_view::npos ||
         a.find('*') != std::string_view::npos;
}

bool glob_path(std::string_view t, size_t* at) {
  // "/???/??t", "/b?n/c?t": a path segment written with wildcards.
  for (size_t i = 0; i + 3 < t.size(); ++i) {
    if (t[i] != '/') continue;
    size_t j = i + 1;
    int wild = 0, letters = 0;
    while (j < t.size() && t[j] != '/' && !is_blank(t[j])) {
      if (t[j] == '?' || t[j] == '*')
        ++wild;
      else if (is_word_char(t[j]))
        ++letters;
      else
        break;
      ++j;
    }
    // "/*x*/" is a C or SQL comment, not a path.
    bool comment = t[i + 1] == '*' && j < t.size() && t[j] == '/' && t[j - 1] == '*';
    if (!comment && wild >= 1 && (wild + letters) >= 2 && j < t.size() &&
        (t[j] == '/' || is_blank(t[j])) && wild * 2 >= wild + letters) {
      *at = i;
      return true;
    }
  }
  return false;
}

// "/etc/pas[s]wd", "/usr/bin/[u]name": a bracket expression glued to letters inside a segment
// of an absolute path of two segments or more, the shell's way to name a file without spelling
// it. A regular expression ("/[a-z]+/") or a Markdown link has no such segment.
bool bracket_glob_path(std::string_view t, size_t* at) {
  if (t.size() < 6 || t.find('[') == std::string_view::npos) return false;
  for (size_t i = 0; i + 4 < t.size(); ++i) {
    if (t[i] != '/' || (i > 0 && !is_blank(t[i - 1]) && t[i - 1] != '=' && t[i - 1] != ';' &&
                        t[i - 1] != '|' && t[i - 1] != '&'))
      continue;
    // Walk the path: segments of word characters, '.', '-' and bracket expressions.
    size_t j = i, segments = 0;
    bool glob = false;
    while (j < t.size() && t[j] == '/') {
      size_t k = j + 1;
      size_t letters = 0;
      bool seg_glob = false;
      while (k < t.size()) {
        if (is_word_char(t[k]) || t[k] == '.' || t[k] == '-') {
          ++letters;
          ++k;
        } else if (t[k] == '[') {
          size_t close = t.find(']', k + 1);
          if (close == std::string_view::npos || close - k > 12 || close == k + 1) break;
          seg_glob = true;
          k = close + 1;
        } else {
          break;
        }
      }
      if (k == j + 1) break;
      ++segments;
      if (seg_glob && letters >= 2) glob = true;
      j = k;
    }
    if (glob && segments >= 2 && (j >= t.size() || is_blank(t[j]))) {
      *at = i;
      return true;
    }
  }
  return false;
}

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

bool sqlite_dot_command(std::string_view w) {
  constexpr std::string_view kDot[] = {"shell",  "system", "sh",      "databases", "tables", "dump",
                                       "import", "output", "once",    "open",      "load",   "read",
                                       "schema", "save",   "restore", "backup",    "excel"};
  return std::find(std::begin(kDot), std::end(kDot), w) != std::end(kDot);
}

// "notes.txt", "site.yml", "run.sh": a file name as an argument.
bool file_arg(std::string_view a) {
  size_t dot = a.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || a.size() - dot < 2 || a.size() - dot > 5)
    return false;
  bool letter = false;
  for (size_t k = dot + 1; k < a.size(); ++k) {
    if (!is_word_char(a[k])) return false;
    letter = letter || (a[k] >= 'a' && a[k] <= 'z');
  }
  return letter && std::all_of(a.begin(), a.begin() + long(dot),
                               [](char c) { return is_word_char(c) || c == '-' || c == '.'; });
}

bool user_at_host(std::string_view a) {
  size_t at = a.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < a.size() && is_word_char(a[at - 1]) &&
         is_word_char(a[at + 1]);
}

// "-m", "-xzf", "--version", "--file=x": an option as commands take them.
bool strict_option(std::string_view a) {
  if (a.size() < 2 || a[0] != '-') return false;
  if (a[1] == '-') {
    std::string_view o = a.substr(
        2, a.find('=') == std::string_view::npos ? std::string_view::npos : a.find('=') - 2);
    return o.size() >= 2 && o.size() <= 30 && o[0] >= 'a' && o[0] <= 'z' &&
           std::all_of(o.begin(), o.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || c == '-' || c == '_'; });
  }
  return a.size() <= 5 &&
         std::all_of(a.begin() + 1, a.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool line_has_option(std::string_view line) {
  for (size_t k = 0; k < line.size(); ++k) {
    if (line[k] != '-' || (k > 0 && !is_blank(line[k - 1]))) continue;
    size_t e = k;
    while (e < line.size() && !is_blank(line[e])) ++e;
    if (strict_option(line.substr(k, e - k))) return true;
  }
  return false;
}

// The rest of a line reads as the arguments of a command, not as a sentence: a few words and
// no sentence punctuation.
bool command_line(std::string_view line) {
  int words = 0;
  bool in_word = false;
  for (size_t k = 0; k < line.size(); ++k) {
    char c = line[k];
    if (c == '?' || c == '!' || c == '"') return false;
    if ((c == ',' || c == '.') && (k + 1 == line.size() || is_blank(line[k + 1]))) return false;
    if (is_blank(c) || c == '\n' || c == '\r') {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      if (++words > 6) return false;
    }
  }
  return true;
}

// Host administration and configuration-management tools: no form field or header names them
// at its start.
bool admin_command(std::string_view name) {
  constexpr std::string_view kAdmin[] = {
      "visudo",     "shutdown",   "reboot",     "poweroff",  "halt",     "cscli",    "ansible",
      "knife",      "setenforce", "iptables",   "ip6tables", "nft",      "ufw",      "systemctl",
      "journalctl", "useradd",    "userdel",    "usermod",   "adduser",  "deluser",  "groupadd",
      "chpasswd",   "mkfs",       "fdisk",      "insmod",    "rmmod",    "modprobe", "aptitude",
      "dpkg",       "sysctl",     "chroot",     "whoami",    "ifconfig", "ipconfig", "uname",
      "netstat",    "tasklist",   "systeminfo", "crontab",   "pkexec",   "bcdedit",  "bcdboot",
      "net1",       "schtasks",   "wmic"};
  if (std::find(std::begin(kAdmin), std::end(kAdmin), name) != std::end(kAdmin)) return true;
  // "ansible-playbook", "chef-client", "aa-disable": families of tools sharing a prefix.
  for (std::string_view family : {"ansible-", "chef-", "aa-", "mkfs.", "puppet-"}) {
    if (name.size() > family.size() && name.substr(0, family.size()) == family) return true;
  }
  return false;
}

// Administration commands that are English words too ("shutdown timer"): alone or with options.
bool english_admin(std::string_view name) {
  return name == "shutdown" || name == "reboot" || name == "halt" || name == "poweroff";
}

bool package_install(std::string_view name, std::string_view verb) {
  constexpr std::string_view kManagers[] = {"pip",  "pip3", "pipx",    "npm",      "pnpm",
                                            "yarn", "apt",  "apt-get", "yum",      "dnf",
                                            "apk",  "brew", "conda",   "composer", "zypper"};
  if (std::find(std::begin(kManagers), std::end(kManagers), name) == std::end(kManagers))
    return false;
  return verb == "install" || verb == "uninstall" || verb == "remove" || verb == "purge" ||
         verb == "add";
}

// Shell constructs that need no command list: a function that runs itself in a pipe or in the
// background (a fork bomb), a function body that opens the value (Shellshock), tilde and
// history expansions as the whole value, and a /tcp/host/port redirection (a reverse shell).
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
    out.push_back(
        Hit{AttackClass::kCommandInjection, 6, kLikely, lead, t.size(), "tilde expansion"});
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

}  // namespace

void detect_command_injection(const Scan& s, Hits& out) {
  std::string_view lower = s.lower;
  // Signatures that need no command list.
  size_t p;
  if ((p = lower.find("() {")) != std::string_view::npos ||
      (p = lower.find("(){")) != std::string_view::npos) {
    size_t q = lower.find(':', p);
    if (q != std::string_view::npos && q < p + 8) {
      out.push_back(
          Hit{AttackClass::kCommandInjection, 10, kCertain, p, lower.size(), "shellshock"});
      return;
    }
  }
  if ((p = lower.find("/dev/tcp/")) != std::string_view::npos ||
      (p = lower.find("/dev/udp/")) != std::string_view::npos) {
    out.push_back(
        Hit{AttackClass::kCommandInjection, 10, kCertain, p, lower.size(), "reverse shell"});
    return;
  }
  bool has_cmd = s.sigs->has(SigGroup::kUnixCommand) || s.sigs->has(SigGroup::kWindowsCommand);
  bool shellish = s.chars.any(";|&`$\n\r(){}<>\\'\"");
  // Windows FOR loops: "for /f %v in (set) do command".
  size_t for_at = lower.find("for ");
  while (for_at != std::string_view::npos) {
    size_t b = for_at;
    while (b > 0 && is_blank(lower[b - 1])) --b;
    if (b == 0 || std::string_view("&|;(\n").find(lower[b - 1]) != std::string_view::npos) break;
    for_at = lower.find("for ", for_at + 4);
  }
  if (for_at != std::string_view::npos) {
    size_t pct = lower.find('%', for_at);
    size_t in = lower.find(" in", pct == std::string_view::npos ? lower.size() : pct);
    size_t paren = in == std::string_view::npos ? in : lower.find('(', in);
    size_t close = paren == std::string_view::npos ? paren : lower.find(')', paren);
    if (pct != std::string_view::npos && close != std::string_view::npos &&
        lower.find("do", close) != std::string_view::npos) {
      out.push_back(
          Hit{AttackClass::kCommandInjection, 8, kCertain, 0, lower.size(), "cmd for loop"});
      return;
    }
  }
  size_t second;
  // cmd.exe conditionals: "if exist x cmd", "if /i not defined v echo".
  for (size_t at = lower.find("if "); at != std::string_view::npos;
       at = lower.find("if ", at + 3)) {
    size_t b = at;
    while (b > 0 && is_blank(lower[b - 1])) --b;
    if (b != 0 && std::string_view("&|;(\n").find(lower[b - 1]) == std::string_view::npos) continue;
    size_t k = skip_spaces(lower, at + 3);
    if (lower.compare(k, 2, "/i") == 0) k = skip_spaces(lower, k + 2);
    if (lower.compare(k, 4, "not ") == 0) k = skip_spaces(lower, k + 4);
    // The comparison operators of cmd's IF: "if %errorlevel% equ 2 goto x".
    size_t operand_end = k;
    while (operand_end < lower.size() && !is_blank(lower[operand_end])) ++operand_end;
    size_t op = skip_spaces(lower, operand_end);
    std::string_view op_word = lower.substr(op, 4);
    bool comparison = op_word == "equ " || op_word == "neq " || op_word == "lss " ||
                      op_word == "leq " || op_word == "gtr " || op_word == "geq " ||
                      lower.compare(op, 2, "==") == 0 ||
                      lower.substr(k, operand_end - k).find("==") != std::string_view::npos;
    // A line that ends in ':' or opens a block is Python, JavaScript or C, not cmd.exe.
    size_t eol = std::min(lower.find('\n', at), lower.size());
    size_t last = eol;
    while (last > at && (is_blank(lower[last - 1]) || lower[last - 1] == '\r')) --last;
    bool code_block = last > at && (lower[last - 1] == ':' || lower[last - 1] == '{');
    if (!code_block &&
        (lower.compare(k, 6, "exist ") == 0 || lower.compare(k, 8, "defined ") == 0 ||
         lower.compare(k, 11, "errorlevel ") == 0 || lower.compare(k, 14, "cmdextversion ") == 0 ||
         comparison)) {
      out.push_back(Hit{AttackClass::kCommandInjection, 8, kCertain, at, lower.size(), "cmd if"});
      return;
    }
  }
  // Expansions only a shell performs: arithmetic "$((..))" and "$[..]", and parameter
  // expansion with an operator "${path#*/}", "${x:-y}" (a template's "${name}" has none).
  if (s.chars.has('$')) {
    for (size_t d = lower.find('$'); d != std::string_view::npos; d = lower.find('$', d + 1)) {
      std::string_view r = lower.substr(d, 40);
      bool arithmetic =
          r.substr(0, 3) == "$((" ||
          (r.size() > 2 && r[1] == '[' &&
           (r[2] == ']' || r[2] == '$' || r[2] == '(' || (r[2] >= '0' && r[2] <= '9')));
      bool parameter = false;
      if (r.size() > 3 && r[1] == '{') {
        size_t k = 2;
        while (k < r.size() && is_word_char(r[k])) ++k;
        parameter = k > 2 && k < r.size() &&
                    (std::string_view("#%/^,").find(r[k]) != std::string_view::npos ||
                     // "${x:-y}", "${x:0:3}"; a lookup ("${jndi:ldap:..}") is not a shell's
                     (r[k] == ':' && k + 1 < r.size() &&
                      std::string_view("-=?+0123456789").find(r[k + 1]) != std::string_view::npos));
      }
      if (arithmetic || parameter) {
        out.push_back(
            Hit{AttackClass::kCommandInjection, 7, kLikely, d, lower.size(), "shell expansion"});
        return;
      }
    }
  }
  if (bracket_glob_path(lower, &p)) {
    out.push_back(
        Hit{AttackClass::kCommandInjection, 8, kCertain, p, lower.size(), "wildcard path"});
    return;
  }
  if (glob_path(lower, &p) && (shellish || (glob_path(lower.substr(p + 1), &second) &&
                                            lower.find(' ') != std::string_view::npos))) {
    out.push_back(
        Hit{AttackClass::kCommandInjection, 8, kCertain, p, lower.size(), "wildcard path"});
    return;
  }
  // Quotes, backslashes and $-expansions inside a word hide it from the prefilter: such values
  // go to the tokenizer regardless.
  bool hidden = s.chars.any("\\'\"$");
  if ((s.chars.any("(~!") || (s.chars.has('/') && s.chars.any("<>"))) && shell_construct(s, out))
    return;
  // SQLite's dot commands (";\n.databases") are not in the prefilter's lists.
  bool separated = false;
  if (s.chars.has('.') && s.chars.any(";|&\n")) {
    for (size_t d = lower.find('.'); d != std::string_view::npos && !separated;
         d = lower.find('.', d + 1)) {
      size_t b = d;
      while (b > 0 && is_blank(lower[b - 1])) --b;
      separated = b > 0 && (lower[b - 1] == ';' || lower[b - 1] == '\n' || lower[b - 1] == '|' ||
                            lower[b - 1] == '&');
    }
  }
  // Without quotes, backslashes, '$', a brace list or an empty substitution nothing is undone.
  bool undo = hidden || (s.chars.has('{') && s.chars.has('}')) || s.chars.has('`') ||
              (s.chars.has('(') && s.chars.any("<>"));
  if (s.chars.any("*?[") && glob_names_target(lower, &p)) {
    out.push_back(
        Hit{AttackClass::kCommandInjection, 8, kCertain, p, lower.size(), "wildcard path"});
    return;
  }
  if (!has_cmd && !undo && !separated) return;

  size_t first_evasion = std::string::npos;
  std::string unshelled;
  std::string_view t = lower;
  if (undo) {
    unshelled = unshell(lower, &first_evasion);
    t = unshelled;
  }
  // "cat+/et*/*wd": a value without blanks whose words are joined by '+' (a query string
  // encoded twice) reads with the '+' as the blank it stood for.
  std::string plus_spaced;
  if (s.chars.has('+') && !s.chars.has(' ') && !s.chars.has('\t')) {
    plus_spaced.assign(t);
    std::replace(plus_spaced.begin(), plus_spaced.end(), '+', ' ');
    t = plus_spaced;
  }
  bool evasion = first_evasion != std::string::npos;
  if (size_t g; s.chars.any("*?[") && glob_names_target(t, &g)) {
    out.push_back(
        Hit{AttackClass::kCommandInjection, 8, kCertain, g, lower.size(), "wildcard path"});
    return;
  }
  // Walk words; track whether each is at a command position and what opened it.
  size_t i = 0;
  char opener = '^';  // start of value
  bool prose_tick = false;
  bool prose_code = false;        // inside `...` that prose opened
  bool prefixed = false;          // time, nohup, sudo, ... came first
  bool assigned_command = false;  // a VAR=command assignment was seen
  bool cmd_pos = true;
  int best = 0;
  int best_level = kSuspicious;
  size_t best_at = 0;
  std::string_view reason;
  auto report = [&](int score, int level, size_t at, std::string_view why) {
    if (score > best || (score == best && level < best_level)) {
      best = score;
      best_level = level;
      best_at = at;
      reason = why;
    }
  };
  std::string_view prefix_cmds[] = {
      "sudo",  "xargs",   "env",     "nohup",   "exec",   "then",     "do",     "else", "time",
      "nice",  "timeout", "busybox", "command", "setsid", "doas",     "strace", "eval", "watch",
      "start", "call",    "/c",      "/k",      "-c",     "-command", "iex",    "trap"};
  // Past the last separator, a word not at a command position stays so: prose after the last
  // ';' or '|' needs no walk.
  size_t last_sep = t.size();
  while (last_sep > 0 && !is_sep(t[last_sep - 1])) --last_sep;
  while (i < t.size()) {
    if (!cmd_pos && i >= last_sep) break;
    char c = t[i];
    if (is_blank(c)) {
      ++i;
      continue;
    }
    if (c == '`' && i + 1 < t.size() && t[i + 1] == '`') {
      // A Markdown code fence and its language name ("```python") are not a substitution.
      while (i < t.size() && t[i] == '`') ++i;
      while (i < t.size() && !is_blank(t[i]) && t[i] != '\n') ++i;
      cmd_pos = false;
      continue;
    }
    if (is_sep(c) || (c == '$' && i + 1 < t.size() && t[i + 1] == '(')) {
      if (c == '$') ++i;
      if (c == '`') {
        // Inline code in prose ("run `pip install x` then") reads like a substitution too:
        // it counts when the backtick opens the value or follows shell syntax.
        size_t b = i;
        while (b > 0 && is_blank(t[b - 1])) --b;
        prose_tick = b > 0 && (is_word_char(t[b - 1]) || t[b - 1] == ':' || t[b - 1] == ',' ||
                               t[b - 1] == '.');
        // Separators inside an inline code span of prose ("`du -sh * | sort -h`") belong to
        // the quoted snippet, not to a command line of the value.
        prose_code = !prose_code && prose_tick;
      }
      // "&&", "||", ">&" and the like count as one separator.
      opener = c == '$' ? '$' : c;
      cmd_pos = !(c == '<' || c == '>' || c == ')' || c == '}');
      if ((c == '<' || c == '>') && i + 1 < t.size() && t[i + 1] == '(') {
        cmd_pos = true;  // process substitution
        opener = '$';
        ++i;
      }
      ++i;
      continue;
    }
    size_t ws = i;
    while (i < t.size() && !is_blank(t[i]) && !is_sep(t[i]) &&
           !(t[i] == '$' && i + 1 < t.size() && t[i + 1] == '('))
      ++i;
    std::string_view word(t.data() + ws, i - ws);
    if (!cmd_pos) continue;
    cmd_pos = false;
    std::string_view name = base_name(word);
    // The next word, to judge the arguments.
    size_t a = i;
    while (a < t.size() && is_blank(t[a])) ++a;
    size_t ae = a;
    while (ae < t.size() && !is_blank(t[ae]) && !is_sep(t[ae])) ++ae;
    std::string_view arg(t.data() + a, ae - a);
    if (std::find(std::begin(prefix_cmds), std::end(prefix_cmds), name) != std::end(prefix_cmds)) {
      // "time curl x" runs curl; "env --version" and ";env" run env itself.
      std::string_view next = base_name(arg);
      bool runs_next = !arg.empty() && arg[0] != '-' &&
                       (is_unix_command(next) || is_windows_command(next) || arg[0] == '$' ||
                        arg[0] == '/' || arg[0] == '.');
      if (runs_next || !(is_unix_command(name) || is_windows_command(name))) {
        cmd_pos = true;
        prefixed = true;
        continue;
      }
    }
    // "$a cat x": an unset variable expands to nothing and the command follows; "$SHELL -c"
    // runs the user's shell.
    if (word.size() > 1 && word[0] == '$' && !assigned_command) {
      std::string_view var = word.substr(word[1] == '{' ? 2 : 1);
      if (!var.empty() && var.back() == '}') var.remove_suffix(1);
      if (var == "shell" || var == "bash" || var == "zsh") {
        name = "bash";
      } else if (!var.empty() && !(var[0] >= '0' && var[0] <= '9') &&
                 std::all_of(var.begin(), var.end(), is_word_char)) {
        cmd_pos = true;
        prefixed = true;
        continue;
      }
    }
    size_t at = std::min(ws, lower.size());
    // SQLite's shell runs its dot commands: ".shell id", ".system id", ".databases".
    if (name.size() > 2 && name[0] == '.' && sqlite_dot_command(name.substr(1))) {
      if (opener != '^' || a < t.size() || name == ".databases" || name == ".tables")
        report(opener != '^' ? 8 : 7, opener != '^' ? kCertain : kLikely, at, "sqlite dot command");
      continue;
    }
    // "alias a=curl", "alias x='env'": a command renamed, to be run under a name no list has.
    if (name == "alias") {
      size_t a = i;
      while (a < t.size() && is_blank(t[a])) ++a;
      while (a + 1 < t.size() && t[a] == '-' && t[a + 1] == 'p') {  // "alias -p x=..."
        a += 2;
        while (a < t.size() && is_blank(t[a])) ++a;
      }
      size_t ae = a;
      while (ae < t.size() && !is_blank(t[ae]) && !is_sep(t[ae])) ++ae;
      std::string_view def(t.data() + a, ae - a);
      size_t deq = def.find('=');
      if (deq != std::string_view::npos && deq > 0) {
        std::string_view target = base_name(def.substr(deq + 1));
        if (is_unix_command(target) || is_windows_command(target)) {
          report(8, kCertain, std::min(ws, lower.size()), "command alias");
        }
      }
      continue;
    }
    // VAR=value before a command, and $VAR run as the command: "a=nc&&$a -nlvp 555".
    size_t eq = word.find('=');
    if (eq != std::string_view::npos && eq > 0 && word[0] != '-') {
      std::string_view value = base_name(word.substr(eq + 1));
      if (is_unix_command(value) || is_windows_command(value) ||
          (has_glob(value) && glob_names_command(value)))
        assigned_command = true;
      cmd_pos = true;
      continue;
    }
    if (word.size() > 1 && word[0] == '$' && assigned_command) {
      report(9, kCertain, std::min(ws, lower.size()), "command through a variable");
      continue;
    }
    // "ansible-config", "python3.10": a command's variants share its name.
    size_t dash = name.find('-');
    bool unix = is_unix_command(name) || is_unix_command(unversioned(name)) ||
                (dash != std::string_view::npos && dash >= 3 &&
                 std::find(std::begin(kEnglishCommands), std::end(kEnglishCommands),
                           name.substr(0, dash)) == std::end(kEnglishCommands) &&
                 is_unix_command(name.substr(0, dash)));
    bool win = is_windows_command(name);
    bool admin = admin_command(name);
    if (!unix && !win && !admin) continue;
    bool ends = a >= t.size() || is_sep(t[a]);
    // The whole command line, up to the next separator.
    size_t line_end = a;
    while (line_end < t.size() && !is_sep(t[line_end])) ++line_end;
    std::string_view line = t.substr(a, line_end - a);
    bool english = std::find(std::begin(kEnglishCommands), std::end(kEnglishCommands), name) !=
                   std::end(kEnglishCommands);
    bool path_form = word.size() > name.size() &&
                     (word[0] == '/' || word.find(":\\") != std::string_view::npos ||
                      (word.size() >= name.size() + 4 &&
                       word.substr(word.size() - name.size() - 4, 4) == "bin/"));
    // Evasion (c\at, c'a't, ${IFS}) is itself shell syntax nobody types in prose.
    bool shaped = shell_arg(arg) || ends || (evasion && first_evasion <= ae) || file_arg(arg) ||
                  user_at_host(arg);
    bool editor_escape = (name == "vi" || name == "vim" || name == "ex" || name == "rvim" ||
                          name == "view" || name == "nvim") &&
                         (line.find(" +") != std::string_view::npos || line.find('!') == 0 ||
                          line.find(" !") != std::string_view::npos);
    if (editor_escape) {
      report(opener != '^' ? 9 : 7, opener != '^' ? kCertain : kLikely, at,
             "editor running a command");
      continue;
    }
    if (opener == '`' && prose_tick && !strong_command(name)) {
      report(5, kSuspicious, at, "command substitution");
    } else if (opener == '`' || opener == '$') {
      report(english && !shaped ? 7 : 9, kCertain, at, "command substitution");
    } else if (opener != '^' && opener != '(' && opener != '{') {
      if (prose_code)
        report(5, kSuspicious, at, "command after shell separator");
      else if (shaped || strong_command(name) || admin || package_install(name, arg) ||
               (!english && line_has_option(line)))
        report(8, kCertain, at, "command after shell separator");
      else
        report(5, kSuspicious, at, "command after shell separator");
    } else if (s.part == Part::kPath) {
      // A URL path is not a command line: only separators count there.
    } else if (path_form && (unix || win)) {
      report(8, kCertain, at, "command by absolute path");
    } else if (opener == '^' && strong_command(name) && a < t.size() && is_sep(t[a]) &&
               t[a] != '(' && t[a] != ')') {
      report(8, kCertain, at, "command then shell separator");
    } else if (opener == '^' && name == "find" && t.find(" -exec", i) != std::string::npos) {
      report(8, kCertain, at, "find -exec");
    } else if (opener == '^' && prefixed && (!english || shaped)) {
      report(8, kCertain, at, "command after a prefix command");
    } else if (opener == '^' && !english && shell_arg(arg) &&
               (s.part != Part::kHeader || arg[0] == '-')) {
      report(7, kLikely, at, "command with arguments");
    } else if (opener == '^' && arg.size() > 5 && arg[0] == '/' && s.part != Part::kHeader &&
               std::string_view("cat head tail more less nl od tac sort uniq strings find grep")
                       .find(name) != std::string_view::npos &&
               arg.find('/', 1) != std::string_view::npos) {
      report(7, kLikely, at, "file read command");
    } else if (opener == '^' && evasion && first_evasion <= ae && (!english || shaped)) {
      report(8, kCertain, at, "obfuscated command");
    } else if (opener == '^' && admin && command_line(line) &&
               (!english_admin(name) || ends || shell_arg(arg) || line_has_option(line))) {
      // Tools that administer a host ("visudo", "ansible all -m ping", "cscli alerts list")
      // are not what a form or a header carries.
      report(7, kLikely, at, "system administration command");
    } else if (opener == '^' && package_install(name, arg)) {
      report(7, kLikely, at, "package installation command");
    } else if (opener == '^' && strict_option(arg) && command_line(line)) {
      report(6, kLikely, at, "command with options");
    } else if (opener == '(' || opener == '{') {
      if (!english && shaped) report(6, kLikely, at, "command in group");
    }
  }
  if (best > 0) {
    out.push_back(Hit{AttackClass::kCommandInjection, best, best_level, best_at,
                      best_at + kMaxFragment, reason});
  }
}

}  // namespace rampart::waf
