#include "audit/python/suppressions.h"

#include <cctype>

#include "audit/python/bandit_ids.h"
#include "common/strings.h"

namespace rampart::audit::python {

namespace {

// Where a `nosec` starts a comment (after `#`, `{#` or `<!--` and blanks): the offset just
// past the word, or npos.
size_t nosec_at(std::string_view c) {
  for (size_t p = 0; p < c.size(); ++p) {
    size_t start;
    if (c[p] == '#')
      start = p + 1;
    else if (c.substr(p, 4) == "<!--")
      start = p + 4;
    else
      continue;
    while (start < c.size() && (c[start] == ' ' || c[start] == '\t')) ++start;
    if (c.substr(start, 5) != "nosec") continue;
    size_t end = start + 5;
    if (end < c.size() && (std::isalnum(static_cast<unsigned char>(c[end])) || c[end] == '_'))
      continue;
    return end;
  }
  return std::string_view::npos;
}

}  // namespace

void Suppressions::add_comment(uint32_t line, std::string_view c) {
  Directive d;
  if (size_t after = nosec_at(c); after != std::string_view::npos) {
    // The tests listed after it, up to the next comment marker: "B608, B201" or "B608 B201".
    std::string_view rest = c.substr(after);
    if (!rest.empty() && rest[0] == ':') rest.remove_prefix(1);
    rest = rest.substr(0, rest.find('#'));
    bool any_test = false;
    size_t i = 0;
    while (i < rest.size()) {
      while (i < rest.size() &&
             (rest[i] == ',' || std::isspace(static_cast<unsigned char>(rest[i]))))
        ++i;
      size_t j = i;
      while (j < rest.size() && rest[j] != ',' &&
             !std::isspace(static_cast<unsigned char>(rest[j])))
        ++j;
      if (j > i) {
        if (const BanditTest* t = find_bandit_test(rest.substr(i, j - i))) {
          any_test = true;
          for (auto code : split_trimmed(t->rules, ',')) d.nosec_codes.emplace_back(code);
        }
      }
      i = j;
    }
    // Bandit ids name what is muted; words that are not ids (a reason) leave it bare.
    d.nosec_all = !any_test;
  }
  size_t p = c.find("rampart:");
  if (p != std::string_view::npos) {
    std::string_view rest = trim(c.substr(p + 8));
    if (rest.substr(0, 6) == "ignore") {
      rest = rest.substr(6);
      if (!rest.empty() && rest[0] == '[') {
        size_t close = rest.find(']');
        for (auto code :
             split_trimmed(rest.substr(1, close == std::string_view::npos ? std::string_view::npos
                                                                          : close - 1),
                           ',')) {
          d.codes.emplace_back(code);
        }
        if (d.codes.empty()) d.ignore_all = true;
      } else {
        d.ignore_all = true;
      }
    }
  }
  if (!d.nosec_all && d.nosec_codes.empty() && !d.ignore_all && d.codes.empty()) {
    // `# nosec B101`: understood, and mutes no rampart rule.
    return;
  }
  Directive& into = lines_[line];
  into.nosec_all = into.nosec_all || d.nosec_all;
  into.nosec_codes.insert(into.nosec_codes.end(), d.nosec_codes.begin(), d.nosec_codes.end());
  into.ignore_all = into.ignore_all || d.ignore_all;
  into.codes.insert(into.codes.end(), d.codes.begin(), d.codes.end());
}

Suppression Suppressions::lookup(std::string_view rule, uint32_t first, uint32_t last) const {
  Suppression result = Suppression::kNone;
  for (uint32_t line : {first, last}) {
    auto it = lines_.find(line);
    if (it == lines_.end()) continue;
    const Directive& d = it->second;
    if (d.ignore_all) return Suppression::kIgnoreComment;
    for (const auto& c : d.codes) {
      if (c == rule) return Suppression::kIgnoreComment;
    }
    if (d.nosec_all) result = Suppression::kNosec;
    for (const auto& c : d.nosec_codes) {
      if (c == rule) result = Suppression::kNosec;
    }
  }
  return result;
}

}  // namespace rampart::audit::python
