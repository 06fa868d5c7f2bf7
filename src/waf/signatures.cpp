#include "waf/signatures.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <string>

namespace rampart::waf {
namespace {

// Programs an attacker runs after breaking out of a shell command: reconnaissance, download and
// execution, reverse shells, file access. Ordinary English words among them ("cat", "time",
// "more") are only reported by the shell detector at a command position with shell syntax around.
constexpr std::string_view kUnixCommands[] = {"alias",
                                              "apt-get",
                                              "arp",
                                              "awk",
                                              "base32",
                                              "base64",
                                              "bash",
                                              "bsdtar",
                                              "busybox",
                                              "bzip2",
                                              "cat",
                                              "cc",
                                              "chattr",
                                              "chmod",
                                              "chown",
                                              "chroot",
                                              "cmp",
                                              "crontab",
                                              "csh",
                                              "curl",
                                              "cut",
                                              "dash",
                                              "dd",
                                              "diff",
                                              "dig",
                                              "dmesg",
                                              "doas",
                                              "du",
                                              "echo",
                                              "ed",
                                              "egrep",
                                              "env",
                                              "eval",
                                              "exec",
                                              "expect",
                                              "export",
                                              "fetch",
                                              "fgrep",
                                              "file",
                                              "find",
                                              "ftp",
                                              "g++",
                                              "gcc",
                                              "gdb",
                                              "getfacl",
                                              "git",
                                              "grep",
                                              "gunzip",
                                              "gzip",
                                              "head",
                                              "hexdump",
                                              "history",
                                              "host",
                                              "hostname",
                                              "id",
                                              "ifconfig",
                                              "ip",
                                              "iptables",
                                              "irb",
                                              "java",
                                              "jexec",
                                              "kill",
                                              "killall",
                                              "ksh",
                                              "last",
                                              "lastlog",
                                              "less",
                                              "ln",
                                              "locate",
                                              "ls",
                                              "lsof",
                                              "lua",
                                              "lwp-download",
                                              "lwp-request",
                                              "mail",
                                              "make",
                                              "mkdir",
                                              "mkfifo",
                                              "more",
                                              "mount",
                                              "mv",
                                              "mysql",
                                              "nano",
                                              "nc",
                                              "nc.openbsd",
                                              "nc.traditional",
                                              "ncat",
                                              "net",
                                              "netcat",
                                              "netstat",
                                              "nice",
                                              "nl",
                                              "nmap",
                                              "node",
                                              "nohup",
                                              "nslookup",
                                              "od",
                                              "openssl",
                                              "passwd",
                                              "perl",
                                              "php",
                                              "pico",
                                              "ping",
                                              "pkexec",
                                              "pkill",
                                              "printenv",
                                              "printf",
                                              "ps",
                                              "psql",
                                              "pwd",
                                              "python",
                                              "python2",
                                              "python3",
                                              "rbash",
                                              "readelf",
                                              "rm",
                                              "rmdir",
                                              "route",
                                              "rsync",
                                              "ruby",
                                              "rview",
                                              "rvim",
                                              "scp",
                                              "screen",
                                              "sed",
                                              "sendmail",
                                              "setsid",
                                              "sftp",
                                              "sh",
                                              "shred",
                                              "sleep",
                                              "socat",
                                              "sort",
                                              "ssh",
                                              "strace",
                                              "strings",
                                              "su",
                                              "sudo",
                                              "sysctl",
                                              "systemctl",
                                              "tac",
                                              "tail",
                                              "tar",
                                              "tclsh",
                                              "tcpdump",
                                              "tee",
                                              "telnet",
                                              "tftp",
                                              "time",
                                              "timeout",
                                              "tmux",
                                              "top",
                                              "touch",
                                              "tr",
                                              "traceroute",
                                              "uname",
                                              "uniq",
                                              "unzip",
                                              "useradd",
                                              "usermod",
                                              "vi",
                                              "vim",
                                              "w",
                                              "wc",
                                              "wget",
                                              "whoami",
                                              "who",
                                              "xargs",
                                              "xterm",
                                              "xxd",
                                              "yes",
                                              "zip",
                                              "zsh",
                                              "adduser",
                                              "ansible",
                                              "ash",
                                              "base58",
                                              "bridge",
                                              "bsdcat",
                                              "bunzip2",
                                              "bzcat",
                                              "c89",
                                              "c99",
                                              "cd",
                                              "column",
                                              "cpulimit",
                                              "dmidecode",
                                              "ex",
                                              "fish",
                                              "flock",
                                              "fold",
                                              "gawk",
                                              "gdb",
                                              "gimp",
                                              "ionice",
                                              "jjs",
                                              "jrunscript",
                                              "ksshell",
                                              "ldconfig",
                                              "lftp",
                                              "logsave",
                                              "lsattr",
                                              "lwp-mirror",
                                              "mawk",
                                              "nawk",
                                              "pdb",
                                              "perf",
                                              "pg",
                                              "pip",
                                              "pry",
                                              "puppet",
                                              "rlwrap",
                                              "run-parts",
                                              "rustc",
                                              "script",
                                              "sqlite3",
                                              "ssh-keygen",
                                              "start-stop-daemon",
                                              "stdbuf",
                                              "tclsh8.6",
                                              "tcsh",
                                              "unshare",
                                              "valgrind",
                                              "view",
                                              "vimdiff",
                                              "wall",
                                              "watch",
                                              "whois",
                                              "xdg-open",
                                              "xmodmap",
                                              "zathura",
                                              "zypper",
                                              "chattr",
                                              "iconv",
                                              "install",
                                              "ltrace",
                                              "nsenter",
                                              "pkg",
                                              "rpm",
                                              "dpkg",
                                              "apt",
                                              "yum",
                                              "systemd-run",
                                              "uudecode",
                                              "uuencode",
                                              "visudo",
                                              "shutdown",
                                              "reboot",
                                              "cscli",
                                              "chef",
                                              "knife",
                                              "aptitude",
                                              "pip3",
                                              "pipx",
                                              "npm",
                                              "set",
                                              "date",
                                              "trap",
                                              "ll",
                                              "rmt",
                                              "uconv",
                                              "rc",
                                              "setenforce",
                                              "modprobe",
                                              "insmod",
                                              "userdel",
                                              "groupadd",
                                              "chpasswd",
                                              "journalctl",
                                              "ufw"};

constexpr std::string_view kWindowsCommands[] = {"bitsadmin",
                                                 "certutil",
                                                 "cmd",
                                                 "cmd.exe",
                                                 "cscript",
                                                 "del",
                                                 "dir",
                                                 "findstr",
                                                 "ipconfig",
                                                 "mshta",
                                                 "msiexec",
                                                 "net",
                                                 "net1",
                                                 "netsh",
                                                 "nslookup",
                                                 "ping",
                                                 "powershell",
                                                 "powershell.exe",
                                                 "pwsh",
                                                 "reg",
                                                 "regsvr32",
                                                 "rundll32",
                                                 "sc",
                                                 "schtasks",
                                                 "systeminfo",
                                                 "taskkill",
                                                 "tasklist",
                                                 "type",
                                                 "whoami",
                                                 "wmic",
                                                 "wscript",
                                                 "invoke-expression",
                                                 "iex",
                                                 "invoke-webrequest",
                                                 "start-process",
                                                 "new-object",
                                                 "get-content",
                                                 "set-content",
                                                 "downloadstring",
                                                 "downloadfile",
                                                 "iwr",
                                                 "iwmi",
                                                 "irm",
                                                 "icm",
                                                 "saps",
                                                 "regedit",
                                                 "bcdboot",
                                                 "bcdedit"};

// PHP functions that execute code or commands, read or write files, or decode hidden payloads.
constexpr std::string_view kPhpFunctions[] = {"array_map",
                                              "array_filter",
                                              "assert",
                                              "base64_decode",
                                              "call_user_func",
                                              "call_user_func_array",
                                              "chmod",
                                              "chown",
                                              "copy",
                                              "create_function",
                                              "curl_exec",
                                              "curl_init",
                                              "escapeshellcmd",
                                              "eval",
                                              "exec",
                                              "extract",
                                              "file",
                                              "file_get_contents",
                                              "file_put_contents",
                                              "fopen",
                                              "fputs",
                                              "fsockopen",
                                              "fwrite",
                                              "get_defined_vars",
                                              "getenv",
                                              "gzinflate",
                                              "gzuncompress",
                                              "hex2bin",
                                              "highlight_file",
                                              "include",
                                              "include_once",
                                              "ini_set",
                                              "mail",
                                              "move_uploaded_file",
                                              "parse_str",
                                              "passthru",
                                              "pcntl_exec",
                                              "phpinfo",
                                              "popen",
                                              "posix_getpwuid",
                                              "posix_kill",
                                              "preg_replace",
                                              "print_r",
                                              "proc_open",
                                              "putenv",
                                              "readfile",
                                              "register_shutdown_function",
                                              "require",
                                              "require_once",
                                              "serialize",
                                              "shell_exec",
                                              "show_source",
                                              "str_rot13",
                                              "system",
                                              "unlink",
                                              "unserialize",
                                              "usort",
                                              "var_dump",
                                              "fread",
                                              "file_exists",
                                              "scandir",
                                              "glob",
                                              "opendir",
                                              "readdir",
                                              "stream_get_contents",
                                              "symlink",
                                              "tempnam",
                                              "tmpfile",
                                              "ob_start",
                                              "array_walk",
                                              "uasort",
                                              "uksort",
                                              "strrev",
                                              "gzdecode",
                                              "convert_uudecode",
                                              "mb_ereg_replace",
                                              "function_exists",
                                              "is_callable",
                                              "php_uname",
                                              "getcwd",
                                              "chdir",
                                              "mkdir",
                                              "rmdir",
                                              "rename",
                                              "pfsockopen",
                                              "socket_create",
                                              "stream_socket_client",
                                              "dl",
                                              "apache_setenv",
                                              "set_time_limit",
                                              "ignore_user_abort",
                                              "header"};

// Files an attacker reads through traversal or inclusion (Unix, Windows, application secrets).
constexpr std::string_view kSensitiveFiles[] = {"etc/passwd",
                                                "etc/shadow",
                                                "etc/group",
                                                "etc/hosts",
                                                "etc/issue",
                                                "etc/motd",
                                                "etc/crontab",
                                                "etc/sudoers",
                                                "etc/master.passwd",
                                                "etc/security/passwd",
                                                "etc/httpd/",
                                                "etc/apache2/",
                                                "etc/nginx/",
                                                "etc/mysql/my.cnf",
                                                "etc/ssh/",
                                                "etc/resolv.conf",
                                                "etc/hostname",
                                                "etc/os-release",
                                                "etc/profile",
                                                "etc/bashrc",
                                                "etc/environment",
                                                "proc/self/",
                                                "proc/version",
                                                "proc/cpuinfo",
                                                "proc/meminfo",
                                                "proc/net/",
                                                "/dev/tcp/",
                                                "/dev/udp/",
                                                "var/log/",
                                                "var/run/secrets",
                                                ".ssh/id_rsa",
                                                ".ssh/id_dsa",
                                                ".ssh/id_ecdsa",
                                                ".ssh/id_ed25519",
                                                ".ssh/authorized_keys",
                                                ".ssh/known_hosts",
                                                ".bash_history",
                                                ".bash_profile",
                                                ".bashrc",
                                                ".zsh_history",
                                                ".mysql_history",
                                                ".psql_history",
                                                ".htaccess",
                                                ".htpasswd",
                                                ".git/config",
                                                ".git/head",
                                                ".gitconfig",
                                                ".svn/entries",
                                                ".env",
                                                "wp-config.php",
                                                "config.php",
                                                "web.config",
                                                "boot.ini",
                                                "win.ini",
                                                "system.ini",
                                                "windows/system32",
                                                "winnt/system32",
                                                "system32/drivers/etc",
                                                "autoexec.bat",
                                                "config.sys",
                                                "php.ini",
                                                "httpd.conf",
                                                "my.cnf",
                                                "/etc/",
                                                "c:\\windows",
                                                "c:/windows",
                                                "sam",
                                                "id_rsa",
                                                ".aws/credentials",
                                                ".docker/config.json",
                                                ".kube/config",
                                                "settings.py",
                                                ".docker/",
                                                ".aws/",
                                                ".kube/",
                                                ".gnupg/",
                                                "proc/sys/",
                                                "local_settings.py",
                                                "database.yml",
                                                "credentials.json"};

// Words that make a value worth lexing as SQL even without punctuation ("1 union select 2").
// English words among them ("is", "like", "or") only matter together with a comparison, so
// they form their own group (kSqlWeakWord).
constexpr std::string_view kSqlWords[] = {
    "select", "union", "insert", "update", "delete", "drop", "sleep", "benchmark", "waitfor",
    "having", "order by", "group by", "exec", "truncate", "shutdown", "declare",
    "information_schema", "procedure", "rlike", "regexp",
    // Routines only attackers name (sqli.cpp).
    "xp_cmdshell", "xp_dirtree", "xp_regread", "xp_fileexist", "xp_servicecontrol", "sp_executesql",
    "sp_password", "sp_oacreate", "sp_makewebtask", "sp_configure", "openrowset", "opendatasource",
    "utl_http", "utl_inaddr", "dbms_pipe", "dbms_ldap", "dbms_java", "pg_catalog", "pg_shadow",
    "sqlite_master", "msysobjects", "msysaccessobjects", "sysobjects", "syscolumns", "mysql.user",
    "mysql.db", "dba_users"};
constexpr std::string_view kSqlWeakWords[] = {"or", "and", "xor", "like", "between",
                                              "is", "in",  "div", "mod",  "sounds"};

// Anything the XSS detector's URL and script rules look for; values without any skip them.
// Prefixes ("java", "vbs") so that "java&#9;script:" still counts once decoded.
constexpr std::string_view kScriptMarkers[] = {
    "java",       "vbs",        "livesc",      "mocha:",       "data:",     "jar:",
    "expression", "binding",    "behavio",     "alert",        "prompt",    "confirm",
    "eval(",      "settimeout", "setinterval", "function",     "document.", "window",
    "location.",  "document",   "self",        "fromcharcode", "innerhtml", "outerhtml",
    "atob(",      "import(",    "constructor", "top[",         "self[",     "window[",
    "this[",      "parent[",    "frames[",     "globalthis",   "fetch(",    "xmlhttprequest",
    "sendbeacon", "print(",     "open(",       "onerror",      "throw ",    "/*",
    "[\"",        "['"};

struct ScratchCache {
  hs_scratch_t* scratch = nullptr;
  std::vector<uint64_t> prepared;  // serials of the databases this scratch is sized for
  ~ScratchCache() {
    if (scratch) hs_free_scratch(scratch);
  }
};

std::atomic<uint64_t> next_serial{1};

bool contains(const std::string_view* begin, const std::string_view* end, std::string_view w) {
  return std::find(begin, end, w) != end;
}

}  // namespace

bool is_unix_command(std::string_view word) {
  return contains(std::begin(kUnixCommands), std::end(kUnixCommands), word);
}
bool is_windows_command(std::string_view word) {
  return contains(std::begin(kWindowsCommands), std::end(kWindowsCommands), word);
}
bool is_php_function(std::string_view word) {
  return contains(std::begin(kPhpFunctions), std::end(kPhpFunctions), word);
}

StatusOr<std::unique_ptr<SignatureSet>> SignatureSet::compile() {
  std::unique_ptr<SignatureSet> set(new SignatureSet());
  std::vector<const char*> exprs;
  std::vector<size_t> lens;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  auto add = [&](SigGroup g, const std::string_view* b, const std::string_view* e) {
    for (const std::string_view* w = b; w != e; ++w) {
      ids.push_back(unsigned(exprs.size()));
      exprs.push_back(w->data());
      lens.push_back(w->size());
      flags.push_back(HS_FLAG_CASELESS);
      set->group_of_.push_back(g);
      set->length_of_.push_back(uint32_t(w->size()));
    }
  };
  add(SigGroup::kUnixCommand, std::begin(kUnixCommands), std::end(kUnixCommands));
  add(SigGroup::kWindowsCommand, std::begin(kWindowsCommands), std::end(kWindowsCommands));
  add(SigGroup::kPhpFunction, std::begin(kPhpFunctions), std::end(kPhpFunctions));
  add(SigGroup::kSensitiveFile, std::begin(kSensitiveFiles), std::end(kSensitiveFiles));
  add(SigGroup::kSqlWord, std::begin(kSqlWords), std::end(kSqlWords));
  add(SigGroup::kSqlWeakWord, std::begin(kSqlWeakWords), std::end(kSqlWeakWords));
  const std::vector<std::string_view>& code = code_injection_literals();
  add(SigGroup::kCodeSignature, code.data(), code.data() + code.size());
  add(SigGroup::kScriptMarker, std::begin(kScriptMarkers), std::end(kScriptMarkers));

  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                           unsigned(exprs.size()), HS_MODE_BLOCK, nullptr, &set->db_,
                           &err) != HS_SUCCESS) {
    std::string msg = err && err->message ? err->message : "unknown error";
    hs_free_compile_error(err);
    return Status::error("waf: cannot compile the signature database: " + msg);
  }
  set->serial_ = next_serial.fetch_add(1);
  return set;
}

SignatureSet::~SignatureSet() {
  if (db_) hs_free_database(db_);
}

void SignatureSet::scan(std::string_view text, SigHits& hits) const {
  thread_local ScratchCache cache;
  if (std::find(cache.prepared.begin(), cache.prepared.end(), serial_) == cache.prepared.end()) {
    // Grows the scratch to fit this database too; other databases stay valid with it.
    if (hs_alloc_scratch(db_, &cache.scratch) != HS_SUCCESS) return;
    cache.prepared.push_back(serial_);
  }
  struct Ctx {
    const SignatureSet* set;
    SigHits* hits;
    std::string_view text;
  } ctx{this, &hits, text};
  auto on_match = [](unsigned id, unsigned long long, unsigned long long to, unsigned,
                     void* p) -> int {
    auto* c = static_cast<Ctx*>(p);
    SigGroup g = c->set->group_of_[id];
    if (g == SigGroup::kUnixCommand || g == SigGroup::kWindowsCommand ||
        g == SigGroup::kPhpFunction || g == SigGroup::kSqlWord || g == SigGroup::kSqlWeakWord) {
      // Words count only whole: "w" inside "window" is not the command w.
      size_t end = size_t(to);
      size_t from = end - c->set->length_of_[id];
      auto word = [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '_';
      };
      std::string_view t = c->text;
      if ((word(t[from]) && from > 0 && word(t[from - 1])) ||
          (word(t[end - 1]) && end < t.size() && word(t[end]))) {
        return 0;
      }
    }
    c->hits->groups |= 1u << uint32_t(g);
    if (g == SigGroup::kSqlWeakWord) {
      std::string_view w =
          c->text.substr(size_t(to) - c->set->length_of_[id], c->set->length_of_[id]);
      bool logic = w.size() <= 3 && (w[0] == 'o' || w[0] == 'O' || w[0] == 'a' || w[0] == 'A' ||
                                     w[0] == 'x' || w[0] == 'X');
      (logic ? c->hits->weak_logic : c->hits->weak_compare) = true;
      return 0;
    }
    if (c->hits->matches.size() < kMaxMatches) {
      c->hits->matches.push_back(SigMatch{g, uint32_t(to - c->set->length_of_[id]), uint32_t(to)});
    }
    return 0;
  };
  hs_scan(db_, text.data(), unsigned(std::min<size_t>(text.size(), UINT32_MAX)), 0, cache.scratch,
          on_match, &ctx);
}

}  // namespace rampart::waf
