#include "guards/headers/headers_guard.h"

#include "common/strings.h"
#include "gateway/guard_registry.h"

namespace rampart::guards {

void HeadersSettings::read(const ConfigNode& n) {
  n.only_keys({"enabled", "mode", "hsts", "csp", "csp_report_only", "referrer_policy",
               "permissions_policy", "cross_origin_opener_policy", "cross_origin_resource_policy",
               "content_type_options", "remove", "override"});
  ConfigNode h = n.child("hsts");
  if (h.defined()) {
    if (h.is_scalar()) {
      hsts = n.get_bool("hsts", hsts);
    } else if (h.expect_map()) {
      h.only_keys({"enabled", "max_age", "include_subdomains", "preload"});
      hsts = h.get_bool("enabled", true);
      hsts_max_age = h.get_int("max_age", hsts_max_age, 0, 2 * 31'536'000LL);
      hsts_include_subdomains = h.get_bool("include_subdomains", hsts_include_subdomains);
      hsts_preload = h.get_bool("preload", hsts_preload);
      if (hsts_preload && (hsts_max_age < 31'536'000 || !hsts_include_subdomains)) {
        h.error("preload needs max_age of at least 31536000 and include_subdomains: true");
      }
    }
  }
  csp = n.get_string("csp", csp);
  csp_report_only = n.get_bool("csp_report_only", csp_report_only);
  referrer_policy = n.get_string("referrer_policy", referrer_policy);
  permissions_policy = n.get_string("permissions_policy", permissions_policy);
  cross_origin_opener_policy =
      n.get_string("cross_origin_opener_policy", cross_origin_opener_policy);
  cross_origin_resource_policy =
      n.get_string("cross_origin_resource_policy", cross_origin_resource_policy);
  content_type_options = n.get_string("content_type_options", content_type_options);
  if (n.child("remove").defined()) remove = n.get_string_list("remove");
  override_app = n.get_bool("override", override_app);
  for (const std::string* v :
       {&csp, &referrer_policy, &permissions_policy, &cross_origin_opener_policy,
        &cross_origin_resource_policy, &content_type_options}) {
    if (v->find_first_of("\r\n") != std::string::npos)
      n.error("header values cannot contain line breaks");
  }
}

HeadersGuard::HeadersGuard(HeadersSettings s) : s_(std::move(s)) {
  if (s_.hsts) {
    hsts_value_ = "max-age=" + std::to_string(s_.hsts_max_age);
    if (s_.hsts_include_subdomains) hsts_value_ += "; includeSubDomains";
    if (s_.hsts_preload) hsts_value_ += "; preload";
  }
  auto add = [&](const char* name, const std::string& value) {
    if (!value.empty()) fixed_.push_back({name, value});
  };
  add(s_.csp_report_only ? "Content-Security-Policy-Report-Only" : "Content-Security-Policy",
      s_.csp);
  add("X-Content-Type-Options", s_.content_type_options);
  add("Referrer-Policy", s_.referrer_policy);
  add("Permissions-Policy", s_.permissions_policy);
  add("Cross-Origin-Opener-Policy", s_.cross_origin_opener_policy);
  add("Cross-Origin-Resource-Policy", s_.cross_origin_resource_policy);
}

void HeadersGuard::on_response(gateway::Exchange& ex, http::ResponseHead& resp) const {
  if (!s_.remove.empty()) {
    resp.headers.remove_if([&](http::FieldView f) {
      for (const auto& name : s_.remove) {
        if (iequals(f.name, name)) return true;
      }
      return false;
    });
  }
  if (!hsts_value_.empty() && ex.https())
    resp.headers.set("Strict-Transport-Security", hsts_value_);
  if (s_.override_app) {
    for (const auto& f : fixed_) resp.headers.set(f.name, f.value);
    return;
  }
  // One pass over the response to see which of the headers the application set itself.
  uint32_t present = 0;
  for (const auto& h : resp.headers) {
    for (size_t i = 0; i < fixed_.size(); ++i) {
      if (iequals(h.name, fixed_[i].name)) present |= 1u << i;
    }
  }
  for (size_t i = 0; i < fixed_.size(); ++i) {
    if ((present & (1u << i)) == 0) resp.headers.add(fixed_[i].name, fixed_[i].value);
  }
}

std::unique_ptr<gateway::Guard> HeadersGuard::build(const std::vector<ConfigNode>& layers,
                                                    const gateway::GuardContext&) {
  HeadersSettings s;
  for (const auto& l : layers) s.read(l);
  return std::make_unique<HeadersGuard>(std::move(s));
}

}  // namespace rampart::guards
