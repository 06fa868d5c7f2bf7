#include "guards/jwt/jwt_guard.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/logging.h"
#include "common/strings.h"
#include "guards/common.h"

namespace rampart::guards {
namespace {

using jwt::JwtError;

// RFC 9110 section 5.6.2 token characters: what a header name may be made of.
bool is_header_name(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (std::isalnum(c) == 0 &&
        std::string_view("!#$%&'*+-.^_`|~").find(char(c)) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// Header names compared as WSGI/CGI see them: case-insensitive, '_' the same as '-'.
bool same_cgi_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] == '_' ? '-' : char(std::tolower(static_cast<unsigned char>(a[i])));
    char y = b[i] == '_' ? '-' : char(std::tolower(static_cast<unsigned char>(b[i])));
    if (x != y) return false;
  }
  return true;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// An error_description must be a quoted-string without '"' or '\' (RFC 6750 section 3).
std::string description_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"') {
      out += '\'';
    } else if (c != '\\' && static_cast<unsigned char>(c) >= 0x20 &&
               static_cast<unsigned char>(c) < 0x7f) {
      out += c;
    } else {
      out += '?';
    }
  }
  return out;
}

// A claim's value as a header value; nullopt when it cannot be one.
std::optional<std::string> claim_header_value(const nlohmann::json& v) {
  std::string out;
  if (v.is_string()) {
    out = v.get<std::string>();
  } else if (v.is_array()) {
    for (const auto& item : v) {
      if (!item.is_string() && !item.is_number()) return std::nullopt;
      if (!out.empty()) out += ",";
      out += item.is_string() ? item.get<std::string>() : item.dump();
    }
  } else if (v.is_number() || v.is_boolean()) {
    out = v.dump();
  } else {
    return std::nullopt;
  }
  for (unsigned char c : out) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) return std::nullopt;  // no header splitting
  }
  return out;
}

std::vector<jwt::Key> read_key_list(const ConfigNode& list) {
  std::vector<jwt::Key> out;
  if (!list.expect_sequence()) return out;
  for (size_t i = 0; i < list.size(); ++i) {
    ConfigNode k = list.at(i);
    if (!k.expect_map()) continue;
    k.only_keys({"file", "secret_file", "secret_env", "kid", "alg"});
    int sources = int(k.child("file").defined()) + int(k.child("secret_file").defined()) +
                  int(k.child("secret_env").defined());
    if (sources != 1) {
      k.error(
          "expected exactly one of 'file' (a PEM public key or certificate), 'secret_file' or "
          "'secret_env' (an HMAC secret)");
      continue;
    }
    StatusOr<jwt::Key> key = Status::error("");
    if (k.child("file").defined()) {
      key = jwt::load_pem_key(k.get_string("file"));
    } else if (k.child("secret_file").defined()) {
      std::string path = k.get_string("secret_file");
      auto text = read_file(path);
      if (!text) {
        k.child("secret_file").error(path + ": cannot be read");
        continue;
      }
      // One trailing newline is the file's, not the secret's.
      if (!text->empty() && text->back() == '\n') text->pop_back();
      if (!text->empty() && text->back() == '\r') text->pop_back();
      key = jwt::key_from_secret(std::move(*text), path);
    } else {
      std::string name = k.get_string("secret_env");
      const char* v = std::getenv(name.c_str());
      if (v == nullptr) {
        k.child("secret_env")
            .error("the environment variable " + quote_for_message(name) + " is not set");
        continue;
      }
      key = jwt::key_from_secret(v, "$" + name);
    }
    if (!key.ok()) {
      k.error(key.status().message());
      continue;
    }
    key->kid = k.get_string("kid");
    if (k.child("alg").defined()) {
      std::string a = k.get_string("alg");
      key->alg = jwt::parse_alg(a);
      if (!key->alg) {
        k.child("alg").error(
            "expected one of HS256, HS384, HS512, RS256, RS384, RS512, PS256, "
            "ES256, ES384, EdDSA, got " +
            quote_for_message(a));
        continue;
      }
      if (jwt::key_type_for(*key->alg) != key->type) {
        k.child("alg").error(a + " needs a key of type " +
                             std::string(jwt::key_type_name(jwt::key_type_for(*key->alg))) +
                             ", and this one is " + std::string(jwt::key_type_name(key->type)));
        continue;
      }
    }
    out.push_back(std::move(*key));
  }
  return out;
}

}  // namespace

void JwtSettings::read(const ConfigNode& n) {
  n.only_keys({"enabled", "mode", "token", "realm", "algorithms", "keys", "jwks_file", "jwks_url",
               "jwks_refresh", "jwks_refresh_min", "jwks_refresh_max", "jwks_refetch_interval",
               "jwks_timeout", "issuer", "audience", "leeway", "required_claims", "forward_claims",
               "max_token_size"});
  if (n.child("mode").defined()) monitor = read_mode({n}) == Mode::kMonitor;
  token_required = n.get_choice("token", token_required ? "required" : "optional",
                                {"required", "optional"}) == "required";
  realm = n.get_string("realm", realm);
  if (realm.find_first_of("\"\\") != std::string::npos) {
    n.child("realm").error("must not contain '\"' or '\\'");
  }

  if (n.child("algorithms").defined()) {
    policy.algorithms.clear();
    for (const auto& a : n.get_string_list("algorithms")) {
      auto alg = jwt::parse_alg(a);
      if (!alg) {
        n.child("algorithms")
            .error(iequals(a, "none")
                       ? std::string("'none' (unsigned tokens) is never accepted")
                       : "expected HS256, HS384, HS512, RS256, RS384, RS512, PS256, ES256, ES384 "
                         "or EdDSA, got " +
                             quote_for_message(a));
        continue;
      }
      policy.algorithms.push_back(*alg);
    }
    if (policy.algorithms.empty()) n.child("algorithms").error("names no algorithm");
  }

  // keys: and jwks_file: together are the fixed keys; a layer that names either replaces both.
  if (n.child("keys").defined() || n.child("jwks_file").defined()) {
    auto set = std::make_shared<jwt::KeySet>();
    if (n.child("keys").defined()) set->keys = read_key_list(n.child("keys"));
    if (n.child("jwks_file").defined()) {
      std::string path = n.get_string("jwks_file");
      auto text = read_file(path);
      if (!text) {
        n.child("jwks_file").error(path + ": cannot be read");
      } else if (auto parsed = jwt::parse_jwks(*text, path); !parsed.ok()) {
        n.child("jwks_file").error(parsed.status().message());
      } else {
        for (auto& k : parsed->set.keys) set->keys.push_back(std::move(k));
      }
    }
    keys = std::move(set);
  }

  if (n.child("jwks_url").defined()) {
    std::string url = n.get_string("jwks_url");
    if (url.empty()) {
      jwks.reset();
    } else {
      if (!istarts_with(url, "https://") && !istarts_with(url, "http://")) {
        n.child("jwks_url")
            .error("expected an http:// or https:// URL, got " + quote_for_message(url));
      }
      if (!jwks) jwks.emplace();
      jwks->url = url;
    }
  }
  if (jwks) {
    jwks->refresh = n.get_duration("jwks_refresh", jwks->refresh);
    jwks->min_refresh = n.get_duration("jwks_refresh_min", jwks->min_refresh);
    jwks->max_refresh = n.get_duration("jwks_refresh_max", jwks->max_refresh);
    jwks->refetch_interval = n.get_duration("jwks_refetch_interval", jwks->refetch_interval);
    jwks->timeout = n.get_duration("jwks_timeout", jwks->timeout);
    if (jwks->min_refresh > jwks->max_refresh) {
      n.error("jwks_refresh_min must not be longer than jwks_refresh_max");
    }
    if (jwks->timeout.count() <= 0) n.child("jwks_timeout").error("must be longer than 0");
  }

  if (n.child("issuer").defined()) policy.issuers = n.get_string_list("issuer");
  if (n.child("audience").defined()) policy.audiences = n.get_string_list("audience");
  if (n.child("required_claims").defined()) {
    policy.required_claims = n.get_string_list("required_claims");
  }
  auto leeway = n.get_duration("leeway", policy.leeway);
  if (leeway > std::chrono::minutes(10)) {
    n.child("leeway").error("at most 10m: a longer leeway keeps expired tokens alive");
  } else {
    policy.leeway = std::chrono::duration_cast<std::chrono::seconds>(leeway);
  }
  policy.max_token_size = n.get_size("max_token_size", policy.max_token_size);
  if (policy.max_token_size < 256 || policy.max_token_size > (1 << 20)) {
    n.child("max_token_size").error("expected a size between 256 and 1MiB");
  }

  ConfigNode fwd = n.child("forward_claims");
  if (fwd.defined() && fwd.expect_map()) {
    forward.clear();
    for (const auto& claim : fwd.keys()) {
      std::string header = fwd.get_string(claim);
      if (!is_header_name(header)) {
        fwd.child(claim).error("expected a header name such as X-Auth-Subject, got " +
                               quote_for_message(header));
        continue;
      }
      forward.emplace_back(claim, header);
    }
  }
}

JwtGuard::JwtGuard(JwtSettings s, bool enabled, std::shared_ptr<jwt::JwksSource> source)
    : s_(std::move(s)), enabled_(enabled), source_(std::move(source)), verifier_(s_.policy) {}

void JwtGuard::remove_forged_headers(http::Headers& headers) const {
  if (s_.forward.empty()) return;
  headers.remove_if([&](const http::FieldView& f) {
    for (const auto& [claim, header] : s_.forward) {
      if (same_cgi_name(f.name, header)) return true;
    }
    return false;
  });
}

std::optional<gateway::Reply> JwtGuard::refuse(gateway::Exchange& ex, const JwtError& e) const {
  gateway::Action action = s_.monitor ? gateway::Action::kLogged : gateway::Action::kBlocked;
  bool missing = e.code == "jwt_missing";
  ex.add_event({"jwt", std::string(e.code), action, "request.header.Authorization", e.detail});
  if (s_.monitor) return std::nullopt;
  gateway::Reply r;
  r.status = 401;
  r.reason = std::string(e.code);
  r.content_type = "application/json";
  std::string challenge = "Bearer realm=\"" + s_.realm + "\"";
  if (missing) {
    r.body = R"({"error":"unauthorized","error_description":"a bearer token is required"})";
  } else {
    std::string desc = description_text(e.detail);
    challenge += ", error=\"invalid_token\", error_description=\"" + desc + "\"";
    r.body = nlohmann::json{{"error", "invalid_token"}, {"error_description", desc}}.dump();
  }
  r.headers.add("WWW-Authenticate", challenge);
  r.headers.add("Cache-Control", "no-store");
  return r;
}

void JwtGuard::forward_claims(gateway::Exchange& ex, const nlohmann::json& claims) const {
  for (const auto& [claim, header] : s_.forward) {
    auto it = claims.find(claim);
    if (it == claims.end() || it->is_null()) continue;
    auto value = claim_header_value(*it);
    if (!value) {
      ex.add_event(
          {"jwt", "jwt_claim_not_forwarded", gateway::Action::kLogged,
           "request.header.Authorization",
           "the \"" + claim + "\" claim cannot be a header value; " + header + " is not set"});
      continue;
    }
    ex.request.headers.add(header, *value);
  }
}

std::optional<gateway::Reply> JwtGuard::on_request(gateway::Exchange& ex) const {
  bool wait = false;
  return check(ex, false, wait);
}

boost::asio::awaitable<std::optional<gateway::Reply>> JwtGuard::on_request_async(
    gateway::Exchange& ex) const {
  namespace asio = boost::asio;
  bool wait = false;
  std::optional<gateway::Reply> reply = check(ex, true, wait);
  if (!wait) co_return reply;
  // The token's key is not in the fetched set: wait (without blocking the thread) for the one
  // re-fetch the source allows, within its timeout, then decide with what it brought.
  auto executor = co_await asio::this_coro::executor;
  auto timer = std::make_shared<asio::steady_timer>(executor, s_.jwks->timeout);
  std::weak_ptr<asio::steady_timer> weak = timer;
  bool coming = source_->key_missed([executor, weak] {
    asio::post(executor, [weak] {
      if (auto t = weak.lock()) t->cancel();
    });
  });
  if (coming) co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
  reply = check(ex, false, wait);
  co_return reply;
}

std::optional<gateway::Reply> JwtGuard::check(gateway::Exchange& ex, bool may_wait,
                                              bool& wait) const {
  wait = false;
  remove_forged_headers(ex.request.headers);
  if (!enabled_) return std::nullopt;

  auto auth = ex.request.headers.get_all("authorization");
  if (auth.size() > 1) {
    return refuse(ex, {"jwt_malformed", "the request has more than one Authorization header"});
  }
  std::string_view value = auth.empty() ? std::string_view() : trim(auth[0]);
  bool bearer =
      value.size() >= 6 && istarts_with(value, "bearer") && (value.size() == 6 || value[6] == ' ');
  if (!bearer) {
    if (!s_.token_required) return std::nullopt;
    return refuse(ex, {"jwt_missing", "the request has no bearer token"});
  }
  std::string_view token = trim(value.substr(6));
  if (token.empty()) return refuse(ex, {"jwt_malformed", "the bearer token is empty"});

  std::shared_ptr<const jwt::KeySet> fetched = source_ ? source_->keys() : nullptr;
  auto result = verifier_.verify(token, {s_.keys.get(), fetched.get()}, s_.now());
  if (auto* e = std::get_if<JwtError>(&result)) {
    // The fetched set may be stale (rotated keys) or missing (the issuer was unreachable).
    if (source_ && (e->code == "jwt_unknown_kid" || e->code == "jwt_key_mismatch")) {
      if (may_wait) {
        wait = true;
        return std::nullopt;
      }
      source_->key_missed();
      if (!fetched) {
        return refuse(ex, {"jwt_keys_unavailable", "the signing keys could not be fetched yet"});
      }
    }
    return refuse(ex, *e);
  }
  auto& ok = std::get<jwt::Verified>(result);
  ex.bearer_verified = true;
  if (auto sub = ok.claims.find("sub"); sub != ok.claims.end() && sub->is_string()) {
    ex.auth_subject = sub->get<std::string>();
  }
  forward_claims(ex, ok.claims);
  return std::nullopt;
}

std::unique_ptr<gateway::Guard> JwtGuard::build(const std::vector<ConfigNode>& layers,
                                                const gateway::GuardContext& ctx) {
  JwtSettings s;
  for (const auto& l : layers) s.read(l);
  if (!ctx.enabled) {
    return s.forward.empty() ? nullptr : std::make_unique<JwtGuard>(std::move(s), false);
  }
  if (!s.has_keys()) {
    std::string msg =
        "the jwt guard is on but has no keys: give 'keys' (PEM files or HMAC secrets), "
        "'jwks_file' or 'jwks_url'";
    if (ctx.node != nullptr) {
      ctx.node->error(msg);
    } else if (!layers.empty()) {
      layers.back().error(msg);
    }
    return nullptr;
  }
  std::shared_ptr<jwt::JwksSource> source;
  // A configuration with mistakes is not used: no need to fetch for it.
  bool clean =
      layers.empty() || layers.back().errors() == nullptr || layers.back().errors()->empty();
  if (s.jwks && clean) source = jwt::JwksSource::shared(*s.jwks);
  return std::make_unique<JwtGuard>(std::move(s), true, std::move(source));
}

}  // namespace rampart::guards
