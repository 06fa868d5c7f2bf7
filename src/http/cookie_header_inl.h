#pragma once
#include "common/strings.h"

namespace rampart::http {

template <typename Pred>
size_t remove_cookies(Headers& headers, Pred pred) {
  size_t removed = 0;
  std::vector<size_t> emptied;
  for (size_t i = 0; i < headers.size(); ++i) {
    FieldView f = headers.at(i);
    if (!iequals(f.name, "cookie")) continue;
    auto pairs = parse_cookie_header(f.value, SIZE_MAX);
    size_t before = pairs.size();
    std::erase_if(pairs, [&](const CookiePair& p) { return pred(p.name, p.value); });
    if (pairs.size() == before) continue;
    removed += before - pairs.size();
    // serialize first: the views point into the field about to be replaced.
    std::string rebuilt = serialize_cookie_header(pairs);
    headers.set_value(i, rebuilt);
    if (rebuilt.empty()) emptied.push_back(i);
  }
  if (!emptied.empty()) {
    size_t index = 0;
    size_t next = 0;
    headers.remove_if([&](FieldView) {
      bool drop = next < emptied.size() && emptied[next] == index;
      if (drop) ++next;
      ++index;
      return drop;
    });
  }
  return removed;
}

}  // namespace rampart::http
