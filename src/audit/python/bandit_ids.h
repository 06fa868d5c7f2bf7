#pragma once
// Bandit's test ids and names, mapped to the rampart rules that find the same mistake, so that a
// `# nosec B608` written for bandit mutes rampart's SQL rule on that line and nothing else. The
// table is documented in docs/audit-code-rules.md ("Suppressions").

#include <span>
#include <string_view>

namespace rampart::audit::python {

struct BanditTest {
  std::string_view id;    // "B608"
  std::string_view name;  // "hardcoded_sql_expressions"
  // rampart codes, comma-separated ("RA040,RA041"); empty when rampart has no such rule.
  std::string_view rules;
};

std::span<const BanditTest> bandit_tests();
// The test named by an id ("B608", any case) or a name; nullptr for anything else.
const BanditTest* find_bandit_test(std::string_view id_or_name);

}  // namespace rampart::audit::python
