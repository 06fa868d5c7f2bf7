#pragma once
// --update-db: downloads the OSV export for PyPI with libcurl into the cache folder. The ETag and
// Last-Modified of the last download are kept beside it and sent back (If-None-Match,
// If-Modified-Since), so that an unchanged database is not downloaded again (HTTP 304). A
// download is written to a temporary file and replaces the database only when it is complete
// and a readable zip archive: a truncated or failed download leaves the old one in place.

#include <string>

#include "common/status.h"

namespace rampart::audit::deps {

inline constexpr const char* kOsvPypiUrl =
    "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip";

struct DownloadOutcome {
  bool updated = false;  // false: the server said 304 Not Modified
  std::string path;      // the database file
  size_t bytes = 0;
};

// The database file inside `cache_dir` (cache_dir/osv/PyPI-all.zip).
std::string database_path(const std::string& cache_dir);

StatusOr<DownloadOutcome> update_database(const std::string& url, const std::string& cache_dir);

}  // namespace rampart::audit::deps
