// PHP injection: opening tags, calls of the functions that run code or commands (also when the
// name is assembled from strings: ("sys"."tem")("id")), stream wrappers, superglobals, serialized
// objects, and uploads of PHP files.

#include <algorithm>
#include <string>

#include "waf/detect/detector.h"

namespace rampart::waf {
namespace {

// Function names that are ordinary words too: they need code-shaped arguments.
constexpr std::string_view kWordlike[] = {
    "file",    "copy",    "mail",    "header",  "glob",    "extract",    "rename",
    "mkdir",   "rmdir",   "chmod",   "chown",   "print_r", "usort",      "serialize",
    "require", "include", "dl",      "symlink", "getenv",  "chdir",      "readdir",
    "fread",   "exec",    "system",  "assert",  "eval",    "touch",      "pack",
    "unpack",  "explode", "implode", "crypt",   "ord",     "levenshtein"};

// Functions that only read a file's times, size or type ("filemtime($f)", "is_link($p)"): no
// code runs and nothing of the content, owner or permissions leaks, so a call of one counts only
// where code surrounds it (after ';', '=', '(', a comment), not as a whole value.
constexpr std::string_view kMetadataOnly[] = {
    "fileatime", "filectime",       "filemtime",        "fileinode",
    "filesize",  "filetype",        "is_executable",    "is_link",
    "linkinfo",  "disk_free_space", "disk_total_space", "diskfreespace"};

// PHP functions whose names other languages share (C's printf, JavaScript's substr, Python's
// range and chr, md5 and crc32 in every hashing library): a code snippet in a comment calls
// them. Alone they do no harm; they count as PHP only with a PHP variable or a nested call in
// the arguments, or chained after code ("chr(115).chr(121)").
constexpr std::string_view kShared[] = {
    "range",    "printf",   "sprintf", "vsprintf", "fprintf", "vprintf", "vfprintf",
    "sscanf",   "fscanf",   "substr",  "md5",      "sha1",    "crc32",   "chr",
    "ord",      "time",     "date",    "sort",     "intval",  "iconv",   "strcmp",
    "strncmp",  "fgets",    "fgetc",   "fclose",   "ltrim",   "rtrim",   "realpath",
    "readlink", "strstr",   "strpos",  "hexdec",   "dechex",  "bin2hex", "uniqid",
    "wordwrap", "filesize", "getcwd",  "tmpfile",  "lstat",   "soundex", "strrev",
    "ucfirst",  "ucwords",  "gettype", "decbin",   "bindec",  "octdec",  "decoct"};

constexpr std::string_view kWrappers[] = {
    "php://",           "phar://",           "zlib://", "glob://", "expect://", "data://",
    "compress.zlib://", "compress.bzip2://", "ogg://",  "rar://",  "ssh2.",     "zip://"};

constexpr std::string_view kSuperglobals[] = {
    "$_get",   "$_post",    "$_cookie", "$_request",           "$_server", "$_env",
    "$_files", "$_session", "$globals", "$http_raw_post_data", "$http_"};

bool php_filename(std::string_view v) {
  // "shell.php", "x.php5", "a.phtml", "b.php.", "c.php " (trailing dots and spaces are
  // dropped by some file systems).
  while (!v.empty() && (v.back() == '.' || v.back() == ' ')) v.remove_suffix(1);
  size_t dot = v.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string_view ext = v.substr(dot + 1);
  while (!ext.empty() && ext.front() == ' ') ext.remove_prefix(1);
  // php, php5, php907, phtml, pht, phar, phps, phpt: what PHP handlers are mapped to.
  if (ext == "phtml" || ext == "pht" || ext == "phar" || ext == "phps" || ext == "phpt")
    return true;
  if (ext.substr(0, 3) != "php") return false;
  for (char c : ext.substr(3)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "x.php .jpg", "a.phar.png": servers that map handlers by any extension of the name run a
// PHP extension that is not the last.
bool php_inner_extension(std::string_view v) {
  size_t dot = v.find('.');
  while (dot != std::string_view::npos) {
    size_t next = v.find('.', dot + 1);
    if (next == std::string_view::npos) break;
    std::string_view seg = v.substr(dot, next - dot);
    while (!seg.empty() && seg.back() == ' ') seg.remove_suffix(1);
    if (php_filename(seg)) return true;
    dot = next;
  }
  return false;
}

// Index after the '(' of a call whose name ends at `end` (spaces, comments and a closing quote
// or parenthesis of an assembled name allowed between).
size_t call_paren(std::string_view t, size_t end, bool* wrapped = nullptr,
                  bool* commented = nullptr) {
  size_t k = end;
  if (wrapped) *wrapped = false;
  if (commented) *commented = false;
  while (k < t.size()) {
    if (t[k] == ' ' || t[k] == '\t' || t[k] == '\n' || t[k] == '\r' || t[k] == '\v') {
      ++k;
    } else if (t.compare(k, 2, "/*") == 0) {
      size_t e = t.find("*/", k + 2);
      if (e == std::string_view::npos) return 0;
      k = e + 2;
      if (commented) *commented = true;
    } else if (t[k] == '#' || t.compare(k, 2, "//") == 0) {
      size_t e = t.find('\n', k);
      if (e == std::string_view::npos) return 0;
      k = e + 1;
      if (commented) *commented = true;
    } else if (t[k] == ')' || t[k] == ']') {
      ++k;  // "(system)(ls)", "[system][0](ls)": a name in an expression that is then called
      if (wrapped) *wrapped = true;
    } else if (t[k] == '[') {
      // An index: "[0]", "[ 0 ]".
      size_t e = k + 1;
      size_t digits = 0;
      while (e < t.size() && (t[e] == ' ' || (t[e] >= '0' && t[e] <= '9'))) digits += t[e++] != ' ';
      if (digits == 0 || e >= t.size() || t[e] != ']') return 0;
      k = e + 1;
    } else {
      break;
    }
  }
  return k < t.size() && t[k] == '(' ? k + 1 : 0;
}

// Prefixes of PHP's extension functions ("posix_getpwuid", "pg_query", "sodium_crypto_box"): a
// call of a name with one of them is PHP even when no list names the function.
constexpr std::string_view kExtensionPrefixes[] = {
    "array_",     "str_",         "preg_",   "mb_",        "posix_",     "pcntl_",  "pg_",
    "ldap_",      "odbc_",        "mysqli_", "mysql_",     "sodium_",    "zend_",   "tidy_",
    "date_",      "zlib_",        "curl_",   "openssl_",   "proc_",      "stream_", "socket_",
    "ftp_",       "imap_",        "iconv_",  "libxml_",    "simplexml_", "ob_",     "apache_",
    "ini_",       "func_",        "spl_",    "ctype_",     "gmp_",       "exif_",   "finfo_",
    "gz",         "bz",           "sqlite_", "oci_",       "sqlsrv_",    "xmlrpc_", "iterator_",
    "call_user_", "get_defined_", "debug_",  "highlight_", "php_",       "is_",     "get_"};

bool extension_function(std::string_view name) {
  if (name.size() < 5) return false;
  for (std::string_view prefix : kExtensionPrefixes) {
    if (name.size() > prefix.size() + 2 && name.substr(0, prefix.size()) == prefix) {
      // "is_valid", "get_user" are every language's names: those two prefixes only with a
      // PHP type or registry word after them.
      if (prefix == "is_" || prefix == "get_") {
        std::string_view rest = name.substr(prefix.size());
        return rest == "array" || rest == "callable" || rest == "resource" || rest == "scalar" ||
               rest == "iterable" || rest == "countable" || rest == "object" ||
               rest.substr(0, 8) == "defined_" || rest == "declared_classes" ||
               rest == "loaded_extensions" || rest == "extension_funcs" || rest == "cfg_var";
      }
      return true;
    }
  }
  return false;
}

// php.ini directives an attacker sets through ini_set() or a .user.ini ("allow_url_include=1").
bool is_blank_or_eol(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// What php.ini takes as a setting: a number (with a size suffix), a boolean word or a path.
bool ini_value(std::string_view v) {
  if (v == "true" || v == "false" || v == "on" || v == "off" || v == "yes" || v == "no" ||
      v == "none" || v[0] == '/' || v[0] == '"' || v[0] == '\'')
    return true;
  if (v.back() == 'k' || v.back() == 'm' || v.back() == 'g') v.remove_suffix(1);
  if (!v.empty() && v[0] == '-') v.remove_prefix(1);
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool ini_directive_name(std::string_view d);

// A directive and its value; directives that are English words ("engine", "precision") only
// with a value php.ini would take.
bool ini_directive(std::string_view d, std::string_view value) {
  if (d == "engine" || d == "extension" || d == "precision" || d == "smtp") return ini_value(value);
  return ini_directive_name(d);
}

bool ini_directive_name(std::string_view d) {
  constexpr std::string_view kDirectives[] = {"allow_url_fopen",
                                              "allow_url_include",
                                              "auto_prepend_file",
                                              "auto_append_file",
                                              "disable_functions",
                                              "disable_classes",
                                              "open_basedir",
                                              "engine",
                                              "extension",
                                              "extension_dir",
                                              "precision",
                                              "serialize_precision",
                                              "smtp",
                                              "smtp_port",
                                              "sendmail_path",
                                              "memory_limit",
                                              "max_execution_time",
                                              "max_input_time",
                                              "display_errors",
                                              "display_startup_errors",
                                              "error_reporting",
                                              "log_errors",
                                              "error_log",
                                              "file_uploads",
                                              "upload_tmp_dir",
                                              "upload_max_filesize",
                                              "post_max_size",
                                              "include_path",
                                              "short_open_tag",
                                              "safe_mode",
                                              "register_globals",
                                              "magic_quotes_gpc",
                                              "unserialize_max_depth",
                                              "unserialize_callback_func",
                                              "expose_php",
                                              "output_buffering",
                                              "output_handler",
                                              "variables_order",
                                              "request_order",
                                              "max_input_vars",
                                              "default_charset",
                                              "doc_root",
                                              "user_dir",
                                              "user_ini.filename",
                                              "html_errors",
                                              "docref_root",
                                              "zend_extension",
                                              "enable_dl",
                                              "realpath_cache_size",
                                              "default_socket_timeout",
                                              "auto_detect_line_endings"};
  if (std::find(std::begin(kDirectives), std::end(kDirectives), d) != std::end(kDirectives))
    return true;
  for (std::string_view section :
       {"opcache.", "mbstring.", "session.", "pcre.",      "zend.",    "assert.",
        "phar.",    "xdebug.",   "mysqli.",  "pdo_mysql.", "sqlite3.", "curl.",
        "openssl.", "mail.",     "cgi.",     "fastcgi.",   "date.",    "filter.",
        "iconv.",   "intl.",     "ldap.",    "opcache.jit"}) {
    if (d.size() > section.size() + 2 && d.substr(0, section.size()) == section) return true;
  }
  return false;
}

}  // namespace

void detect_php_injection(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  // Tags, wrappers, superglobals, serialized data and calls all need one of these (file names
  // of uploads are checked below whatever they contain).
  bool file_field = s.name.find("filename") != std::string_view::npos ||
                    s.name.find("file-name") != std::string_view::npos ||
                    s.name.find("file_name") != std::string_view::npos;
  if (!file_field && !s.chars.any("<[{$:(=")) return;
  size_t p;
  bool tags = s.chars.any("<[{");
  // "<?php" opens code only with code after it: the tag alone at the end of a value (a cookie
  // "session=<?php", an argument named "<?php") runs nothing.
  if (tags &&
      (((p = t.find("<?php")) != std::string_view::npos && p + 5 < t.size() &&
        !is_word_char(t[p + 5]) && skip_spaces(t, p + 5) < t.size()) ||
       ((p = t.find("<?=")) != std::string_view::npos && p + 3 < t.size() &&
        (is_word_char(t[p + 3]) || t[p + 3] == '$' || t[p + 3] == ' ' || t[p + 3] == '`')) ||
       (p = t.find("[php]")) != std::string_view::npos ||
       (p = t.find("[/php]")) != std::string_view::npos ||
       (p = t.find("[\\php]")) != std::string_view::npos ||
       (p = t.find("{php}")) != std::string_view::npos)) {
    out.push_back(Hit{AttackClass::kPhpInjection, 10, kCertain, p, t.size(), "php open tag"});
    return;
  }
  if (s.chars.has('<') && (p = t.find("<?")) != std::string_view::npos) {
    size_t k = skip_spaces(t, p + 2);
    // "<? php", "<?\tphp": the tag with blanks inside; "<?xml :echo 1;": an XML declaration
    // that PHP's short tags read as code; "test<?" at the end of a value opens code there.
    bool spaced_php =
        k > p + 2 && t.compare(k, 3, "php") == 0 && (k + 3 >= t.size() || !is_word_char(t[k + 3]));
    size_t x = skip_spaces(t, p + 5);
    bool polyglot = t.compare(p + 2, 3, "xml") == 0 && x < t.size() &&
                    (t[x] == ':' || t[x] == '(' || t[x] == ';' || t[x] == '$');
    bool at_end = p + 2 == t.size() && p > 0;
    if (spaced_php || polyglot || at_end) {
      out.push_back(Hit{AttackClass::kPhpInjection, at_end ? 6 : 9, at_end ? kLikely : kCertain, p,
                        t.size(), "php open tag"});
      return;
    }
  }
  if (s.chars.has('<') && (p = t.find("<?")) != std::string_view::npos && p + 2 < t.size() &&
      (t[p + 2] == ' ' || t[p + 2] == '\n' || t[p + 2] == '\t') && t.substr(0, 6) != "<?xml " &&
      t.find("<?xml") == std::string_view::npos) {
    size_t e = skip_spaces(t, p + 2);
    size_t we = e;
    while (we < t.size() && is_word_char(t[we])) ++we;
    std::string_view word = t.substr(e, we - e);
    bool code = (e < t.size() && t[e] == '$') || word == "echo" || word == "print" ||
                word == "include" || word == "require" || word == "eval" || is_php_function(word);
    if (code) {
      out.push_back(Hit{AttackClass::kPhpInjection, 8, kCertain, p, t.size(), "php open tag"});
      return;
    }
  }
  bool wrappers =
      t.find("://") != std::string_view::npos || t.find("ssh2.") != std::string_view::npos;
  for (std::string_view w : kWrappers) {
    if (!wrappers) break;
    if ((p = t.find(w)) != std::string_view::npos && (p == 0 || !is_word_char(t[p - 1]))) {
      out.push_back(
          Hit{AttackClass::kPhpInjection, 8, kCertain, p, t.size(), "php stream wrapper"});
      return;
    }
  }
  for (std::string_view g : kSuperglobals) {
    if (!s.chars.has('$')) break;
    if ((p = t.find(g)) != std::string_view::npos) {
      out.push_back(Hit{AttackClass::kPhpInjection, 8, kCertain, p, t.size(), "php superglobal"});
      return;
    }
  }
  // Serialized objects: O:8:"stdClass":1:{...}, C:...; arrays with typed members.
  for (size_t i = 0; s.chars.has('"') && i + 4 < t.size(); ++i) {
    if ((t[i] == 'o' || t[i] == 'c') && t[i + 1] == ':' && (i == 0 || !is_word_char(t[i - 1]))) {
      size_t j = i + 2;
      if (j < t.size() && (t[j] == '+' || t[j] == '-')) ++j;
      size_t d = j;
      while (j < t.size() && t[j] >= '0' && t[j] <= '9') ++j;
      if (j > d && j + 1 < t.size() && t[j] == ':' && t[j + 1] == '"') {
        out.push_back(
            Hit{AttackClass::kPhpInjection, 9, kCertain, i, t.size(), "php serialized object"});
        return;
      }
    }
  }
  if (s.is_name == false && (s.part == Part::kBodyMultipart || s.part == Part::kHeader)) {
    // PHP session files ("sess_<id>") overwritten through an upload become sessions.
    size_t base = t.find_last_of("/\\");
    std::string_view file = base == std::string_view::npos ? t : t.substr(base + 1);
    if (file_field && file.substr(0, 5) == "sess_" && file.size() > 10) {
      out.push_back(
          Hit{AttackClass::kPhpInjection, 8, kCertain, 0, t.size(), "php session file upload"});
      return;
    }
    if (file_field && (php_filename(t) || php_inner_extension(t))) {
      out.push_back(Hit{AttackClass::kPhpInjection, 8, kCertain, 0, t.size(), "php file upload"});
      return;
    }
  }
  // Function calls, also with names built from strings: "sys"."tem"(...), (sy.(st).em)(...).
  std::string joined;
  bool assembled = false;
  if (s.chars.any("'\"") && s.chars.has('(')) {
    for (char c : t) {
      if (c == '\'' || c == '"' || c == '.' || c == ' ') {
        assembled = true;
        continue;
      }
      joined.push_back(c);
    }
    // Drop parentheses around assembled name pieces: "(sy(st)em)(" -> "system)(".
  }
  if (s.sigs->has(SigGroup::kPhpFunction)) {
    for (const SigMatch& m : s.sigs->matches) {
      if (m.group != SigGroup::kPhpFunction || !whole_word(t, m.from, m.to)) continue;
      bool wrapped = false, commented = false;
      size_t arg = call_paren(t, m.to, &wrapped, &commented);
      if (!arg) continue;
      std::string_view name = t.substr(m.from, m.to - m.from);
      size_t close = t.find(')', arg);
      std::string_view args =
          t.substr(arg, close == std::string_view::npos ? t.size() - arg : close - arg);
      if (wrapped) {
        // "(system)(ls)" is code; "the (system) (see above)" is prose: the name must open its
        // own bracket and the arguments be one token.
        size_t b = m.from;
        // Blanks and comments before the name: "(/* x */system)(ls)".
        while (b > 0) {
          if (t[b - 1] == ' ') {
            --b;
          } else if (b >= 2 && t[b - 1] == '/' && t[b - 2] == '*') {
            size_t open = t.rfind("/*", b - 2);
            if (open == std::string_view::npos || open + 2 > b - 2) break;
            b = open;
          } else {
            break;
          }
        }
        size_t a0 = args.find_first_not_of(' ');
        size_t a1 = args.find_last_not_of(' ');
        bool one_token = a0 == std::string_view::npos ||
                         args.substr(a0, a1 - a0 + 1).find(' ') == std::string_view::npos;
        if (b == 0 || (t[b - 1] != '(' && t[b - 1] != '[') || !one_token) continue;
      }
      const bool shared =
          std::find(std::begin(kShared), std::end(kShared), name) != std::end(kShared);
      bool code_args = find_any(args, shared ? "$" : "$'\"") != std::string_view::npos ||
                       (!shared && args.find_first_not_of(" \t") == std::string_view::npos) ||
                       args.find('(') != std::string_view::npos;
      bool wordlike = shared || std::find(std::begin(kWordlike), std::end(kWordlike), name) !=
                                    std::end(kWordlike);
      // A comment or a tab between name and parenthesis is code layout, not prose. A '.' before
      // the name is PHP's concatenation only after a value ("'a'.system(", ").chr("); after a
      // word it is another language's method call ("hashlib.md5(", "np.sort(").
      const char before = m.from > 0 ? t[m.from - 1] : '\0';
      const bool method_call = before == '.' && m.from > 1 &&
                               (is_word_char(t[m.from - 2]) || (shared && t[m.from - 2] == '"'));
      bool after_code = (before != '\0' && !method_call &&
                         std::string_view(";=({.@!").find(before) != std::string_view::npos) ||
                        wrapped || commented ||
                        (m.to < t.size() && (t[m.to] == '\t' || t[m.to] == '\v'));
      const bool metadata_only = std::find(std::begin(kMetadataOnly), std::end(kMetadataOnly),
                                           name) != std::end(kMetadataOnly);
      if (metadata_only ? after_code : (!wordlike || code_args || after_code)) {
        out.push_back(Hit{AttackClass::kPhpInjection, wordlike ? 7 : 8,
                          wordlike ? kLikely : kCertain, m.from, t.size(), "php function call"});
        return;
      }
    }
  }
  // "'system'(ls)", "return\"exec\"(x)": PHP 7 calls a string that names a function.
  if (s.chars.any("'\"") && s.chars.has('(')) {
    for (std::string_view f :
         {std::string_view("system"), std::string_view("exec"), std::string_view("passthru"),
          std::string_view("shell_exec"), std::string_view("assert"), std::string_view("popen"),
          std::string_view("proc_open"), std::string_view("pcntl_exec")}) {
      for (size_t q = t.find(f); q != std::string_view::npos; q = t.find(f, q + 1)) {
        size_t e = q + f.size();
        if (q == 0 || e >= t.size() || (t[q - 1] != '\'' && t[q - 1] != '"') || t[e] != t[q - 1])
          continue;
        // At once: 'the word "system" (see below)' is prose.
        if (e + 1 < t.size() && t[e + 1] == '(') {
          out.push_back(Hit{AttackClass::kPhpInjection, 8, kCertain, q - 1, t.size(),
                            "php string called as function"});
          return;
        }
      }
    }
  }
  if (assembled) {
    std::string compact;
    for (char c : joined) {
      if (c != '(' && c != ')')
        compact.push_back(c);
      else if (c == '(' && !compact.empty())
        compact.push_back('(');
    }
    for (std::string_view f :
         {std::string_view("system("), std::string_view("exec("), std::string_view("passthru("),
          std::string_view("shell_exec("), std::string_view("assert("), std::string_view("eval("),
          std::string_view("popen("), std::string_view("proc_open(")}) {
      size_t q = compact.find(f);
      if (q != std::string::npos && (q == 0 || !is_word_char(compact[q - 1]))) {
        out.push_back(
            Hit{AttackClass::kPhpInjection, 8, kCertain, 0, t.size(), "assembled php call"});
        return;
      }
    }
  }
  // "memory_limit = 512M", "opcache.jit=1": the whole value sets a php.ini directive.
  if (s.chars.has('=') && !s.is_name && t.size() < 200) {
    size_t b = skip_spaces(t, 0);
    size_t e = b;
    while (e < t.size() && (is_word_char(t[e]) || t[e] == '.')) ++e;
    size_t eq = skip_spaces(t, e);
    size_t v = skip_spaces(t, eq + 1);
    std::string_view value = t.substr(std::min(v, t.size()));
    while (!value.empty() && is_blank_or_eol(value.back())) value.remove_suffix(1);
    if (e > b && eq < t.size() && t[eq] == '=' && !value.empty() &&
        value.find_first_of(" \t&") == std::string_view::npos &&
        ini_directive(t.substr(b, e - b), value)) {
      out.push_back(
          Hit{AttackClass::kPhpInjection, 6, kLikely, b, t.size(), "php configuration directive"});
      return;
    }
  }
  // Calls of PHP extension functions no list names: "pg_enter_pipeline_mode (".
  if (s.chars.has('(') && s.chars.has('_')) {
    for (size_t q = t.find('('); q != std::string_view::npos; q = t.find('(', q + 1)) {
      size_t e = q;
      while (e > 0 && (t[e - 1] == ' ' || t[e - 1] == '\t')) --e;
      size_t b = e;
      while (b > 0 && is_word_char(t[b - 1])) --b;
      if (b == e || (b > 0 && (t[b - 1] == '.' || t[b - 1] == '>' || t[b - 1] == ':'))) continue;
      // Only the prefix says PHP here, and "pg_dump (postgres)", "sodium_add_to_recipe(foo)"
      // are prose or another language's names: the call must hold code (a variable, a string,
      // a nested call) or nothing ("keygen(", "keygen()").
      size_t close = t.find(')', q);
      std::string_view inside =
          t.substr(q + 1, close == std::string_view::npos ? t.size() - q - 1 : close - q - 1);
      bool code_inside = inside.find_first_not_of(" \t") == std::string_view::npos ||
                         find_any(inside, "$'\"(") != std::string_view::npos;
      if (code_inside && extension_function(t.substr(b, e - b))) {
        out.push_back(
            Hit{AttackClass::kPhpInjection, 7, kLikely, b, t.size(), "php function call"});
        return;
      }
    }
  }
  // Variable functions and variable variables: $f(...), ${'x'}.
  for (size_t i = 0; s.chars.has('$') && i + 2 < t.size(); ++i) {
    if (t[i] != '$') continue;
    size_t j = skip_spaces(t, i + 1);
    size_t inner = j + 1 < t.size() ? skip_spaces(t, j + 1) : t.size();
    if (j < t.size() && t[j] == '{' && inner < t.size() &&
        (t[inner] == '\'' || t[inner] == '"' || t[inner] == '$')) {
      out.push_back(
          Hit{AttackClass::kPhpInjection, 6, kLikely, i, t.size(), "php variable variable"});
      return;
    }
    size_t k = i + 1;
    if (j < t.size() && t[j] == '{') {
      // ${@a}(1), ${$s}['x'](2), "$ {@a}(1)" (PHP reads '$' and '{' as separate tokens, blanks
      // allowed between): a variable named by an expression, then called.
      k = j;
      size_t close = t.find('}', k);
      if (close != std::string_view::npos && close < k + 40) {
        size_t c = close + 1;
        while (c < t.size() && (t[c] == '[' || t[c] == '{')) {
          size_t e = t.find(t[c] == '[' ? ']' : '}', c);
          if (e == std::string_view::npos || e > c + 40) break;
          c = e + 1;
        }
        // With blanks after '$' ("$ {x} (y)" reads as prose too) the call must follow at once.
        bool spaced = j > i + 1;
        if (close > k + 1 && call_paren(t, c) && (!spaced || (c < t.size() && t[c] == '('))) {
          out.push_back(
              Hit{AttackClass::kPhpInjection, 7, kCertain, i, t.size(), "php variable function"});
          return;
        }
      }
      k = i + 1;
    }
    while (k < t.size() && t[k] == '$') ++k;  // $$f: variable variables
    if (k >= t.size() || !(is_word_char(t[k]) && !(t[k] >= '0' && t[k] <= '9'))) continue;
    while (k < t.size() && is_word_char(t[k])) ++k;
    // $f(...), $$f(...), $_[0](...), $__['o'](...)
    // Subscripts, with blanks and comments between them: $_a[5]/*x*/['d'] (...).
    while (k < t.size()) {
      size_t n = k;
      while (n < t.size()) {
        if (t[n] == ' ' || t[n] == '\t' || t[n] == '\n' || t[n] == '\r') {
          ++n;
        } else if (t.compare(n, 2, "/*") == 0 && t.find("*/", n + 2) != std::string_view::npos) {
          n = t.find("*/", n + 2) + 2;
        } else if ((t[n] == '#' || t.compare(n, 2, "//") == 0) &&
                   t.find('\n', n) != std::string_view::npos) {
          n = t.find('\n', n) + 1;
        } else {
          break;
        }
      }
      if (n >= t.size() || (t[n] != '[' && t[n] != '{')) break;
      size_t close = t.find(t[n] == '[' ? ']' : '}', n);
      if (close == std::string_view::npos || close > n + 16 || close == n + 1) break;
      k = close + 1;
    }
    // "$foo->$f()" and "Foo::$f()" call through a variable too.
    bool start = i == 0 || t[i - 1] == ';' || t[i - 1] == ' ' || t[i - 1] == '$' ||
                 t[i - 1] == '@' || t[i - 1] == '(' || t[i - 1] == '=' ||
                 (i > 1 && t[i - 1] == '>' && t[i - 2] == '-') ||
                 (i > 1 && t[i - 1] == ':' && t[i - 2] == ':');
    if (k > i + 1 && call_paren(t, k) && start) {
      out.push_back(
          Hit{AttackClass::kPhpInjection, 7, kCertain, i, t.size(), "php variable function"});
      return;
    }
  }
}

}  // namespace rampart::waf
