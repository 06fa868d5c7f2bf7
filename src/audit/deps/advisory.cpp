#include "audit/deps/advisory.h"

#include "audit/deps/name.h"

namespace rampart::audit::deps {

namespace {

using nlohmann::json;

std::string string_field(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

const json* array_field(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_array()) return nullptr;
  return &*it;
}

constexpr std::pair<const char*, RangeEvent::Kind> kEventKinds[] = {
    {"introduced", RangeEvent::Kind::kIntroduced},
    {"fixed", RangeEvent::Kind::kFixed},
    {"last_affected", RangeEvent::Kind::kLastAffected},
    {"limit", RangeEvent::Kind::kLimit},
};

const char* kind_name(RangeEvent::Kind k) {
  for (const auto& [n, kind] : kEventKinds) {
    if (kind == k) return n;
  }
  return "introduced";
}

}  // namespace

StatusOr<Advisory> advisory_from_osv(const json& doc, const std::string& where) {
  if (!doc.is_object()) return Status::error(where + ": an OSV advisory must be a JSON object");
  Advisory a;
  a.id = string_field(doc, "id");
  if (a.id.empty()) return Status::error(where + ": advisory has no \"id\"");
  a.summary = string_field(doc, "summary");
  if (a.summary.empty()) {
    std::string details = string_field(doc, "details");
    a.summary = details.substr(0, details.find('\n'));
    if (a.summary.size() > 200) {
      size_t cut = 197;  // not inside a UTF-8 sequence
      while (cut > 0 && (static_cast<unsigned char>(a.summary[cut]) & 0xc0) == 0x80) --cut;
      a.summary = a.summary.substr(0, cut) + "...";
    }
  }
  a.modified = string_field(doc, "modified");
  a.published = string_field(doc, "published");
  a.withdrawn = string_field(doc, "withdrawn");
  if (const json* aliases = array_field(doc, "aliases")) {
    for (const auto& x : *aliases) {
      if (x.is_string()) a.aliases.push_back(x.get<std::string>());
    }
  }
  if (const json* sev = array_field(doc, "severity")) {
    for (const auto& s : *sev) {
      if (!s.is_object()) continue;
      std::string type = string_field(s, "type");
      if (type == "CVSS_V3") a.cvss_v3.push_back(string_field(s, "score"));
    }
  }
  if (auto ds = doc.find("database_specific"); ds != doc.end() && ds->is_object()) {
    a.severity_label = string_field(*ds, "severity");
  }
  if (const json* refs = array_field(doc, "references")) {
    std::vector<std::string> advisories, others;
    for (const auto& r : *refs) {
      if (!r.is_object()) continue;
      std::string url = string_field(r, "url");
      if (url.empty()) continue;
      (string_field(r, "type") == "ADVISORY" ? advisories : others).push_back(url);
    }
    a.references = advisories;
    a.references.insert(a.references.end(), others.begin(), others.end());
  }
  const json* affected = array_field(doc, "affected");
  if (affected == nullptr && doc.contains("affected")) {
    return Status::error(where + ": " + a.id + ": \"affected\" must be an array");
  }
  if (affected != nullptr) {
    for (const auto& entry : *affected) {
      if (!entry.is_object())
        return Status::error(where + ": " + a.id + ": an \"affected\" entry must be an object");
      auto pkg = entry.find("package");
      if (pkg == entry.end() || !pkg->is_object()) continue;
      if (string_field(*pkg, "ecosystem") != "PyPI") continue;
      AffectedPackage p;
      p.key = normalize_name(string_field(*pkg, "name"));
      if (p.key.empty()) return Status::error(where + ": " + a.id + ": a PyPI package has no name");
      if (const json* ranges = array_field(entry, "ranges")) {
        for (const auto& r : *ranges) {
          if (!r.is_object())
            return Status::error(where + ": " + a.id + ": a range must be an object");
          std::string type = string_field(r, "type");
          if (type != "ECOSYSTEM" && type != "SEMVER") continue;  // GIT ranges name commits
          const json* events = array_field(r, "events");
          if (events == nullptr)
            return Status::error(where + ": " + a.id + ": a range has no \"events\" array");
          std::vector<RangeEvent> evs;
          for (const auto& e : *events) {
            if (!e.is_object() || e.size() != 1) {
              return Status::error(where + ": " + a.id +
                                   ": a range event must be an object with one key");
            }
            bool known = false;
            for (const auto& [name, kind] : kEventKinds) {
              auto it = e.find(name);
              if (it == e.end()) continue;
              if (!it->is_string())
                return Status::error(where + ": " + a.id + ": event \"" + name +
                                     "\" must be a string");
              evs.push_back({kind, it->get<std::string>()});
              known = true;
            }
            if (!known)
              return Status::error(where + ": " + a.id + ": unknown range event " +
                                   e.begin().key());
          }
          p.ranges.push_back(std::move(evs));
        }
      }
      if (const json* versions = array_field(entry, "versions")) {
        for (const auto& v : *versions) {
          if (v.is_string()) p.versions.push_back(v.get<std::string>());
        }
      }
      a.affected.push_back(std::move(p));
    }
  }
  return a;
}

json advisory_to_index(const Advisory& a) {
  json j = {{"id", a.id},
            {"summary", a.summary},
            {"aliases", a.aliases},
            {"modified", a.modified},
            {"published", a.published},
            {"cvss_v3", a.cvss_v3},
            {"severity", a.severity_label},
            {"references", a.references}};
  if (!a.withdrawn.empty()) j["withdrawn"] = a.withdrawn;
  json affected = json::array();
  for (const auto& p : a.affected) {
    json ranges = json::array();
    for (const auto& r : p.ranges) {
      json events = json::array();
      for (const auto& e : r) events.push_back({{kind_name(e.kind), e.version}});
      ranges.push_back(std::move(events));
    }
    affected.push_back({{"key", p.key}, {"ranges", std::move(ranges)}, {"versions", p.versions}});
  }
  j["affected"] = std::move(affected);
  return j;
}

StatusOr<Advisory> advisory_from_index(const json& j) {
  // The index is rampart's own file; a mismatch means it is damaged, and the caller rebuilds it.
  if (!j.is_object()) return Status::error("index entry is not an object");
  Advisory a;
  try {
    a.id = j.at("id").get<std::string>();
    a.summary = j.at("summary").get<std::string>();
    a.aliases = j.at("aliases").get<std::vector<std::string>>();
    a.modified = j.at("modified").get<std::string>();
    a.published = j.at("published").get<std::string>();
    a.cvss_v3 = j.at("cvss_v3").get<std::vector<std::string>>();
    a.severity_label = j.at("severity").get<std::string>();
    a.references = j.at("references").get<std::vector<std::string>>();
    if (j.contains("withdrawn")) a.withdrawn = j.at("withdrawn").get<std::string>();
    for (const auto& p : j.at("affected")) {
      AffectedPackage ap;
      ap.key = p.at("key").get<std::string>();
      ap.versions = p.at("versions").get<std::vector<std::string>>();
      for (const auto& r : p.at("ranges")) {
        std::vector<RangeEvent> evs;
        for (const auto& e : r) {
          bool known = false;
          for (const auto& [name, kind] : kEventKinds) {
            if (e.contains(name)) {
              evs.push_back({kind, e.at(name).get<std::string>()});
              known = true;
            }
          }
          if (!known) return Status::error("index entry has an unknown event");
        }
        ap.ranges.push_back(std::move(evs));
      }
      a.affected.push_back(std::move(ap));
    }
  } catch (const json::exception& e) {
    return Status::error(std::string("index entry is damaged: ") + e.what());
  }
  return a;
}

}  // namespace rampart::audit::deps
