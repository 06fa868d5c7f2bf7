#include <nlohmann/json.hpp>

#include "audit/deps/lockfiles.h"
#include "audit/deps/name.h"
#include "audit/deps/specifier.h"

namespace rampart::audit::deps {

namespace {

// The line of the first `"key":` at or after line `from` (1-based), for locating entries in the
// JSON text (nlohmann keeps no positions).
int line_of_key(std::string_view text, const std::string& key, int from) {
  std::string needle = "\"" + key + "\"";
  int line = 1;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    if (line >= from) {
      std::string_view l = text.substr(pos, nl - pos);
      size_t at = l.find(needle);
      if (at != std::string_view::npos && l.find(':', at + needle.size()) != std::string_view::npos)
        return line;
    }
    pos = nl + 1;
    ++line;
  }
  return 0;
}

}  // namespace

Status read_pipfile_lock(std::string_view text, const std::string& path,
                         const MarkerEnvironment& env, Inventory* out) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for huge numbers
    return Status::error(path + ": not valid JSON: " + e.what());
  }
  if (!doc.is_object()) return Status::error(path + ": a Pipfile.lock must be a JSON object");
  out->files.push_back(path);
  for (const char* section : {"default", "develop"}) {
    auto it = doc.find(section);
    if (it == doc.end()) continue;
    if (!it->is_object()) return Status::error(path + ": \"" + section + "\" must be an object");
    int section_line = line_of_key(text, section, 1);
    for (const auto& [name, entry] : it->items()) {
      int line = line_of_key(text, name, section_line);
      Location where{path, line, line};
      if (!entry.is_object()) {
        return Status::error(path + ":" + std::to_string(line) + ": " + section + "." + name +
                             " must be an object");
      }
      if (entry.contains("marker") || entry.contains("markers")) {
        auto m = entry.value("markers", entry.value("marker", nlohmann::json("")));
        if (m.is_string() && !m.get<std::string>().empty()) {
          auto holds = evaluate_marker(m.get<std::string>(), env);
          if (!holds.ok())
            return Status::error(path + ":" + std::to_string(line) + ": " +
                                 holds.status().message());
          if (!*holds) continue;
        }
      }
      for (const char* vcs : {"git", "hg", "svn", "bzr", "path", "file"}) {
        if (entry.contains(vcs)) {
          std::string what =
              entry[vcs].is_string() ? entry[vcs].get<std::string>() : std::string(vcs);
          std::string reason = std::string(vcs) == "path" || std::string(vcs) == "file"
                                   ? "a local path or URL: its version is not known"
                                   : "a VCS reference: its version is not known";
          out->not_auditable.push_back({name, name + " (" + what + ")", reason, where});
          goto next_entry;
        }
      }
      {
        auto v = entry.find("version");
        if (v == entry.end() || !v->is_string()) {
          out->not_auditable.push_back({name, name, "no version in the lockfile", where});
          continue;
        }
        std::string spec = v->get<std::string>();
        auto set = SpecifierSet::parse(spec);
        if (!set.ok())
          return Status::error(path + ":" + std::to_string(line) + ": " + name + ": " +
                               set.status().message());
        Dependency d;
        d.name = name;
        d.key = normalize_name(name);
        d.version = set->pinned_version().value_or("");
        d.specifier = d.version.empty() ? spec : "";
        if (auto h = entry.find("hashes"); h != entry.end() && h->is_array()) {
          for (const auto& x : *h) {
            if (x.is_string()) d.hashes.push_back(x.get<std::string>());
          }
        }
        d.where = where;
        d.source = "Pipfile.lock";
        out->deps.push_back(std::move(d));
      }
    next_entry:;
    }
  }
  return Status();
}

}  // namespace rampart::audit::deps
