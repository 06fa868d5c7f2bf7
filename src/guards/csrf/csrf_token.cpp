#include "guards/csrf/csrf_token.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <vector>

#include "common/strings.h"
#include "waf/parse/multipart.h"
#include "waf/parse/query.h"

namespace rampart::guards {
namespace {

std::string_view media_type(std::string_view content_type) {
  return trim(content_type.substr(0, content_type.find(';')));
}

}  // namespace

std::optional<std::string> new_csrf_token() {
  unsigned char bytes[kCsrfTokenLength / 2];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return std::nullopt;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(kCsrfTokenLength);
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

bool well_formed_csrf_token(std::string_view t) {
  if (t.size() != kCsrfTokenLength) return false;
  for (char c : t) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool csrf_tokens_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool is_form_content_type(std::string_view content_type) {
  std::string_view m = media_type(content_type);
  return iequals(m, "application/x-www-form-urlencoded") || iequals(m, "multipart/form-data");
}

std::optional<std::string> form_field(std::string_view content_type, std::string_view body,
                                      std::string_view field) {
  std::string_view m = media_type(content_type);
  std::vector<waf::Field> fields;
  waf::FieldSink sink{&fields, 10000};
  if (iequals(m, "application/x-www-form-urlencoded")) {
    waf::parse_urlencoded(body, waf::Part::kBodyForm, sink);
  } else if (iequals(m, "multipart/form-data")) {
    std::string_view boundary = waf::multipart_boundary(content_type);
    if (boundary.empty() || !waf::parse_multipart(body, boundary, sink)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  for (auto& f : fields) {
    if (!f.key && f.name == field) return std::move(f.value);
  }
  return std::nullopt;
}

}  // namespace rampart::guards
