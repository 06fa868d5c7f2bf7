#pragma once
// The paranoia level of each OWASP CRS rule, read from the installed rule files (Debian's
// modsecurity-crs, CRS 3.3.4): every rule that CRS files under a paranoia level carries the tag
// 'paranoia-level/N' among the actions that follow its 'id:NNN'. Used by the corpus tests to
// report detection per level of the rule under test; rules new in CRS v4 have no entry.

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace rampart::waf::testing {

// $RAMPART_CRS_RULES, else Debian's folder; empty when absent.
inline std::filesystem::path crs_rules_dir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (const char* env = std::getenv("RAMPART_CRS_RULES"); env && *env) {
    return fs::is_directory(env, ec) ? fs::path(env) : fs::path();
  }
  fs::path debian = "/usr/share/modsecurity-crs/rules";
  return fs::is_directory(debian, ec) ? debian : fs::path();
}

// Rule id -> paranoia level (1-4). Empty when the folder is absent or holds no tagged rule.
inline std::map<int, int> crs_paranoia_levels(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::map<int, int> levels;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return levels;
  const std::string kId = "id:";
  const std::string kTag = "paranoia-level/";
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".conf") continue;
    std::ifstream in(entry.path());
    std::string line;
    int current = 0;  // the id of the rule whose actions are being read
    while (std::getline(in, line)) {
      size_t at = line.find(kId);
      // "id:" starts an action: at the line's start (after blanks or a quote) or after a comma.
      if (at != std::string::npos &&
          (at == 0 || line[at - 1] == ' ' || line[at - 1] == '"' || line[at - 1] == ',') &&
          at + kId.size() < line.size() && std::isdigit(static_cast<unsigned char>(line[at + 3]))) {
        current = std::atoi(line.c_str() + at + kId.size());
      }
      size_t tag = line.find(kTag);
      if (tag != std::string::npos && current != 0 && tag + kTag.size() < line.size()) {
        char level = line[tag + kTag.size()];
        if (level >= '1' && level <= '4') levels[current] = level - '0';
      }
    }
  }
  return levels;
}

// "PL1".."PL4", "unknown" for a rule the installed CRS does not tag (new in v4), or "" when no
// levels were read at all.
inline std::string level_label(const std::map<int, int>& levels, int rule) {
  if (levels.empty()) return "";
  auto it = levels.find(rule);
  return it == levels.end() ? "unknown" : "PL" + std::to_string(it->second);
}

}  // namespace rampart::waf::testing
