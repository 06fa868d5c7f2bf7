// OS command injection: the value is read as shell (POSIX sh and Windows cmd/PowerShell) after
// undoing the evasions shells allow inside words (quotes, backslashes, special parameters, unset
// variables, empty substitutions, ${IFS}, brace lists: shell_words.cpp); a known command at a
// command position (after ; | & && || newline, inside $(...) or backticks, after a prefix such
// as "sudo" or an empty "$a") is an injection. English words that are also commands ("cat",
// "time") need shell-shaped arguments around them; a command line that is the whole value counts
// when it runs an administration or package tool or takes options. Wildcard paths, fork bombs,
// tilde and history expansions and reverse shells need no command list (shell_constructs.cpp).
// The signature prefilter skips values that name no command at all.

#include <algorithm>
#include <array>
#include <string>

#include "waf/detect/detector.h"
#include "waf/detect/shell_syntax.h"

namespace rampart::waf {
namespace {

using shell::is_blank;
using shell::is_sep;

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

// Commands that no sentence uses as a word: seen after a separator they need no arguments.
// At least two letters and none in lower case: "PG", "ID", "/BIN/LS".
bool written_in_capitals(std::string_view word) {
  size_t upper = 0;
  for (char c : word) {
    if (c >= 'a' && c <= 'z') return false;
    upper += c >= 'A' && c <= 'Z';
  }
  return upper >= 2;
}

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

std::string_view base_name(std::string_view w) {
  size_t slash = w.find_last_of("/\\");
  if (slash != std::string_view::npos) w = w.substr(slash + 1);
  if (w.size() > 4 && w.substr(w.size() - 4) == ".exe") w.remove_suffix(4);
  return w;
}

// "python3.10" -> "python", "php7" -> "php": interpreters and compilers are run by versioned
// names. Other names keep their digits: "PS5" is a games console, not ps.
std::string_view unversioned(std::string_view w) {
  static constexpr std::string_view kVersioned[] = {
      "python", "php", "perl",  "ruby",  "node", "nodejs", "lua", "luajit", "java", "pip",
      "gcc",    "g++", "clang", "tclsh", "wish", "bash",   "zsh", "ksh",    "pwsh", "powershell"};
  std::string_view base = w;
  while (base.size() > 2 && ((base.back() >= '0' && base.back() <= '9') || base.back() == '.'))
    base.remove_suffix(1);
  for (std::string_view v : kVersioned) {
    if (base == v) return base;
  }
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
  for (size_t at = lower.find("if"); at != std::string_view::npos; at = lower.find("if", at + 2)) {
    // "if " and "if/i": cmd reads the switch glued to the keyword.
    if (at + 2 >= lower.size() || (lower[at + 2] != ' ' && lower[at + 2] != '/')) continue;
    size_t b = at;
    while (b > 0 && is_blank(lower[b - 1])) --b;
    if (b != 0 && std::string_view("&|;(\n").find(lower[b - 1]) == std::string_view::npos) continue;
    size_t k = skip_spaces(lower, at + 2);
    if (lower.compare(k, 2, "/i") == 0) k = skip_spaces(lower, k + 2);
    if (lower.compare(k, 4, "not ") == 0) k = skip_spaces(lower, k + 4);
    // The comparison operators of cmd's IF: "if %errorlevel% equ 2 goto x"; a quoted operand
    // may hold blanks ("if "a b" == "a b" echo same").
    size_t operand_end = k;
    if (k < lower.size() && lower[k] == '"') {
      size_t close = lower.find('"', k + 1);
      operand_end = close == std::string_view::npos ? lower.size() : close + 1;
    }
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
  // A wildcard path needs a '/' and a '?' or '*'.
  if (s.chars.has('/') && s.chars.any("?*") && glob_path(lower, &p) &&
      (shellish ||
       (glob_path(lower.substr(p + 1), &second) && lower.find(' ') != std::string_view::npos))) {
    out.push_back(
        Hit{AttackClass::kCommandInjection, 8, kCertain, p, lower.size(), "wildcard path"});
    return;
  }
  // Quotes, backslashes and $-expansions inside a word hide it from the prefilter: such values
  // go to the tokenizer regardless.
  bool hidden = s.chars.any("\\'\"$");
  if ((s.chars.any("(~!") || (s.chars.has('/') && s.chars.any("<>"))) &&
      shell::shell_construct(s, out))
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
  if (s.chars.any("*?[") && s.chars.has('/') && shell::glob_names_target(lower, &p)) {
    out.push_back(
        Hit{AttackClass::kCommandInjection, 8, kCertain, p, lower.size(), "wildcard path"});
    return;
  }
  if (!has_cmd && !undo && !separated) return;

  size_t first_evasion = std::string::npos;
  std::string unshelled;
  std::string_view t = lower;
  if (undo) {
    unshelled = shell::unshell(lower, &first_evasion);
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
  // Only undoing the shell's quoting can put a '/' into t that the value did not have.
  if (size_t g;
      s.chars.any("*?[") && (undo || s.chars.has('/')) && shell::glob_names_target(t, &g)) {
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
  // Without undoing, t has the separators of the value (a '+' read as a blank is none).
  size_t last_sep = t.size();
  if (!undo && !s.chars.any(";|&\n\r`(){}<>")) last_sep = 0;
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
    // "${SHELL} -c": the user's shell, braced; one word, its braces no command grouping.
    for (std::string_view shell_var : {"${shell}", "${bash}", "${zsh}"}) {
      if (t.compare(i, shell_var.size(), shell_var) == 0) {
        i += shell_var.size();
        break;
      }
    }
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
          (shell::has_glob(value) && shell::glob_names_command(value)))
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
    // "time()", "print(x)": a call in code or prose. A shell runs nothing written so ("name()"
    // defines a function; the fork-bomb rule judges those). PowerShell does call "iex(...)".
    if (!win && i < t.size() && t[i] == '(') continue;
    bool ends = a >= t.size() || is_sep(t[a]);
    // Linux finds commands case-sensitively: a lone "|PG|", ";ID;" in capitals, with no
    // argument to show a command line, is a code or label of pipe-delimited text, not "pg" or
    // "id". Windows' commands run in any case.
    if (ends && !win && !undo &&
        written_in_capitals(s.text.substr(std::min(ws, s.text.size()), i - ws)))
      continue;
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
