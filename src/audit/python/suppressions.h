#pragma once
// In-source suppressions: bandit's `# nosec` and rampart's `# rampart: ignore` or
// `# rampart: ignore[RA001, RA012]`. A bare `# nosec` mutes every rule on its line; `# nosec B608`
// (or `# nosec: B608, B201`, or bandit's test names) mutes only the rampart rules that find what
// those bandit tests find (bandit_ids.h). Both are reported as nosec. In templates, the same words
// inside {# ... #} or <!-- ... --> comments count.

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
    bool nosec_all = false;
    std::vector<std::string> nosec_codes;  // from the bandit ids given
    bool ignore_all = false;
    std::vector<std::string> codes;
  };
  std::map<uint32_t, Directive> lines_;
};

}  // namespace rampart::audit::python
