#pragma once
#include "common/strings.h"

namespace rampart::http {

template <typename F>
void for_each_cookie(std::string_view header, F&& f) {
  for (std::string_view pair : split_trimmed(header, ';')) {
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    f(trim(pair.substr(0, eq)), trim(pair.substr(eq + 1)));
  }
}

}  // namespace rampart::http
