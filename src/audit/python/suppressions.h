#pragma once
// In-source suppressions: `# nosec` (bandit's, honoured and reported as such; a list of test ids
// after it is accepted and ignored) and `# rampart: ignore` or `# rampart: ignore[RA001, RA012]`.
// In templates, the same words inside {# ... #} or <!-- ... --> comments count.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "audit/report/finding.h"

namespace rampart::audit::python {

class Suppressions {
 public:
  // Reads one comment's text found on `line`.
  void add_comment(uint32_t line, std::string_view comment);
  // The suppression for a finding of `rule` spanning lines [first, last].
  Suppression lookup(std::string_view rule, uint32_t first, uint32_t last) const;

 private:
  struct Directive {
    bool nosec = false;
    bool ignore_all = false;
    std::vector<std::string> codes;
  };
  std::map<uint32_t, Directive> lines_;
};

}  // namespace rampart::audit::python
