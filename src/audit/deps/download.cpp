#include "audit/deps/download.h"

#include <curl/curl.h>
#include <unistd.h>
#include <zip.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "audit/deps/file_text.h"
#include "common/strings.h"

namespace rampart::audit::deps {

namespace {

constexpr curl_off_t kMaxDownloadBytes = curl_off_t(2) << 30;

struct Transfer {
  FILE* file = nullptr;
  size_t bytes = 0;
  std::string etag;
  std::string last_modified;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  if (std::fwrite(data, 1, len, t->file) != len) return 0;  // disk full: abort the transfer
  t->bytes += len;
  return len;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string_view name = line.substr(0, colon);
    std::string value(trim(line.substr(colon + 1)));
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    if (iequals(name, "ETag")) t->etag = value;
    if (iequals(name, "Last-Modified")) t->last_modified = value;
  }
  return size * n;
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
};

}  // namespace

std::string database_path(const std::string& cache_dir) { return cache_dir + "/osv/PyPI-all.zip"; }

StatusOr<DownloadOutcome> update_database(const std::string& url, const std::string& cache_dir) {
  static CurlGlobal global;
  namespace fs = std::filesystem;
  DownloadOutcome outcome;
  outcome.path = database_path(cache_dir);
  std::string meta_path = outcome.path + ".meta.json";
  std::error_code ec;
  fs::create_directories(fs::path(outcome.path).parent_path(), ec);
  if (ec)
    return Status::error("cannot create the cache folder " +
                         fs::path(outcome.path).parent_path().string() + ": " + ec.message());

  // The validators of the copy we have, when it is still there and was fetched from this URL.
  std::string etag, last_modified;
  if (fs::is_regular_file(outcome.path, ec)) {
    if (auto meta = read_file_text(meta_path, 1 << 16); meta.ok()) {
      auto j = nlohmann::json::parse(*meta, nullptr, false);
      if (j.is_object() && j.value("url", "") == url) {
        etag = j.value("etag", "");
        last_modified = j.value("last_modified", "");
      }
    }
  }

  std::string tmp = outcome.path + ".part" + std::to_string(getpid());
  Transfer t;
  t.file = std::fopen(tmp.c_str(), "wb");
  if (t.file == nullptr) return Status::error("cannot write " + tmp);
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    std::fclose(t.file);
    std::remove(tmp.c_str());
    return Status::error("cannot start libcurl");
  }
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  if (!etag.empty()) headers = curl_slist_append(headers, ("If-None-Match: " + etag).c_str());
  if (!last_modified.empty())
    headers = curl_slist_append(headers, ("If-Modified-Since: " + last_modified).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);  // under 1 KiB/s for 60 s: give up
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, kMaxDownloadBytes);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "rampart-audit-deps");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  bool write_ok = std::fclose(t.file) == 0;
  auto fail = [&](const std::string& why) -> Status {
    std::remove(tmp.c_str());
    return Status::error("download of " + url + " failed: " + why);
  };
  if (rc != CURLE_OK) {
    std::string why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    if (rc == CURLE_PARTIAL_FILE)
      why = "the transfer was cut short (" + std::to_string(t.bytes) + " bytes received): " + why;
    return fail(why + "; the current database is kept");
  }
  if (!write_ok) return fail("cannot write " + tmp);
  if (status == 304) {
    std::remove(tmp.c_str());
    outcome.updated = false;
    return outcome;
  }
  if (status != 200) return fail("HTTP status " + std::to_string(status));
  int zerr = 0;
  zip_t* za = zip_open(tmp.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
  if (za == nullptr)
    return fail("the file received is not a complete zip archive; the current database is kept");
  zip_discard(za);
  fs::rename(tmp, outcome.path, ec);
  if (ec) return fail("cannot move the download into place: " + ec.message());
  nlohmann::json meta = {{"url", url}, {"etag", t.etag}, {"last_modified", t.last_modified}};
  std::ofstream(meta_path, std::ios::trunc) << meta.dump() << "\n";
  outcome.updated = true;
  outcome.bytes = t.bytes;
  return outcome;
}

}  // namespace rampart::audit::deps
