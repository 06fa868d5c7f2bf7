#pragma once
// One PEP 508 requirement: "name[extra1,extra2] (>=1.0,<2) ; python_version < '3.8'" or
// "name @ https://host/pkg.whl ; marker".

#include <string>
#include <string_view>
#include <vector>

#include "audit/deps/specifier.h"
#include "common/status.h"

namespace rampart::audit::deps {

struct Requirement {
  std::string name;
  std::vector<std::string> extras;
  std::string specifier_text;  // as written, without parentheses
  SpecifierSet specifiers;
  std::string url;  // for "name @ url"
  std::string marker;
};

// An error says what is wrong in words a user can act on (the caller adds file and line).
StatusOr<Requirement> parse_requirement(std::string_view text);

}  // namespace rampart::audit::deps
