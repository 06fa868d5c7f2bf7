#pragma once
// Everything one `rampart audit deps` run found, as the report writers take it.

#include <string>
#include <vector>

#include "audit/deps/database.h"
#include "audit/deps/inventory.h"
#include "audit/deps/matcher.h"

namespace rampart::audit::deps {

struct AuditResult {
  Inventory inventory;
  std::vector<Finding> findings;  // ignored ones included, with ignored_reason set
  std::vector<std::string> warnings;
  DatabaseInfo database;
  std::string python_version;
};

// The renderings. `colour` adds ANSI colours to the table (for a terminal).
std::string render_table(const AuditResult& r, bool colour);
std::string render_json(const AuditResult& r);
// SARIF 2.1.0 for code scanning: one result per finding, located at the lockfile line, with
// paths relative to `base_dir` when they are below it.
std::string render_sarif(const AuditResult& r, const std::string& base_dir);
// A CycloneDX 1.5 JSON SBOM: every dependency with a version as a component, and the findings
// as vulnerabilities. `serial` is the urn:uuid and `timestamp` the ISO 8601 time of the BOM.
std::string render_cyclonedx(const AuditResult& r, const std::string& serial,
                             const std::string& timestamp);

// The purl of a dependency ("pkg:pypi/django@3.2.0").
std::string purl_of(const Dependency& d);
// A short "where": "requirements.txt:12".
std::string location_text(const Location& l);

}  // namespace rampart::audit::deps
