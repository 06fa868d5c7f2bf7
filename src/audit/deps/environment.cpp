#include <algorithm>
#include <filesystem>
#include <fstream>

#include "audit/deps/file_text.h"
#include "audit/deps/lockfiles.h"
#include "audit/deps/name.h"
#include "audit/deps/requirements_file.h"
#include "common/strings.h"

namespace rampart::audit::deps {

namespace {

namespace fs = std::filesystem;

// The site-packages folders of a virtualenv, or the folder itself when it holds distributions.
std::vector<fs::path> site_folders(const fs::path& root) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const char* lib : {"lib", "lib64", "Lib"}) {
    fs::path l = root / lib;
    if (!fs::is_directory(l, ec)) continue;
    if (fs::is_directory(l / "site-packages", ec))
      out.push_back(l / "site-packages");  // Windows layout
    for (const auto& e : fs::directory_iterator(l, ec)) {
      if (e.path().filename().string().starts_with("python") &&
          fs::is_directory(e.path() / "site-packages", ec)) {
        out.push_back(e.path() / "site-packages");
      }
    }
  }
  if (out.empty()) out.push_back(root);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end(),
                        [](const fs::path& a, const fs::path& b) {
                          std::error_code e;
                          return fs::equivalent(a, b, e);
                        }),
            out.end());
  return out;
}

}  // namespace

Status read_environment(const std::string& path, Inventory* out) {
  std::error_code ec;
  if (!fs::is_directory(path, ec))
    return Status::error(path + ": not a folder (expected a virtualenv or a site-packages folder)");
  size_t before = out->deps.size();
  for (const auto& site : site_folders(path)) {
    std::vector<fs::path> metas;
    for (const auto& e : fs::directory_iterator(site, ec)) {
      std::string n = e.path().filename().string();
      if (n.ends_with(".dist-info") && fs::is_regular_file(e.path() / "METADATA", ec))
        metas.push_back(e.path() / "METADATA");
      if (n.ends_with(".egg-info") && fs::is_regular_file(e.path() / "PKG-INFO", ec))
        metas.push_back(e.path() / "PKG-INFO");
    }
    std::sort(metas.begin(), metas.end());
    for (const auto& m : metas) {
      auto text = read_file_text(m.string(), 16u << 20);
      if (!text.ok()) return text.status();
      std::string name, version;
      int version_line = 0, lineno = 0;
      for (auto line : split(*text, '\n')) {
        ++lineno;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) break;  // the headers end at the first blank line
        if (name.empty() && istarts_with(line, "Name:")) name = std::string(trim(line.substr(5)));
        if (version.empty() && istarts_with(line, "Version:")) {
          version = std::string(trim(line.substr(8)));
          version_line = lineno;
        }
      }
      if (name.empty() || version.empty()) {
        out->not_auditable.push_back(
            {name, m.string(), "the metadata has no Name or Version", {m.string(), 0, 0}});
        continue;
      }
      Dependency d;
      d.name = name;
      d.key = normalize_name(name);
      d.version = version;
      d.where = {m.string(), version_line, version_line};
      d.source = "environment";
      out->deps.push_back(std::move(d));
    }
    out->files.push_back(site.string());
  }
  if (out->deps.size() == before) {
    return Status::error(path + ": no installed distributions found (no *.dist-info/METADATA)");
  }
  return Status();
}

Status read_dependency_file(const std::string& path, const MarkerEnvironment& env, Inventory* out) {
  std::string base = fs::path(path).filename().string();
  bool toml_or_json = base == "Pipfile.lock" || base == "poetry.lock" || base == "uv.lock" ||
                      base == "pyproject.toml" ||
                      (base.starts_with("pylock.") && base.ends_with(".toml"));
  if (!toml_or_json) {
    bool constraints = base.starts_with("constraints");
    return read_requirements_file(path, env, out, constraints);
  }
  auto text = read_file_text(path);
  if (!text.ok()) return text.status();
  if (base == "Pipfile.lock") return read_pipfile_lock(*text, path, env, out);
  if (base == "poetry.lock") return read_poetry_lock(*text, path, env, out);
  if (base == "uv.lock") return read_uv_lock(*text, path, env, out);
  if (base == "pyproject.toml") return read_pyproject(*text, path, env, out);
  return read_pylock(*text, path, env, out);
}

std::vector<std::string> discover_dependency_files(const std::string& dir) {
  std::vector<std::string> reqs, constraints, others;
  std::error_code ec;
  auto scan = [&](const fs::path& folder, bool any_txt) {
    std::vector<fs::path> entries;
    for (const auto& e : fs::directory_iterator(folder, ec)) {
      if (e.is_regular_file(ec)) entries.push_back(e.path());
    }
    std::sort(entries.begin(), entries.end());
    for (const auto& p : entries) {
      std::string n = p.filename().string();
      if (!n.ends_with(".txt")) continue;
      if (n.starts_with("requirements") || (any_txt && !n.starts_with("constraints")))
        reqs.push_back(p.string());
      if (n.starts_with("constraints")) constraints.push_back(p.string());
    }
  };
  fs::path root(dir);
  scan(root, false);
  if (fs::is_directory(root / "requirements", ec)) scan(root / "requirements", true);
  for (const char* n : {"Pipfile.lock", "poetry.lock", "uv.lock"}) {
    if (fs::is_regular_file(root / n, ec)) others.push_back((root / n).string());
  }
  std::vector<fs::path> pylocks;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    std::string n = e.path().filename().string();
    if (n.starts_with("pylock.") && n.ends_with(".toml") && e.is_regular_file(ec))
      pylocks.push_back(e.path());
  }
  std::sort(pylocks.begin(), pylocks.end());
  for (const auto& p : pylocks) others.push_back(p.string());
  if (fs::is_regular_file(root / "pyproject.toml", ec))
    others.push_back((root / "pyproject.toml").string());
  std::vector<std::string> all = reqs;
  all.insert(all.end(), constraints.begin(), constraints.end());
  all.insert(all.end(), others.begin(), others.end());
  return all;
}

}  // namespace rampart::audit::deps
