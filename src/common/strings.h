#pragma once
// Small string helpers shared by every area. ASCII only: HTTP tokens, configuration keys and
// Python identifiers are ASCII; nothing here interprets other bytes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rampart {

constexpr char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }
std::string to_lower(std::string_view s);
// Inline: header lookups call it for every field of every request.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i] && ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}
bool istarts_with(std::string_view s, std::string_view prefix);
std::string_view trim(std::string_view s);  // spaces and tabs at both ends
std::vector<std::string_view> split(std::string_view s, char sep);
// Splits on `sep` and trims each piece; drops empty pieces.
std::vector<std::string_view> split_trimmed(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
// Calls f(piece) for each trimmed, non-empty piece of a comma-separated list, left to right,
// without allocating (split_trimmed's loop, for hot paths).
template <typename F>
void for_each_token(std::string_view s, F&& f, char sep = ',') {
  while (!s.empty()) {
    size_t pos = s.find(sep);
    std::string_view piece = trim(s.substr(0, pos));
    if (!piece.empty()) f(piece);
    if (pos == std::string_view::npos) break;
    s.remove_prefix(pos + 1);
  }
}
std::optional<uint64_t> parse_u64(std::string_view s);  // decimal digits only, no overflow
// Levenshtein distance, for "did you mean" suggestions.
size_t edit_distance(std::string_view a, std::string_view b);
// Quotes a value for an error message: 'abc', with control bytes escaped and long values cut.
std::string quote_for_message(std::string_view s);

}  // namespace rampart
