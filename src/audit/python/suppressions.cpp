#include "audit/python/suppressions.h"

#include "common/strings.h"

namespace rampart::audit::python {

void Suppressions::add_comment(uint32_t line, std::string_view c) {
  Directive d;
  if (c.find("nosec") != std::string_view::npos) d.nosec = true;
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
  if (!d.nosec && !d.ignore_all && d.codes.empty()) return;
  Directive& into = lines_[line];
  into.nosec = into.nosec || d.nosec;
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
    if (d.nosec) result = Suppression::kNosec;
  }
  return result;
}

}  // namespace rampart::audit::python
