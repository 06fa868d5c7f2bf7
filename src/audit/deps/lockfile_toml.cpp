// The TOML lockfiles and pyproject.toml, read with toml++ (Debian's libtomlplusplus).
#include <toml++/toml.h>

#include <sstream>

#include "audit/deps/lockfiles.h"
#include "audit/deps/name.h"
#include "audit/deps/requirement.h"

namespace rampart::audit::deps {

namespace {

StatusOr<toml::table> parse_toml(std::string_view text, const std::string& path) {
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return Status::error(path + ":" + std::to_string(e.source().begin.line) +
                         ": not valid TOML: " + std::string(e.description()));
  }
}

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

std::string at(const std::string& path, int line) { return path + ":" + std::to_string(line); }

// [[package]] arrays of poetry.lock and uv.lock; [[packages]] of pylock.toml.
StatusOr<const toml::array*> package_array(const toml::table& doc, const char* key,
                                           const std::string& path) {
  const toml::node* n = doc.get(key);
  if (n == nullptr) return static_cast<const toml::array*>(nullptr);
  const toml::array* arr = n->as_array();
  if (arr == nullptr)
    return Status::error(at(path, line_of(*n)) + ": '" + key + "' must be an array of tables");
  return arr;
}

Status add_pinned(const toml::table& pkg, const std::string& path, const std::string& source,
                  const MarkerEnvironment& env, const char* marker_key, Inventory* out) {
  int line = line_of(pkg);
  auto name = pkg["name"].value<std::string>();
  if (!name || name->empty())
    return Status::error(at(path, line) + ": a package entry has no 'name'");
  if (const toml::node* n = pkg.get("name")) line = line_of(*n);
  if (marker_key) {
    if (auto m = pkg[marker_key].value<std::string>(); m && !m->empty()) {
      auto holds = evaluate_marker(*m, env);
      if (!holds.ok()) return Status::error(at(path, line) + ": " + holds.status().message());
      if (!*holds) return Status();
    }
  }
  Location where{path, line, line};
  auto version = pkg["version"].value<std::string>();
  if (!version || version->empty()) {
    out->not_auditable.push_back({*name, *name, "no version in the lockfile", where});
    return Status();
  }
  Dependency d;
  d.name = *name;
  d.key = normalize_name(*name);
  d.version = *version;
  d.where = where;
  d.source = source;
  out->deps.push_back(std::move(d));
  return Status();
}

}  // namespace

Status read_poetry_lock(std::string_view text, const std::string& path,
                        const MarkerEnvironment& env, Inventory* out) {
  auto doc = parse_toml(text, path);
  if (!doc.ok()) return doc.status();
  auto arr = package_array(*doc, "package", path);
  if (!arr.ok()) return arr.status();
  out->files.push_back(path);
  if (*arr == nullptr) return Status();
  for (const auto& node : **arr) {
    const toml::table* pkg = node.as_table();
    if (pkg == nullptr)
      return Status::error(at(path, line_of(node)) + ": a [[package]] entry must be a table");
    if (const toml::table* src = (*pkg)["source"].as_table()) {
      std::string type = (*src)["type"].value_or(std::string());
      if (type == "git" || type == "directory" || type == "file" || type == "url") {
        std::string name = (*pkg)["name"].value_or(std::string("?"));
        std::string url = (*src)["url"].value_or(std::string());
        out->not_auditable.push_back(
            {name,
             name + " (" + type + " " + url + ")",
             type == "git" ? "a VCS reference: its version is not the published one"
                           : "a local path or URL: its version is not the published one",
             {path, line_of(*pkg), line_of(*pkg)}});
        continue;
      }
    }
    Status st = add_pinned(*pkg, path, "poetry.lock", env, nullptr, out);
    if (!st.ok()) return st;
  }
  return Status();
}

Status read_uv_lock(std::string_view text, const std::string& path, const MarkerEnvironment& env,
                    Inventory* out) {
  auto doc = parse_toml(text, path);
  if (!doc.ok()) return doc.status();
  auto arr = package_array(*doc, "package", path);
  if (!arr.ok()) return arr.status();
  out->files.push_back(path);
  if (*arr == nullptr) return Status();
  for (const auto& node : **arr) {
    const toml::table* pkg = node.as_table();
    if (pkg == nullptr)
      return Status::error(at(path, line_of(node)) + ": a [[package]] entry must be a table");
    if (const toml::table* src = (*pkg)["source"].as_table()) {
      if (!src->contains("registry")) {
        std::string name = (*pkg)["name"].value_or(std::string("?"));
        std::string kind = src->empty() ? "unknown" : std::string(src->begin()->first.str());
        std::string reason =
            kind == "editable" || kind == "virtual"
                ? "the project itself (" + kind + "): not from an index"
                : (kind == "git" ? "a VCS reference: its version is not the published one"
                                 : "a local path or URL: its version is not the published one");
        out->not_auditable.push_back(
            {name, name + " (" + kind + ")", reason, {path, line_of(*pkg), line_of(*pkg)}});
        continue;
      }
    }
    Status st = add_pinned(*pkg, path, "uv.lock", env, nullptr, out);
    if (!st.ok()) return st;
  }
  return Status();
}

Status read_pylock(std::string_view text, const std::string& path, const MarkerEnvironment& env,
                   Inventory* out) {
  auto doc = parse_toml(text, path);
  if (!doc.ok()) return doc.status();
  if (!doc->contains("lock-version"))
    return Status::error(path + ": not a pylock.toml (no 'lock-version')");
  auto arr = package_array(*doc, "packages", path);
  if (!arr.ok()) return arr.status();
  out->files.push_back(path);
  if (*arr == nullptr) return Status();
  for (const auto& node : **arr) {
    const toml::table* pkg = node.as_table();
    if (pkg == nullptr)
      return Status::error(at(path, line_of(node)) + ": a [[packages]] entry must be a table");
    bool vcs = pkg->contains("vcs"), dir = pkg->contains("directory");
    if (vcs || dir) {
      std::string name = (*pkg)["name"].value_or(std::string("?"));
      out->not_auditable.push_back({name,
                                    name + (vcs ? " (vcs)" : " (directory)"),
                                    vcs ? "a VCS reference: its version is not the published one"
                                        : "a local directory: its version is not the published one",
                                    {path, line_of(*pkg), line_of(*pkg)}});
      continue;
    }
    Status st = add_pinned(*pkg, path, "pylock.toml", env, "marker", out);
    if (!st.ok()) return st;
  }
  return Status();
}

Status read_pyproject(std::string_view text, const std::string& path, const MarkerEnvironment& env,
                      Inventory* out) {
  auto doc = parse_toml(text, path);
  if (!doc.ok()) return doc.status();
  out->files.push_back(path);
  auto add = [&](const toml::node& n, const std::string& extra, const std::string& what) -> Status {
    int line = line_of(n);
    auto s = n.value<std::string>();
    if (!s) return Status::error(at(path, line) + ": " + what + ": expected a requirement string");
    auto req = parse_requirement(*s);
    if (!req.ok()) return Status::error(at(path, line) + ": " + req.status().message());
    if (!req->marker.empty()) {
      auto holds = evaluate_marker(req->marker, env, extra);
      if (!holds.ok()) return Status::error(at(path, line) + ": " + holds.status().message());
      if (!*holds) return Status();
    }
    Location where{path, line, line};
    if (!req->url.empty()) {
      out->not_auditable.push_back(
          {req->name, *s, "a direct URL reference: its version is not known", where});
      return Status();
    }
    Dependency d;
    d.name = req->name;
    d.key = normalize_name(req->name);
    d.version = req->specifiers.pinned_version().value_or("");
    d.specifier = req->specifier_text;
    d.extras = req->extras;
    d.marker = req->marker;
    d.where = where;
    d.source = "pyproject.toml" + (extra.empty() ? std::string() : " [" + extra + "]");
    out->deps.push_back(std::move(d));
    return Status();
  };
  auto add_list = [&](const toml::node* n, const std::string& extra,
                      const std::string& what) -> Status {
    if (n == nullptr) return Status();
    const toml::array* arr = n->as_array();
    if (arr == nullptr)
      return Status::error(at(path, line_of(*n)) + ": " + what + " must be an array");
    for (const auto& item : *arr) {
      if (item.is_table()) continue;  // {include-group = "..."} in dependency groups
      Status st = add(item, extra, what);
      if (!st.ok()) return st;
    }
    return Status();
  };
  if (const toml::table* project = (*doc)["project"].as_table()) {
    if (Status st = add_list(project->get("dependencies"), "", "project.dependencies"); !st.ok())
      return st;
    if (const toml::node* opt = project->get("optional-dependencies")) {
      const toml::table* groups = opt->as_table();
      if (groups == nullptr)
        return Status::error(at(path, line_of(*opt)) +
                             ": project.optional-dependencies must be a table");
      for (const auto& [group, list] : *groups) {
        std::string g(group.str());
        if (Status st = add_list(&list, normalize_name(g), "project.optional-dependencies." + g);
            !st.ok())
          return st;
      }
    }
  }
  if (const toml::table* groups = (*doc)["dependency-groups"].as_table()) {
    for (const auto& [group, list] : *groups) {
      std::string g(group.str());
      if (Status st = add_list(&list, "", "dependency-groups." + g); !st.ok()) return st;
    }
  }
  return Status();
}

}  // namespace rampart::audit::deps
