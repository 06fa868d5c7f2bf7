#include "audit/deps/database.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "audit/deps/file_text.h"
#include "audit/deps/osv_source.h"

namespace rampart::audit::deps {

namespace {

using nlohmann::json;

constexpr std::string_view kMagic = "rampart-osv-index 1\n";

struct SourceIdentity {
  std::string path;
  uint64_t size = 0;
  int64_t mtime = 0;
};

SourceIdentity identify(const std::string& source) {
  SourceIdentity id;
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(source, ec);
  id.path = ec ? source : canonical.string();
  auto st = std::filesystem::status(source, ec);
  if (std::filesystem::is_directory(st)) {
    // A folder: the newest modification time and the total size of its JSON files.
    for (auto it = std::filesystem::recursive_directory_iterator(source, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      id.size += it->file_size(ec);
      auto t = it->last_write_time(ec).time_since_epoch().count();
      id.mtime = std::max<int64_t>(id.mtime, t);
    }
  } else {
    id.size = std::filesystem::file_size(source, ec);
    id.mtime = std::filesystem::last_write_time(source, ec).time_since_epoch().count();
  }
  return id;
}

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::string default_cache_dir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/rampart";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/rampart";
  return "/tmp/rampart-cache";
}

AdvisoryDatabase AdvisoryDatabase::from_advisories(std::vector<Advisory> advisories) {
  std::map<std::string, json> by_package;
  AdvisoryDatabase db;
  for (const auto& a : advisories) {
    if (!a.withdrawn.empty()) {
      ++db.info_.withdrawn;
      continue;
    }
    ++db.info_.advisories;
    json entry = advisory_to_index(a);
    std::vector<std::string> keys;
    for (const auto& p : a.affected) {
      if (std::find(keys.begin(), keys.end(), p.key) == keys.end()) keys.push_back(p.key);
    }
    for (const auto& k : keys) {
      auto& arr = by_package[k];
      if (arr.is_null()) arr = json::array();
      arr.push_back(entry);
    }
  }
  auto blob = std::make_shared<std::string>();
  for (const auto& [key, arr] : by_package) {
    std::string text = arr.dump(-1, ' ', false, json::error_handler_t::replace);
    db.table_[key] = {blob->size(), text.size()};
    *blob += text;
    *blob += '\n';
  }
  db.blob_ = std::move(blob);
  db.info_.packages = db.table_.size();
  return db;
}

StatusOr<AdvisoryDatabase> AdvisoryDatabase::open(const std::string& source,
                                                  const std::string& cache_dir,
                                                  std::string* warning) {
  SourceIdentity id = identify(source);
  std::string index_path = cache_dir + "/index/osv-" + std::to_string(fnv1a(id.path)) + ".idx";
  json header_want = {{"source", id.path}, {"size", id.size}, {"mtime", id.mtime}};

  // Warm: the index exists and describes this very source.
  if (auto text = read_file_text(index_path, size_t(1) << 31);
      text.ok() && text->starts_with(kMagic)) {
    size_t header_end = text->find('\n', kMagic.size());
    if (header_end != std::string::npos) {
      auto header =
          json::parse(std::string_view(*text).substr(kMagic.size(), header_end - kMagic.size()),
                      nullptr, false);
      if (!header.is_discarded() && header.is_object() &&
          header.value("source", json()) == header_want["source"] &&
          header.value("size", json()) == header_want["size"] &&
          header.value("mtime", json()) == header_want["mtime"] && header.contains("table") &&
          header["table"].is_object()) {
        AdvisoryDatabase db;
        size_t data_start = header_end + 1;
        size_t data_size = text->size() - data_start;
        bool ok = true;
        for (const auto& [key, range] : header["table"].items()) {
          if (!range.is_array() || range.size() != 2 || !range[0].is_number_unsigned() ||
              !range[1].is_number_unsigned()) {
            ok = false;
            break;
          }
          size_t off = range[0].get<size_t>(), len = range[1].get<size_t>();
          if (off > data_size || len > data_size - off) {
            ok = false;
            break;
          }
          db.table_[key] = {data_start + off, len};
        }
        if (ok) {
          db.blob_ = std::make_shared<std::string>(std::move(*text));
          db.info_.source = source;
          db.info_.advisories = header.value("advisories", size_t(0));
          db.info_.withdrawn = header.value("withdrawn", size_t(0));
          db.info_.packages = db.table_.size();
          db.info_.index_path = index_path;
          return db;
        }
      }
    }
  }

  // Cold: read the whole export.
  std::vector<Advisory> advisories;
  Status st = read_osv_source(source, [&](const json& doc, const std::string& where) -> Status {
    auto a = advisory_from_osv(doc, where);
    if (!a.ok()) return a.status();
    if (!a->affected.empty()) advisories.push_back(std::move(*a));
    return Status();
  });
  if (!st.ok()) return st;
  AdvisoryDatabase db = from_advisories(std::move(advisories));
  db.info_.source = source;
  db.info_.index_built = true;

  json header = header_want;
  header["advisories"] = db.info_.advisories;
  header["withdrawn"] = db.info_.withdrawn;
  json table = json::object();
  for (const auto& [key, range] : db.table_) table[key] = {range.first, range.second};
  header["table"] = std::move(table);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(index_path).parent_path(), ec);
  std::string tmp = index_path + ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << kMagic << header.dump(-1, ' ', false, json::error_handler_t::replace) << '\n'
        << *db.blob_;
    out.close();
    if (!out) ec = std::make_error_code(std::errc::io_error);
  }
  if (!ec) std::filesystem::rename(tmp, index_path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    if (warning)
      *warning = "cannot write the advisory index to " + index_path +
                 "; it is kept in memory for this run";
  } else {
    db.info_.index_path = index_path;
  }
  return db;
}

StatusOr<std::vector<Advisory>> AdvisoryDatabase::for_package(std::string_view key) const {
  std::vector<Advisory> out;
  auto it = table_.find(key);
  if (it == table_.end()) return out;
  auto arr = json::parse(std::string_view(*blob_).substr(it->second.first, it->second.second),
                         nullptr, false);
  if (arr.is_discarded() || !arr.is_array()) {
    return Status::error("the advisory index " + info_.index_path +
                         " is damaged; delete it to rebuild it");
  }
  for (const auto& j : arr) {
    auto a = advisory_from_index(j);
    if (!a.ok())
      return Status::error("the advisory index " + info_.index_path + " is damaged (" +
                           a.status().message() + "); delete it to rebuild it");
    out.push_back(std::move(*a));
  }
  return out;
}

}  // namespace rampart::audit::deps
