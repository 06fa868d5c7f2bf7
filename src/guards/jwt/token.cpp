#include "guards/jwt/token.h"

#include <set>
#include <vector>

#include "guards/jwt/base64url.h"

namespace rampart::guards::jwt {

std::optional<nlohmann::json> parse_json_object(std::string_view text, std::string& why,
                                                int max_depth) {
  using nlohmann::json;
  // nlohmann keeps the last of duplicate names silently; the parser callback sees every key, so
  // one set of names per open object finds duplicates in the same pass.
  std::vector<std::set<std::string>> open;
  bool duplicate = false;
  bool too_deep = false;
  json::parser_callback_t cb = [&](int depth, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        open.emplace_back();
        if (depth >= max_depth) too_deep = true;
        break;
      case json::parse_event_t::array_start:
        if (depth >= max_depth) too_deep = true;
        break;
      case json::parse_event_t::key:
        if (!open.empty() && parsed.is_string() &&
            !open.back().insert(parsed.get_ref<const std::string&>()).second) {
          duplicate = true;
        }
        break;
      case json::parse_event_t::object_end:
        if (!open.empty()) open.pop_back();
        break;
      default:
        break;
    }
    return true;
  };
  json j = json::parse(text.begin(), text.end(), cb, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    why = "is not valid JSON";
    return std::nullopt;
  }
  if (too_deep) {
    why = "nests deeper than " + std::to_string(max_depth) + " levels";
    return std::nullopt;
  }
  if (duplicate) {
    why = "has a duplicate member name";
    return std::nullopt;
  }
  if (!j.is_object()) {
    why = "is not a JSON object";
    return std::nullopt;
  }
  return j;
}

std::variant<ParsedToken, JwtError> parse_token(std::string_view token, size_t max_size) {
  if (token.size() > max_size) {
    return JwtError{"jwt_too_large",
                    "the token is longer than " + std::to_string(max_size) + " bytes"};
  }
  if (token.empty()) return JwtError{"jwt_malformed", "the token is empty"};
  size_t dots = 0;
  for (char c : token) dots += c == '.';
  if (dots == 4) {
    return JwtError{"jwt_encrypted", "encrypted tokens (JWE) are not accepted"};
  }
  if (dots != 2) {
    return JwtError{"jwt_malformed",
                    "the token has " + std::to_string(dots + 1) + " segments, not 3"};
  }
  size_t d1 = token.find('.');
  size_t d2 = token.find('.', d1 + 1);
  std::string_view h64 = token.substr(0, d1);
  std::string_view p64 = token.substr(d1 + 1, d2 - d1 - 1);
  std::string_view s64 = token.substr(d2 + 1);
  if (h64.empty() || p64.empty()) {
    return JwtError{"jwt_malformed", "the token has an empty header or payload"};
  }

  ParsedToken out;
  auto header_text = base64url_decode(h64);
  if (!header_text) return JwtError{"jwt_bad_base64", "the header is not base64url"};
  auto payload_text = base64url_decode(p64);
  if (!payload_text) return JwtError{"jwt_bad_base64", "the payload is not base64url"};
  auto sig = base64url_decode(s64);
  if (!sig) return JwtError{"jwt_bad_base64", "the signature is not base64url"};
  out.signature = std::move(*sig);

  std::string why;
  auto header = parse_json_object(*header_text, why);
  if (!header) return JwtError{"jwt_bad_json", "the header " + why};
  out.header = std::move(*header);
  auto claims = parse_json_object(*payload_text, why);
  if (!claims) return JwtError{"jwt_bad_json", "the claims set " + why};
  out.claims = std::move(*claims);

  auto alg = out.header.find("alg");
  if (alg == out.header.end() || !alg->is_string()) {
    return JwtError{"jwt_malformed", "the header has no \"alg\""};
  }
  out.alg_text = alg->get<std::string>();
  out.alg = parse_alg(out.alg_text);
  auto kid = out.header.find("kid");
  if (kid != out.header.end()) {
    if (!kid->is_string()) return JwtError{"jwt_malformed", "the header's \"kid\" is not a string"};
    out.kid = kid->get<std::string>();
  }
  // RFC 7515 section 4.1.11: extensions listed in "crit" must be understood; rampart implements
  // none (this also refuses "b64": false, RFC 7797).
  if (out.header.contains("crit")) {
    return JwtError{"jwt_crit_unsupported", "the header lists critical extensions (\"crit\")"};
  }
  out.signing_input = token.substr(0, d2);
  return out;
}

}  // namespace rampart::guards::jwt
