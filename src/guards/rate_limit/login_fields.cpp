#include "guards/rate_limit/login_fields.h"

#include "common/strings.h"
#include "waf/parse/cookies.h"
#include "waf/parse/json_values.h"
#include "waf/parse/multipart.h"
#include "waf/parse/query.h"

namespace rampart::guards {
namespace {

constexpr size_t kMaxFields = 256;
constexpr size_t kMaxUsername = 256;

std::optional<std::string> find_field(const std::vector<waf::Field>& fields,
                                      std::string_view name) {
  for (const auto& f : fields) {
    if (!f.key && f.name == name) return f.value;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> cookie_value(const http::Headers& headers, std::string_view name) {
  for (std::string_view h : headers.get_all("Cookie")) {
    std::vector<waf::Field> fields;
    waf::FieldSink sink{&fields, kMaxFields};
    waf::parse_cookies(h, sink);
    if (auto v = find_field(fields, name)) return v;
  }
  return std::nullopt;
}

std::optional<std::string> login_username(const http::Headers& headers, std::string_view body,
                                          std::string_view field) {
  if (field.empty()) return std::nullopt;
  std::string_view type = headers.get("Content-Type").value_or("");
  std::vector<waf::Field> fields;
  waf::FieldSink sink{&fields, kMaxFields};
  if (istarts_with(type, "application/x-www-form-urlencoded")) {
    waf::parse_urlencoded(body, waf::Part::kBodyForm, sink);
  } else if (istarts_with(type, "multipart/form-data")) {
    std::string_view boundary = waf::multipart_boundary(type);
    if (boundary.empty()) return std::nullopt;
    waf::parse_multipart(body, boundary, sink);
  } else if (istarts_with(type, "application/json") ||
             (type.find("+json") != std::string_view::npos)) {
    waf::parse_json_values(body, sink);
  } else {
    return std::nullopt;
  }
  auto v = find_field(fields, field);
  if (!v) return std::nullopt;
  std::string user = to_lower(trim(*v));
  if (user.size() > kMaxUsername) user.resize(kMaxUsername);
  return user;
}

}  // namespace rampart::guards
