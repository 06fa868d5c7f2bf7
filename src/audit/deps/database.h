#pragma once
// The advisory database: package name -> advisories, read from an OSV export (osv_source.h).
//
// Reading a full export and parsing every advisory takes far longer than an audit should, so
// the first use of a database builds an index file in the cache folder: the advisories reduced
// to what matching needs, grouped by package, behind a table of byte ranges. Later runs read
// only the table and the slices of the packages asked for. The index records the source's
// path, size and modification time and is rebuilt when any of them changes (or when it is
// damaged). Withdrawn advisories are left out of the index and counted.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "audit/deps/advisory.h"
#include "common/status.h"

namespace rampart::audit::deps {

struct DatabaseInfo {
  std::string source;
  size_t advisories = 0;
  size_t withdrawn = 0;
  size_t packages = 0;
  bool index_built = false;  // this run built the index (cold) rather than reading it (warm)
  std::string index_path;    // "" when the index could not be written (kept in memory)
};

class AdvisoryDatabase {
 public:
  // `cache_dir` holds the index; when it cannot be written the index is built in memory and
  // a warning is given through `warning` (which may be null).
  static StatusOr<AdvisoryDatabase> open(const std::string& source, const std::string& cache_dir,
                                         std::string* warning = nullptr);
  // Built from advisories already in memory (tests).
  static AdvisoryDatabase from_advisories(std::vector<Advisory> advisories);

  // The advisories that name `key` (a PEP 503 name), withdrawn ones excluded.
  StatusOr<std::vector<Advisory>> for_package(std::string_view key) const;
  const DatabaseInfo& info() const { return info_; }

 private:
  DatabaseInfo info_;
  std::shared_ptr<const std::string> blob_;  // index data section
  std::map<std::string, std::pair<size_t, size_t>, std::less<>> table_;
};

// $XDG_CACHE_HOME/rampart, or ~/.cache/rampart.
std::string default_cache_dir();

}  // namespace rampart::audit::deps
