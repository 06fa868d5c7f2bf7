#include "guards/jwt/verifier.h"

#include <algorithm>
#include <cmath>

#include "guards/jwt/signature.h"

namespace rampart::guards::jwt {
namespace {

bool iequals_ascii(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

// A NumericDate (RFC 7519 section 2) in seconds; nullopt when absent, an error when not a number.
std::variant<std::monostate, double, JwtError> numeric_date(const nlohmann::json& claims,
                                                            const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || it->is_null()) return std::monostate{};
  if (!it->is_number()) {
    return JwtError{"jwt_bad_claim", std::string("the \"") + name + "\" claim is not a number"};
  }
  return it->get<double>();
}

// Seconds since the epoch as a message shows them (a cast of a huge double would be undefined).
std::string seconds_text(double s) {
  if (std::fabs(s) >= 1e15) return "a time out of range";
  return std::to_string(int64_t(std::floor(s)));
}

}  // namespace

std::optional<JwtError> Verifier::check_claims(const nlohmann::json& claims,
                                               std::chrono::system_clock::time_point now) const {
  double t = std::chrono::duration<double>(now.time_since_epoch()).count();
  double leeway = double(p_.leeway.count());

  auto exp = numeric_date(claims, "exp");
  if (auto* e = std::get_if<JwtError>(&exp)) return *e;
  // RFC 7519 section 4.1.4: the current time must be before exp.
  if (auto* e = std::get_if<double>(&exp); e != nullptr && t >= *e + leeway) {
    return JwtError{"jwt_expired", "the token expired at " + seconds_text(*e)};
  }
  auto nbf = numeric_date(claims, "nbf");
  if (auto* e = std::get_if<JwtError>(&nbf)) return *e;
  if (auto* n = std::get_if<double>(&nbf); n != nullptr && t + leeway < *n) {
    return JwtError{"jwt_not_yet_valid", "the token is not valid before " + seconds_text(*n)};
  }
  auto iat = numeric_date(claims, "iat");
  if (auto* e = std::get_if<JwtError>(&iat)) return *e;
  if (auto* i = std::get_if<double>(&iat); i != nullptr && *i > t + leeway) {
    return JwtError{"jwt_issued_in_future",
                    "the token was issued in the future, at " + seconds_text(*i)};
  }

  if (!p_.issuers.empty()) {
    auto iss = claims.find("iss");
    if (iss == claims.end() || !iss->is_string()) {
      return JwtError{"jwt_bad_issuer", "the token has no \"iss\" claim"};
    }
    const auto& v = iss->get_ref<const std::string&>();
    if (std::find(p_.issuers.begin(), p_.issuers.end(), v) == p_.issuers.end()) {
      return JwtError{"jwt_bad_issuer", "the issuer is not accepted"};
    }
  }
  if (!p_.audiences.empty()) {
    auto aud = claims.find("aud");
    if (aud == claims.end()) return JwtError{"jwt_bad_audience", "the token has no \"aud\" claim"};
    auto accepted = [&](const nlohmann::json& a) {
      return a.is_string() && std::find(p_.audiences.begin(), p_.audiences.end(),
                                        a.get_ref<const std::string&>()) != p_.audiences.end();
    };
    bool ok = false;
    if (aud->is_array()) {
      ok = std::any_of(aud->begin(), aud->end(), accepted);
    } else {
      ok = accepted(*aud);
    }
    if (!ok) return JwtError{"jwt_bad_audience", "the token is not meant for this audience"};
  }
  for (const auto& name : p_.required_claims) {
    auto it = claims.find(name);
    if (it == claims.end() || it->is_null()) {
      return JwtError{"jwt_missing_claim", "the token has no \"" + name + "\" claim"};
    }
  }
  return std::nullopt;
}

std::variant<Verified, JwtError> Verifier::verify(std::string_view token, const KeySources& keys,
                                                  std::chrono::system_clock::time_point now) const {
  auto parsed_or = parse_token(token, p_.max_token_size);
  if (auto* e = std::get_if<JwtError>(&parsed_or)) return std::move(*e);
  auto& parsed = std::get<ParsedToken>(parsed_or);

  if (iequals_ascii(parsed.alg_text, "none")) {
    return JwtError{"jwt_alg_none", "unsigned tokens (alg \"none\") are never accepted"};
  }
  if (!parsed.alg) {
    return JwtError{"jwt_alg_not_allowed",
                    "the algorithm '" + parsed.alg_text.substr(0, 32) + "' is not supported"};
  }
  Alg alg = *parsed.alg;
  if (std::find(p_.algorithms.begin(), p_.algorithms.end(), alg) == p_.algorithms.end()) {
    return JwtError{"jwt_alg_not_allowed",
                    "the algorithm " + std::string(alg_name(alg)) + " is not allowed"};
  }

  // Candidate keys: the token's kid when it names one, and always the algorithm's own family.
  bool kid_known = false;
  bool any_candidate = false;
  bool signature_ok = false;
  for (const KeySet* set : {keys.fixed, keys.fetched}) {
    if (set == nullptr || signature_ok) continue;
    for (const Key& k : set->keys) {
      // A key without a kid (a PEM file, say) may verify any token.
      if (!parsed.kid.empty() && !k.kid.empty() && k.kid != parsed.kid) continue;
      kid_known = true;
      if (!k.verifies(alg)) continue;
      any_candidate = true;
      if (verify_signature(alg, k, parsed.signing_input, parsed.signature)) {
        signature_ok = true;
        break;
      }
    }
  }
  if (!signature_ok) {
    if (!parsed.kid.empty() && !kid_known) {
      return JwtError{"jwt_unknown_kid", "no key has the token's key id"};
    }
    if (!any_candidate) {
      return JwtError{"jwt_key_mismatch", "no " + std::string(key_type_name(key_type_for(alg))) +
                                              " key for a token signed with " +
                                              std::string(alg_name(alg))};
    }
    return JwtError{"jwt_bad_signature", "the signature does not verify"};
  }
  if (auto e = check_claims(parsed.claims, now)) return std::move(*e);
  return Verified{std::move(parsed.claims), alg, std::move(parsed.kid)};
}

}  // namespace rampart::guards::jwt
