#pragma once
// Matching dependencies against advisories, as the OSV schema defines "affected": a version is
// affected when an explicit `versions` entry equals it, or when an ECOSYSTEM range's events
// (sorted by version) leave it inside: at or after an `introduced`, before the next `fixed`,
// at or before a `last_affected`, and below a `limit` when the range has one.
//
// A pinned dependency is checked at its version. A range (an unpinned requirement) is checked
// for overlap with the affected ranges: the finding then says which part of the range is still
// vulnerable. Versions that are not PEP 440 are compared by the legacy fallback of version.h,
// and the finding says so.

#include <optional>
#include <string>
#include <vector>

#include "audit/deps/advisory.h"
#include "audit/deps/cvss.h"
#include "audit/deps/database.h"
#include "audit/deps/inventory.h"
#include "audit/deps/version.h"
#include "common/status.h"

namespace rampart::audit::deps {

struct Finding {
  Dependency dep;
  std::string id;
  std::vector<std::string> aliases;
  std::string summary;
  std::vector<std::string> references;
  Severity severity = Severity::kUnknown;
  std::optional<double> score;  // CVSS v3 base score, when the advisory has a vector
  std::string cvss_vector;
  // The smallest fixed version above the one in use that this advisory does not affect
  // ("" when the advisory names no fix).
  std::string fix_version;
  // Whether fix_version is also free of the package's other advisories.
  bool fix_clears_all = false;
  // The smallest fixed version free of every advisory of the package ("" when none is).
  std::string package_fix;
  bool unpinned = false;
  std::string vulnerable_range;  // for ranges: the part of the range that is affected
  bool legacy_comparison = false;
  std::string ignored_reason;  // set when an ignore entry applies
};

// True when `pkg` (the affected entry of one package) covers version `v`. `legacy` is set when
// a non-PEP 440 version took part in a comparison.
bool is_affected(const AffectedPackage& pkg, const Version& v, bool* legacy = nullptr);

// The findings for one dependency against its package's advisories.
std::vector<Finding> match_dependency(const Dependency& dep,
                                      const std::vector<Advisory>& advisories);

// Every dependency of the inventory against the database.
StatusOr<std::vector<Finding>> match_inventory(const Inventory& inv, const AdvisoryDatabase& db);

}  // namespace rampart::audit::deps
