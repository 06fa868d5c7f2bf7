#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "audit/deps/audit_result.h"
#include "common/version.h"

namespace rampart::audit::deps {

namespace {

using nlohmann::json;

std::string source_name(const std::string& id) {
  if (id.starts_with("GHSA-")) return "GitHub";
  if (id.starts_with("CVE-")) return "NVD";
  if (id.starts_with("PYSEC-")) return "PyPA";
  return "OSV";
}

std::string source_url(const std::string& id) {
  if (id.starts_with("GHSA-")) return "https://github.com/advisories/" + id;
  if (id.starts_with("CVE-")) return "https://nvd.nist.gov/vuln/detail/" + id;
  return "https://osv.dev/vulnerability/" + id;
}

}  // namespace

std::string render_cyclonedx(const AuditResult& r, const std::string& serial,
                             const std::string& timestamp) {
  json components = json::array();
  std::set<std::string> seen;
  for (const auto& d : r.inventory.deps) {
    std::string ref = purl_of(d);
    if (!seen.insert(ref).second) continue;
    json c = {{"type", "library"}, {"bom-ref", ref}, {"name", d.name}, {"purl", ref}};
    if (!d.version.empty()) c["version"] = d.version;
    c["properties"] =
        json::array({{{"name", "rampart:location"}, {"value", location_text(d.where)}}});
    if (d.version.empty() && !d.specifier.empty()) {
      c["properties"].push_back({{"name", "rampart:specifier"}, {"value", d.specifier}});
    }
    components.push_back(std::move(c));
  }
  // One vulnerability per advisory, affecting every component it was found in.
  json vulns = json::array();
  std::map<std::string, size_t> index;
  for (const auto& f : r.findings) {
    std::string ref = purl_of(f.dep);
    auto it = index.find(f.id);
    if (it != index.end()) {
      auto& affects = vulns[it->second]["affects"];
      bool have = false;
      for (const auto& a : affects) have = have || a["ref"] == ref;
      if (!have) affects.push_back({{"ref", ref}});
      continue;
    }
    index[f.id] = vulns.size();
    json v = {{"bom-ref", "vuln:" + f.id},
              {"id", f.id},
              {"source", {{"name", source_name(f.id)}, {"url", source_url(f.id)}}},
              {"description", f.summary},
              {"affects", json::array({{{"ref", ref}}})}};
    json refs = json::array();
    for (const auto& a : f.aliases)
      refs.push_back({{"id", a}, {"source", {{"name", source_name(a)}, {"url", source_url(a)}}}});
    if (!refs.empty()) v["references"] = refs;
    json rating = {
        {"severity", f.severity == Severity::kUnknown ? "unknown" : severity_name(f.severity)}};
    if (f.score) {
      rating["score"] = *f.score;
      rating["method"] = f.cvss_vector.starts_with("CVSS:3.0") ? "CVSSv3" : "CVSSv31";
      rating["vector"] = f.cvss_vector;
    }
    v["ratings"] = json::array({rating});
    if (!f.fix_version.empty())
      v["recommendation"] = "Upgrade " + f.dep.key + " to " + f.fix_version;
    json advisories = json::array();
    for (const auto& u : f.references) advisories.push_back({{"url", u}});
    if (!advisories.empty()) v["advisories"] = advisories;
    if (!f.ignored_reason.empty()) {
      v["analysis"] = {{"state", "not_affected"},
                       {"justification", "requires_environment"},
                       {"detail", f.ignored_reason}};
    }
    vulns.push_back(std::move(v));
  }
  json bom = {
      {"$schema", "http://cyclonedx.org/schema/bom-1.5.schema.json"},
      {"bomFormat", "CycloneDX"},
      {"specVersion", "1.5"},
      {"serialNumber", serial},
      {"version", 1},
      {"metadata",
       {{"timestamp", timestamp},
        {"tools",
         {{"components",
           json::array(
               {{{"type", "application"}, {"name", "rampart"}, {"version", kVersion}}})}}}}},
      {"components", components},
      {"vulnerabilities", vulns}};
  return bom.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace rampart::audit::deps
