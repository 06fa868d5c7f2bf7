#pragma once
// The `cookies` guard: every Set-Cookie from the application leaves with Secure (on HTTPS),
// HttpOnly and SameSite, unless the settings say otherwise for that cookie's name. The CSRF
// token cookies that frameworks make for scripts to read (kScriptReadableCookies) get Secure and
// SameSite but not HttpOnly unless configured: HttpOnly on them breaks the application's forms
// and protects nothing, since the token is not a credential. Attributes the application wrote
// are kept as they are; a Set-Cookie that is not a cookie passes unchanged and is recorded as an
// event.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/config_node.h"
#include "gateway/guard.h"
#include "gateway/guard_registry.h"

namespace rampart::guards {

struct CookieFlags {
  bool secure = true;
  bool http_only = true;
  std::string same_site = "Lax";  // "" leaves SameSite alone
};

// Django's csrftoken, XSRF-TOKEN (Angular, axios, Laravel), flask-jwt-extended's double-submit
// cookies, and the csrf guard's own token cookies.
inline constexpr std::string_view kScriptReadableCookies[] = {
    "csrftoken",          "XSRF-TOKEN",          "csrf_access_token",
    "csrf_refresh_token", "__Host-rampart_csrf", "rampart_csrf"};

struct CookiesSettings {
  CookieFlags defaults;
  CookieFlags script_readable{true, false, "Lax"};            // defaults without HttpOnly
  std::map<std::string, CookieFlags, std::less<>> overrides;  // by cookie name
  bool monitor = false;

  void read(const ConfigNode& node);
  // The flags of a cookie that no override names.
  const CookieFlags& default_for(std::string_view cookie_name) const;
};

// Rewrites one Set-Cookie value for `flags`; nullopt when the value is not a cookie. `https`
// says whether the exchange is on HTTPS (Secure is only added there).
std::optional<std::string> harden_set_cookie(std::string_view value, const CookieFlags& flags,
                                             bool https);

class CookiesGuard : public gateway::Guard {
 public:
  explicit CookiesGuard(CookiesSettings s) : s_(std::move(s)) {}
  std::string_view name() const override { return "cookies"; }
  void on_response(gateway::Exchange& ex, http::ResponseHead& resp) const override;

  static std::unique_ptr<gateway::Guard> build(const std::vector<ConfigNode>& layers,
                                               const gateway::GuardContext& ctx);

 private:
  const CookieFlags& flags_for(std::string_view cookie_name) const;
  CookiesSettings s_;
};

}  // namespace rampart::guards
