#include <nlohmann/json.hpp>

#include "audit/deps/audit_result.h"
#include "common/version.h"

namespace rampart::audit::deps {

namespace {

using nlohmann::json;

json finding_json(const Finding& f) {
  json j = {{"package", f.dep.key},
            {"name", f.dep.name},
            {"version", f.dep.version.empty() ? json() : json(f.dep.version)},
            {"specifier", f.dep.specifier},
            {"file", f.dep.where.file},
            {"line", f.dep.where.line},
            {"id", f.id},
            {"aliases", f.aliases},
            {"summary", f.summary},
            {"severity", severity_name(f.severity)},
            {"score", f.score ? json(*f.score) : json()},
            {"cvss_vector", f.cvss_vector.empty() ? json() : json(f.cvss_vector)},
            {"fix_version", f.fix_version.empty() ? json() : json(f.fix_version)},
            {"fix_clears_all", f.fix_clears_all},
            {"package_fix", f.package_fix.empty() ? json() : json(f.package_fix)},
            {"unpinned", f.unpinned},
            {"references", f.references},
            {"legacy_version_comparison", f.legacy_comparison}};
  if (f.unpinned) j["vulnerable_range"] = f.vulnerable_range;
  if (!f.ignored_reason.empty()) j["ignored_reason"] = f.ignored_reason;
  return j;
}

}  // namespace

std::string purl_of(const Dependency& d) {
  return "pkg:pypi/" + d.key + (d.version.empty() ? "" : "@" + d.version);
}

std::string render_json(const AuditResult& r) {
  json deps = json::array();
  for (const auto& d : r.inventory.deps) {
    deps.push_back({{"name", d.name},
                    {"package", d.key},
                    {"version", d.version.empty() ? json() : json(d.version)},
                    {"specifier", d.specifier},
                    {"file", d.where.file},
                    {"line", d.where.line},
                    {"source", d.source}});
  }
  json findings = json::array(), ignored = json::array();
  for (const auto& f : r.findings)
    (f.ignored_reason.empty() ? findings : ignored).push_back(finding_json(f));
  json na = json::array();
  for (const auto& n : r.inventory.not_auditable) {
    na.push_back({{"name", n.name},
                  {"text", n.text},
                  {"reason", n.reason},
                  {"file", n.where.file},
                  {"line", n.where.line}});
  }
  json out = {{"tool", "rampart"},
              {"version", kVersion},
              {"python_version", r.python_version},
              {"database",
               {{"source", r.database.source},
                {"advisories", r.database.advisories},
                {"withdrawn_skipped", r.database.withdrawn},
                {"packages", r.database.packages}}},
              {"files", r.inventory.files},
              {"dependencies", deps},
              {"findings", findings},
              {"ignored", ignored},
              {"not_auditable", na},
              {"warnings", r.warnings}};
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace rampart::audit::deps
