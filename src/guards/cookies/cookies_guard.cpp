#include "guards/cookies/cookies_guard.h"

#include "common/strings.h"
#include "guards/common.h"
#include "http/set_cookie.h"

namespace rampart::guards {
namespace {

void read_flags(const ConfigNode& n, CookieFlags& f) {
  f.secure = n.get_bool("secure", f.secure);
  f.http_only = n.get_bool("httponly", f.http_only);
  ConfigNode ss = n.child("samesite");
  if (ss.defined()) {
    std::string v = to_lower(n.get_string("samesite"));
    if (v == "lax") {
      f.same_site = "Lax";
    } else if (v == "strict") {
      f.same_site = "Strict";
    } else if (v == "none") {
      f.same_site = "None";
    } else if (v == "off" || v == "false") {
      f.same_site.clear();
    } else {
      ss.error("expected Lax, Strict, None or off, got " + quote_for_message(v));
    }
  }
}

}  // namespace

void CookiesSettings::read(const ConfigNode& n) {
  n.only_keys({"enabled", "mode", "secure", "httponly", "samesite", "overrides"});
  if (n.child("mode").defined()) monitor = read_mode({n}) == Mode::kMonitor;
  read_flags(n, defaults);
  script_readable = defaults;
  script_readable.http_only = false;
  ConfigNode o = n.child("overrides");
  if (o.expect_map()) {
    for (const auto& name : o.keys()) {
      ConfigNode c = o.child(name);
      if (!c.expect_map()) continue;
      c.only_keys({"secure", "httponly", "samesite"});
      auto it = overrides.find(name);
      CookieFlags f = it != overrides.end() ? it->second : default_for(name);
      read_flags(c, f);
      overrides[name] = f;
    }
  }
}

std::optional<std::string> harden_set_cookie(std::string_view value, const CookieFlags& flags,
                                             bool https) {
  auto view = http::parse_set_cookie(value);
  if (!view) return std::nullopt;
  std::string out(trim(value));
  while (!out.empty() && (out.back() == ';' || out.back() == ' ')) out.pop_back();
  bool same_site_none = view->has_same_site && iequals(view->same_site, "none");
  if (!view->has_same_site && !flags.same_site.empty()) {
    out += "; SameSite=" + flags.same_site;
    same_site_none = flags.same_site == "None";
  }
  // Browsers refuse SameSite=None without Secure.
  if (!view->secure && https && (flags.secure || same_site_none)) out += "; Secure";
  if (!view->http_only && flags.http_only) out += "; HttpOnly";
  return out;
}

const CookieFlags& CookiesSettings::default_for(std::string_view cookie_name) const {
  for (std::string_view readable : kScriptReadableCookies) {
    if (cookie_name == readable) return script_readable;
  }
  return defaults;
}

const CookieFlags& CookiesGuard::flags_for(std::string_view cookie_name) const {
  auto it = s_.overrides.find(cookie_name);
  return it != s_.overrides.end() ? it->second : s_.default_for(cookie_name);
}

void CookiesGuard::on_response(gateway::Exchange& ex, http::ResponseHead& resp) const {
  for (size_t i = 0; i < resp.headers.size(); ++i) {
    http::FieldView f = resp.headers.at(i);
    if (!iequals(f.name, "set-cookie")) continue;
    auto view = http::parse_set_cookie(f.value);
    if (!view) {
      ex.add_event({"cookies", "malformed_set_cookie", gateway::Action::kLogged,
                    "response.header.Set-Cookie",
                    "a Set-Cookie that is not a cookie passed unchanged"});
      continue;
    }
    auto hardened = harden_set_cookie(f.value, flags_for(view->name), ex.https());
    if (!hardened || *hardened == f.value) continue;
    if (s_.monitor) {
      ex.add_event({"cookies", "cookie_flags_missing", gateway::Action::kLogged,
                    "response.header.Set-Cookie",
                    "cookie '" + std::string(view->name) + "' lacks Secure, HttpOnly or SameSite"});
      continue;
    }
    resp.headers.set_value(i, *hardened);
  }
}

std::unique_ptr<gateway::Guard> CookiesGuard::build(const std::vector<ConfigNode>& layers,
                                                    const gateway::GuardContext&) {
  CookiesSettings s;
  for (const auto& l : layers) s.read(l);
  return std::make_unique<CookiesGuard>(std::move(s));
}

}  // namespace rampart::guards
