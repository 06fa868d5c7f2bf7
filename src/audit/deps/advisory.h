#pragma once
// An OSV advisory, reduced to what the PyPI audit uses: the PyPI entries of "affected" with
// their ECOSYSTEM ranges and explicit version lists, aliases, severity, references.
// Schema: https://ossf.github.io/osv-schema/

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace rampart::audit::deps {

struct RangeEvent {
  enum class Kind { kIntroduced, kFixed, kLastAffected, kLimit };
  Kind kind;
  std::string version;
};

struct AffectedPackage {
  std::string key;                              // PEP 503 normalized name
  std::vector<std::vector<RangeEvent>> ranges;  // ECOSYSTEM (and SEMVER) ranges only
  std::vector<std::string> versions;
};

struct Advisory {
  std::string id;
  std::string summary;  // "summary", or the first line of "details"
  std::vector<std::string> aliases;
  std::string modified;
  std::string published;
  std::string withdrawn;             // the date, when the advisory was withdrawn
  std::vector<std::string> cvss_v3;  // vectors "CVSS:3.1/AV:N/..."
  std::string severity_label;        // database_specific.severity ("HIGH", "MODERATE"), when given
  std::vector<std::string> references;    // URLs, advisories first
  std::vector<AffectedPackage> affected;  // PyPI entries only
};

// Reads one OSV document. `where` names it in errors ("db.jsonl:12", "all.zip:PYSEC-1.json").
StatusOr<Advisory> advisory_from_osv(const nlohmann::json& doc, const std::string& where);

// The compact form kept in rampart's index, and back.
nlohmann::json advisory_to_index(const Advisory& a);
StatusOr<Advisory> advisory_from_index(const nlohmann::json& j);

}  // namespace rampart::audit::deps
