#include "audit/deps/osv_source.h"

#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>

#include "audit/deps/file_text.h"

namespace rampart::audit::deps {

namespace {

constexpr size_t kMaxDatabaseBytes = size_t(1) << 31;  // 2 GiB decompressed
constexpr size_t kMaxDocumentBytes = 16u << 20;

Status parse_and_visit(std::string_view text, const std::string& where, const OsvVisitor& visit) {
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::error(where + ": not valid JSON (corrupt or truncated)");
  return visit(doc, where);
}

Status read_json_lines(std::string_view text, const std::string& name, const OsvVisitor& visit) {
  size_t pos = 0;
  int lineno = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++lineno;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty()) continue;
    Status st = parse_and_visit(line, name + ":" + std::to_string(lineno), visit);
    if (!st.ok()) return st;
  }
  return Status();
}

Status read_zip(const std::string& path, const OsvVisitor& visit) {
  int err = 0;
  zip_t* za = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (za == nullptr) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, err);
    std::string msg = path + ": not a readable zip archive (" + zip_error_strerror(&ze) + ")";
    zip_error_fini(&ze);
    return Status::error(msg);
  }
  struct Closer {
    zip_t* z;
    ~Closer() { zip_discard(z); }
  } closer{za};
  zip_int64_t n = zip_get_num_entries(za, 0);
  std::string buf;
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    if (zip_stat_index(za, uint64_t(i), 0, &st) != 0) continue;
    std::string name = st.name ? st.name : "";
    if (!name.ends_with(".json")) continue;
    std::string where = path + ":" + name;
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > kMaxDocumentBytes) {
      return Status::error(where + ": entry is too large or of unknown size");
    }
    zip_file_t* zf = zip_fopen_index(za, uint64_t(i), 0);
    if (zf == nullptr)
      return Status::error(where + ": cannot read entry (" + zip_strerror(za) + ")");
    buf.assign(st.size, '\0');
    zip_int64_t got = zip_fread(zf, buf.data(), st.size);
    std::string ferr = got < 0 ? zip_file_strerror(zf) : "";
    zip_fclose(zf);
    if (got < 0) return Status::error(where + ": corrupt entry (" + ferr + ")");
    if (uint64_t(got) != st.size) return Status::error(where + ": truncated entry");
    Status s = parse_and_visit(buf, where, visit);
    if (!s.ok()) return s;
  }
  return Status();
}

Status read_folder(const std::string& path, const OsvVisitor& visit) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".json") files.push_back(it->path());
  }
  if (ec) return Status::error(path + ": cannot list folder: " + ec.message());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto text = read_file_text(f.string(), kMaxDocumentBytes);
    if (!text.ok()) return text.status();
    Status s = parse_and_visit(*text, f.string(), visit);
    if (!s.ok()) return s;
  }
  return Status();
}

}  // namespace

StatusOr<std::string> gunzip(std::string_view data, const std::string& what) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK)
    return Status::error(what + ": cannot start gzip decoder");
  std::string out;
  char chunk[1 << 16];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  int rc = Z_OK;
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof(chunk);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(chunk, sizeof(chunk) - zs.avail_out);
    if (out.size() > kMaxDatabaseBytes) {
      inflateEnd(&zs);
      return Status::error(what + ": decompresses to more than 2 GiB, not read");
    }
    if (rc == Z_STREAM_END) {
      // Concatenated gzip members are valid gzip: continue with the next one.
      if (zs.avail_in == 0) break;
      inflateReset(&zs);
      continue;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
      inflateEnd(&zs);
      return Status::error(what + ": truncated gzip data");
    }
    if (rc != Z_OK) {
      std::string msg = zs.msg ? zs.msg : "error " + std::to_string(rc);
      inflateEnd(&zs);
      return Status::error(what + ": corrupt gzip data (" + msg + ")");
    }
  }
  inflateEnd(&zs);
  return out;
}

Status read_osv_source(const std::string& path, const OsvVisitor& visit) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status))
    return Status::error(path + ": advisory database not found");
  if (std::filesystem::is_directory(status)) return read_folder(path, visit);
  auto data = read_file_text(path, kMaxDatabaseBytes);
  if (!data.ok()) return data.status();
  if (data->starts_with("PK")) {
    data = std::string();  // libzip reads the file itself
    return read_zip(path, visit);
  }
  if (data->size() >= 2 && static_cast<unsigned char>((*data)[0]) == 0x1f &&
      static_cast<unsigned char>((*data)[1]) == 0x8b) {
    auto text = gunzip(*data, path);
    if (!text.ok()) return text.status();
    return read_json_lines(*text, path, visit);
  }
  // One pretty-printed advisory (or an array of them) rather than JSON Lines.
  std::string_view all = *data;
  size_t first = all.find_first_not_of(" \t\r\n");
  std::string_view first_line =
      first == std::string_view::npos ? "" : all.substr(first, all.find('\n', first) - first);
  if (!first_line.empty() && !nlohmann::json::accept(first_line)) {
    auto whole = nlohmann::json::parse(*data, nullptr, false);
    if (!whole.is_discarded() && whole.is_object()) return visit(whole, path);
    if (!whole.is_discarded() && whole.is_array()) {
      for (size_t i = 0; i < whole.size(); ++i) {
        Status s = visit(whole[i], path + "[" + std::to_string(i) + "]");
        if (!s.ok()) return s;
      }
      return Status();
    }
  }
  return read_json_lines(*data, path, visit);
}

}  // namespace rampart::audit::deps
