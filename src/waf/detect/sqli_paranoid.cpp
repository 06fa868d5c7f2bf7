// Paranoid SQL rules (see sqli_paranoid.h). Both need no lexer: they look at the value whole.

#include "waf/detect/sqli_paranoid.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

namespace rampart::waf {
namespace {

// System databases, tables and catalog columns that SQL reconnaissance names, alone: SQL Server
// (tempdb, msdb, sysobjects), Access (msys*), MySQL and the information_schema columns, Oracle,
// PostgreSQL, SQLite, and the sample databases that ship with servers.
constexpr std::string_view kSystemNames[] = {"all_tab_columns",
                                             "all_tables",
                                             "all_users",
                                             "column_name",
                                             "dba_users",
                                             "information_schema",
                                             "msdb",
                                             "msysaccessobjects",
                                             "msysaces",
                                             "msysobjects",
                                             "msysqueries",
                                             "msysrelationships",
                                             "mysql.db",
                                             "mysql.user",
                                             "northwind",
                                             "pg_catalog",
                                             "pg_database",
                                             "pg_shadow",
                                             "pg_tables",
                                             "pg_user",
                                             "schema_name",
                                             "sqlite_master",
                                             "sqlite_schema",
                                             "sqlite_temp_master",
                                             "syscolumns",
                                             "sysdatabases",
                                             "sysobjects",
                                             "sys.objects",
                                             "sys.tables",
                                             "sysusers",
                                             "table_name",
                                             "table_schema",
                                             "tempdb",
                                             "user_tables",
                                             "user_tab_columns",
                                             "v$version"};

// The characters SQL injection syntax is made of (CRS counts nearly the same set for its
// "restricted character" anomaly rules 942430-942432), and below the quote look-alikes some
// collations fold. The double quote is left out: JSON in an argument (["a","b"]) is full of it.
constexpr std::array<bool, 256> kSqlSpecial = [] {
  std::array<bool, 256> table{};
  for (char c : std::string_view("~!@#$%^&*()-+={}[]|:;'`<>"))
    table[static_cast<unsigned char>(c)] = true;
  return table;
}();

std::string_view trimmed(std::string_view v) {
  size_t b = skip_spaces(v, 0);
  size_t e = v.size();
  while (e > b && (v[e - 1] == ' ' || v[e - 1] == '\t' || v[e - 1] == '\r' || v[e - 1] == '\n'))
    --e;
  return v.substr(b, e - b);
}

}  // namespace

void paranoid_sql(const Scan& s, Hits& out) {
  std::string_view v = trimmed(s.lower);
  if (v.size() < 4 || v.size() > 256) return;
  // A name quoted as SQL quotes identifiers: `tempdb`, [msdb], "schema_name".
  std::string_view name = v;
  if (name.size() > 2 &&
      ((name.front() == '`' && name.back() == '`') || (name.front() == '[' && name.back() == ']') ||
       (name.front() == '"' && name.back() == '"'))) {
    name = name.substr(1, name.size() - 2);
  }
  static const std::vector<std::string_view> kSorted = [] {
    std::vector<std::string_view> v(std::begin(kSystemNames), std::end(kSystemNames));
    std::sort(v.begin(), v.end());
    return v;
  }();
  // Every name is one word of [a-z0-9_.$], 4 to 20 bytes, starting with a letter.
  if (name.size() >= 4 && name.size() <= 20 && name[0] >= 'a' && name[0] <= 'z' &&
      name.find(' ') == std::string_view::npos &&
      std::binary_search(kSorted.begin(), kSorted.end(), name)) {
    size_t at = s.lower.find(name);
    out.push_back(Hit{AttackClass::kSqli, 5, kSuspicious, at, at + name.size(), "sql system name"});
    return;
  }
  // Mostly SQL punctuation: at least 6 such characters, and at least half of what is not blank
  // ("(((((())))))", "’ or ’1=1#;--"); multi-byte quote look-alikes count once.
  // (This runs on every value the other SQL rules pass, whatever the sensitivity: values with
  // none of the characters, or with more other characters than half their length, stop early.)
  static const CharMask kSpecials = CharMask::of("~!@#$%^&*()-+={}[]|:;'`<>\xE2");
  if (v.size() < 6 ||
      !((s.chars.bits[0] & kSpecials.bits[0]) | (s.chars.bits[1] & kSpecials.bits[1]) |
        (s.chars.bits[2] & kSpecials.bits[2]) | (s.chars.bits[3] & kSpecials.bits[3])))
    return;
  size_t special = 0, other = 0;
  for (size_t i = 0; i < v.size() && other <= v.size() / 2; ++i) {
    auto c = static_cast<unsigned char>(v[i]);
    if (c == 0xE2 && i + 2 < v.size() && static_cast<unsigned char>(v[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(v[i + 2]) == 0x98 ||
         static_cast<unsigned char>(v[i + 2]) == 0x99)) {
      ++special;
      i += 2;
    } else if (kSqlSpecial[c]) {
      ++special;
    } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      ++other;
    }
  }
  if (special >= 6 && special >= other) {
    size_t at = size_t(v.data() - s.lower.data());
    out.push_back(
        Hit{AttackClass::kSqli, 5, kSuspicious, at, at + v.size(), "sql character anomaly"});
  }
}

}  // namespace rampart::waf
