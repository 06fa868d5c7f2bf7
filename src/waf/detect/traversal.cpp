// Path traversal and local file inclusion: "../" sequences in any spelling (backslashes,
// "..;/", doubled dots), and names of files an attacker reads (found by the signature
// prefilter) where they stand as a path.

#include "waf/detect/detector.h"

namespace rampart::waf {

namespace {

// Files that change how a server, an interpreter or a login behaves once written where they
// are read: an upload under such a name reconfigures the host ("a .htaccess that maps .jpg to
// PHP", "authorized_keys").
bool restricted_upload(std::string_view file) {
  while (!file.empty() && (file.back() == ' ' || file.back() == '.')) file.remove_suffix(1);
  size_t slash = file.find_last_of("/\\");
  if (slash != std::string_view::npos) file.remove_prefix(slash + 1);
  constexpr std::string_view kNames[] = {
      ".htaccess",  ".htpasswd",   ".htdigest",      ".user.ini",
      "php.ini",    "web.config",  ".env",           ".boto",
      ".bashrc",    ".profile",    ".bash_profile",  "authorized_keys",
      ".npmrc",     ".pypirc",     ".netrc",         ".gitconfig",
      "config.yml", "config.yaml", "parameters.yml", "settings.php",
      "local.xml",  "crontab"};
  for (std::string_view n : kNames) {
    if (file == n) return true;
  }
  // "wp-config.php" and its copies ("wp-config-php.bak", "wp-config_php.txt").
  return file.substr(0, 9) == "wp-config";
}

}  // namespace

void detect_traversal(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  bool file_field = s.name.find("filename") != std::string_view::npos ||
                    s.name.find("file-name") != std::string_view::npos ||
                    s.name.find("file_name") != std::string_view::npos;
  if (file_field && !s.is_name && restricted_upload(t)) {
    out.push_back(
        Hit{AttackClass::kPathTraversal, 7, kLikely, 0, t.size(), "restricted file upload"});
    return;
  }
  // Count "../" with '\' and ';' spellings: "..\", "..;/", "....//".
  int ups = 0;
  size_t first = std::string_view::npos;
  // Each needs a '.' and a slash or a backslash.
  bool can_climb = s.chars.has('.') && (s.chars.has('/') || s.chars.has('\\'));
  for (size_t i = 0; can_climb && i + 2 < t.size() + 1 && i + 1 < t.size(); ++i) {
    if (t[i] == '.' && t[i + 1] == '.') {
      size_t j = i + 2;
      while (j < t.size() && t[j] == '.') ++j;
      if (j < t.size() && t[j] == ';') ++j;
      bool sep = j < t.size() && (t[j] == '/' || t[j] == '\\');
      bool start = i == 0 || t[i - 1] == '/' || t[i - 1] == '\\' || t[i - 1] == '=' ||
                   t[i - 1] == ' ' || t[i - 1] == '"' || t[i - 1] == '\'' || t[i - 1] == ':' ||
                   t[i - 1] == '.';
      if (sep && start) {
        if (first == std::string_view::npos) first = i;
        ++ups;
      }
      i = j - 1;
    }
  }
  bool sensitive = false;
  size_t file_at = 0;
  if (s.sigs->has(SigGroup::kSensitiveFile)) {
    for (const SigMatch& m : s.sigs->matches) {
      if (m.group != SigGroup::kSensitiveFile) continue;
      std::string_view f = t.substr(m.from, m.to - m.from);
      if (f == ".sql") continue;  // listed so that dump names reach the check below
      char before = m.from == 0 ? '\0' : t[m.from - 1];
      bool anchored = m.from == 0 || before == '/' || before == '\\' || before == '=' ||
                      before == ' ' || before == ':' || f.front() == '/' || f.front() == '.';
      bool whole = m.to >= t.size() || !is_word_char(t[m.to]) || f.back() == '/';
      // Short names ("sam", ".env", "/etc/") need a path around them.
      bool weak = f == "sam" || f == "/etc/" || f == ".env" || f == "id_rsa" || f == "my.cnf" ||
                  f == "settings.py" || f == "config.php";
      if (!anchored || !whole) continue;
      if (weak && !(before == '/' || before == '\\' || (m.from == 0 && t.size() == f.size())))
        continue;
      if (f == "/etc/" && m.to >= t.size()) continue;
      sensitive = true;
      file_at = m.from;
      break;
    }
  }
  if (ups > 0 && sensitive) {
    out.push_back(Hit{AttackClass::kPathTraversal, 10, kCertain, first, t.size(),
                      "traversal to a sensitive file"});
  } else if (ups >= 2) {
    out.push_back(Hit{AttackClass::kPathTraversal, 8, kCertain, first, t.size(), "path traversal"});
  } else if (sensitive) {
    out.push_back(
        Hit{AttackClass::kPathTraversal, 8, kCertain, file_at, t.size(), "sensitive file path"});
  } else if (ups == 1) {
    // One "../" at the start of a value is a path; inside text (an href in a comment) it is not.
    bool leading = first == skip_spaces(t, 0);
    out.push_back(Hit{AttackClass::kPathTraversal, 5, leading ? kLikely : kSuspicious, first,
                      t.size(), "path traversal"});
  }
  // Absolute system paths given as a value: /proc/..., /sys/..., c:\...
  if (s.part == Part::kPath) {
    // Hidden files and directories ("/.git/config", "/.env", "/.claude/settings.json") and
    // backups or logs left in the document root are never application routes.
    for (size_t q = t.find("/."); q != std::string_view::npos; q = t.find("/.", q + 2)) {
      if (q + 2 < t.size() && is_word_char(t[q + 2]) && t.compare(q, 13, "/.well-known/") != 0) {
        out.push_back(
            Hit{AttackClass::kPathTraversal, 6, kLikely, q, t.size(), "hidden file in path"});
        return;
      }
    }
    for (std::string_view ext :
         {std::string_view(".sql"), std::string_view(".sql.gz"), std::string_view(".sql.zip"),
          std::string_view(".bak"), std::string_view(".old"), std::string_view(".swp"),
          std::string_view(".log"), std::string_view("~"), std::string_view(".orig"),
          std::string_view(".save")}) {
      if (t.size() > ext.size() && t.substr(t.size() - ext.size()) == ext) {
        out.push_back(Hit{AttackClass::kPathTraversal, 6, kLikely, 0, t.size(),
                          "backup or log file in path"});
        return;
      }
    }
    for (std::string_view p : {std::string_view("/proc/"), std::string_view("/sys/")}) {
      size_t q = t.find(p);
      if (q != std::string_view::npos && q + p.size() < t.size()) {
        out.push_back(Hit{AttackClass::kPathTraversal, 6, kLikely, q, t.size(), "system path"});
        break;
      }
    }
  } else {
    // Paths a user may type (their home, /tmp) are only suspicious; kernel and system
    // directories are not what a form asks for, nor what an argument is named after.
    for (std::string_view p :
         {std::string_view("/proc/"), std::string_view("/sys/"), std::string_view("/dev/"),
          std::string_view("/root/"), std::string_view("/bin/"), std::string_view("/sbin/"),
          std::string_view("/boot/")}) {
      if (t.substr(0, p.size()) == p && (!s.is_name || p == "/proc/" || p == "/sys/")) {
        out.push_back(Hit{AttackClass::kPathTraversal, 6, kLikely, 0, t.size(), "system path"});
        break;
      }
    }
    // ">/tmp/x", ">> /var/www/shell.php": a shell redirection that writes a file into a
    // directory.
    size_t r = skip_spaces(t, 0);
    if (!s.is_name && r < t.size() && t[r] == '>') {
      size_t k = r + 1;
      if (k < t.size() && t[k] == '>') ++k;
      k = skip_spaces(t, k);
      size_t second = t.find('/', k + 1);
      if (k + 1 < t.size() && t[k] == '/' && is_word_char(t[k + 1]) &&
          second != std::string_view::npos && second + 1 < t.size() &&
          t.find(' ', k) == std::string_view::npos) {
        out.push_back(
            Hit{AttackClass::kPathTraversal, 6, kLikely, r, t.size(), "redirection to a file"});
      }
    }
    // A database dump named as a value ("backup.sql.zip") is a download of the database.
    if (!s.is_name && t.size() < 128 && t.find(' ') == std::string_view::npos) {
      for (std::string_view ext : {".sql", ".sql.gz", ".sql.zip", ".sql.bz2", ".sql.xz"}) {
        if (t.size() > ext.size() && t.substr(t.size() - ext.size()) == ext) {
          out.push_back(
              Hit{AttackClass::kPathTraversal, 5, kLikely, 0, t.size(), "database dump file"});
          break;
        }
      }
    }
  }
  size_t file_url = t.find("file:/");
  if (file_url != std::string_view::npos && (file_url == 0 || !is_word_char(t[file_url - 1]))) {
    out.push_back(Hit{AttackClass::kPathTraversal, 8, kCertain, 0, t.size(), "file URL"});
  }
}

}  // namespace rampart::waf
