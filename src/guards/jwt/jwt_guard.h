#pragma once
// The `jwt` guard: bearer tokens (RFC 6750) on the routes that require them, verified at the edge
// (verifier.h) with keys from PEM files, HMAC secrets, a JWK Set file or a JWK Set URL kept fresh
// in the background (jwks_source.h). A request without a token on such a route gets 401 with
// `WWW-Authenticate: Bearer realm="..."`; a refused token gets 401 with error="invalid_token" and
// an event naming the reason. A verified token marks the exchange (bearer_verified,
// auth_subject) and selected claims go to the application as headers. A token signed by a key
// that a JWKS URL does not list yet waits (asynchronously, within jwks_timeout) for the one
// re-fetch it may trigger, so that the first token after a key rotation is accepted.
//
// Client-sent copies of those headers are removed on every route, also where the guard is off,
// since an application that trusts X-Auth-Subject on one route may read it on any; names that
// differ only by '_' for '-' are removed too (WSGI maps both to the same HTTP_X_AUTH_SUBJECT).

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/config_node.h"
#include "gateway/guard.h"
#include "gateway/guard_registry.h"
#include "guards/jwt/jwks_source.h"
#include "guards/jwt/verifier.h"

namespace rampart::guards {

struct JwtSettings {
  bool monitor = false;
  bool token_required = true;  // `token: required | optional`
  std::string realm = "rampart";
  jwt::Policy policy;
  std::shared_ptr<const jwt::KeySet> keys;  // from keys: and jwks_file:
  std::optional<jwt::JwksOptions> jwks;     // jwks_url:
  // claim -> header, in order.
  std::vector<std::pair<std::string, std::string>> forward{{"sub", "X-Auth-Subject"}};
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };

  // Reads one layer; keys and JWK Set files are loaded here, and their errors are the node's.
  void read(const ConfigNode& node);
  bool has_keys() const { return (keys && !keys->keys.empty()) || jwks.has_value(); }
};

class JwtGuard : public gateway::Guard {
 public:
  // `enabled` false: the guard only removes client-sent copies of the forwarded headers.
  JwtGuard(JwtSettings s, bool enabled, std::shared_ptr<jwt::JwksSource> source = nullptr);
  std::string_view name() const override { return "jwt"; }
  std::optional<gateway::Reply> on_request(gateway::Exchange& ex) const override;
  // With a JWKS URL, a token whose key is missing waits for the re-fetch it triggers.
  bool request_is_async() const override { return enabled_ && source_ != nullptr; }
  boost::asio::awaitable<std::optional<gateway::Reply>> on_request_async(
      gateway::Exchange& ex) const override;

  static std::unique_ptr<gateway::Guard> build(const std::vector<ConfigNode>& layers,
                                               const gateway::GuardContext& ctx);

 private:
  // The request step; with `may_wait`, a token whose key may come with a re-fetch sets `wait`
  // and returns nullopt (before any event) instead of refusing.
  std::optional<gateway::Reply> check(gateway::Exchange& ex, bool may_wait, bool& wait) const;
  void remove_forged_headers(http::Headers& headers) const;
  std::optional<gateway::Reply> refuse(gateway::Exchange& ex, const jwt::JwtError& e) const;
  void forward_claims(gateway::Exchange& ex, const nlohmann::json& claims) const;

  JwtSettings s_;
  bool enabled_;
  std::shared_ptr<jwt::JwksSource> source_;
  jwt::Verifier verifier_;
};

}  // namespace rampart::guards
