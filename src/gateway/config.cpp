#include "gateway/config.h"

#include <cstdlib>

#include "common/config_node.h"
#include "common/strings.h"

namespace rampart::gateway {
namespace {

bool split_host_port(std::string_view text, std::string& host, uint16_t& port) {
  size_t colon;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return false;
    }
    host.assign(text.substr(1, close - 1));
    colon = close + 1;
  } else {
    colon = text.rfind(':');
    if (colon == std::string_view::npos) return false;
    host.assign(text.substr(0, colon));
    if (host.find(':') != std::string::npos) return false;  // IPv6 needs brackets
  }
  auto p = parse_u64(text.substr(colon + 1));
  if (!p || *p == 0 || *p > 65535) return false;
  port = uint16_t(*p);
  return true;
}

std::string default_state_dir() {
  if (const char* x = std::getenv("XDG_STATE_HOME"); x != nullptr && *x != '\0') {
    return std::string(x) + "/rampart";
  }
  if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0') {
    return std::string(h) + "/.local/state/rampart";
  }
  return "/var/lib/rampart";
}

// `state: memory`, `state: redis://...`, or a mapping with `url` and the finer settings.
void parse_state(const ConfigNode& node, state::StateOptions& out) {
  if (!node.defined()) return;
  std::string err;
  if (node.is_scalar()) {
    if (!state::parse_state_url(node.scalar(), out, err)) node.error(err);
    return;
  }
  if (!node.expect_map()) return;
  node.only_keys({"url", "fail", "timeout", "max_keys", "max_bans", "key_prefix"});
  if (node.child("url").defined() && !state::parse_state_url(node.get_string("url"), out, err)) {
    node.child("url").error(err);
  }
  out.fail_open = node.get_choice("fail", "open", {"open", "closed"}) == "open";
  auto timeout =
      node.get_duration("timeout", std::chrono::duration_cast<milliseconds>(out.timeout));
  if (timeout.count() < 1 || timeout.count() > 10'000) {
    node.child("timeout").error("expected a time from 1ms to 10s");
  } else {
    out.timeout = timeout;
  }
  out.memory.max_entries =
      uint64_t(node.get_int("max_keys", int64_t(out.memory.max_entries), 1000, 1'000'000'000));
  out.memory.max_bans =
      uint64_t(node.get_int("max_bans", int64_t(out.memory.max_bans), 10, 100'000'000));
  out.key_prefix = node.get_string("key_prefix", out.key_prefix);
}

}  // namespace

bool GatewayConfig::any_tls_listener() const {
  for (const auto& l : listeners) {
    if (l.tls) return true;
  }
  return false;
}

bool parse_listen(std::string_view text, ListenSpec& out, std::string& error) {
  out.text.assign(text);
  std::string_view rest = trim(text);
  out.tls = true;
  if (istarts_with(rest, "https://")) {
    rest.remove_prefix(8);
  } else if (istarts_with(rest, "http://")) {
    rest.remove_prefix(7);
    out.tls = false;
  } else if (rest.find("://") != std::string_view::npos) {
    error = "expected an address such as :8443, 127.0.0.1:8443 or http://127.0.0.1:8080, got " +
            quote_for_message(text);
    return false;
  }
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (!split_host_port(rest, out.host, out.port)) {
    error = "expected an address such as :8443, 127.0.0.1:8443 or http://127.0.0.1:8080, got " +
            quote_for_message(text);
    return false;
  }
  if (!out.host.empty() && !http::IpAddress::parse(out.host) && out.host != "localhost") {
    error =
        "expected an IP address to listen on (or none for all), got " + quote_for_message(out.host);
    return false;
  }
  return true;
}

bool parse_upstream(std::string_view text, UpstreamSpec& out, std::string& error) {
  out.text.assign(text);
  std::string_view rest = trim(text);
  if (!istarts_with(rest, "http://")) {
    error =
        "expected an upstream URL such as http://127.0.0.1:8000, got " + quote_for_message(text);
    return false;
  }
  rest.remove_prefix(7);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (!split_host_port(rest, out.host, out.port) || out.host.empty()) {
    error = "expected an upstream URL with a host and a port, such as http://127.0.0.1:8000, got " +
            quote_for_message(text);
    return false;
  }
  return true;
}

StatusOr<GatewayConfig> parse_gateway_config(const YAML::Node& root, const std::string& source) {
  ConfigErrors errors(source);
  ConfigNode top(root, "", &errors);
  GatewayConfig cfg;
  cfg.source = source;
  if (!root.IsMap()) {
    errors.add(root.Mark(), "",
               "expected a mapping of settings, such as 'upstream: http://127.0.0.1:8000'");
    return errors.to_status();
  }
  top.only_keys({"upstream", "upstreams", "listen", "domains", "tls", "trusted_proxies", "threads",
                 "limits", "timeouts", "guards", "routes", "state", "admin_socket"});

  // Upstreams: one or a list.
  std::vector<std::string> ups = top.get_string_list("upstreams");
  for (auto& u : top.get_string_list("upstream")) ups.push_back(u);
  ConfigNode up_node =
      top.child("upstreams").defined() ? top.child("upstreams") : top.child("upstream");
  if (ups.empty()) {
    errors.add(root.Mark(), "upstream",
               "missing: name the application, such as 'upstream: http://127.0.0.1:8000'");
  }
  for (const auto& u : ups) {
    UpstreamSpec spec;
    std::string err;
    if (parse_upstream(u, spec, err)) {
      cfg.upstreams.push_back(spec);
    } else {
      up_node.error(err);
    }
  }

  ConfigNode listen = top.child("listen");
  std::vector<std::string> listens = top.get_string_list("listen");
  if (listens.empty()) listens.push_back(":8443");
  for (const auto& l : listens) {
    ListenSpec spec;
    std::string err;
    if (parse_listen(l, spec, err)) {
      cfg.listeners.push_back(spec);
    } else {
      listen.error(err);
    }
  }
  for (auto& l : cfg.listeners) l.redirect_to_https = !l.tls && cfg.any_tls_listener();

  for (const auto& d : top.get_string_list("domains")) cfg.domains.push_back(to_lower(trim(d)));

  ConfigNode tls = top.child("tls");
  if (tls.expect_map()) {
    tls.only_keys({"certificates", "self_signed", "state_dir"});
    cfg.tls.self_signed = tls.get_bool("self_signed", true);
    cfg.tls.state_dir = tls.get_string("state_dir", default_state_dir());
    ConfigNode certs = tls.child("certificates");
    if (certs.expect_sequence()) {
      for (size_t i = 0; i < certs.size(); ++i) {
        ConfigNode c = certs.at(i);
        if (!c.expect_map()) continue;
        c.only_keys({"cert", "key"});
        CertificateSpec spec{c.get_string("cert"), c.get_string("key")};
        if (spec.cert_file.empty())
          c.error("missing 'cert': the PEM file of the certificate and its chain");
        if (spec.key_file.empty()) c.error("missing 'key': the PEM file of the private key");
        cfg.tls.certificates.push_back(spec);
      }
    }
  }

  ConfigNode tp = top.child("trusted_proxies");
  for (const auto& t : top.get_string_list("trusted_proxies")) {
    auto c = http::Cidr::parse(t);
    if (!c) {
      tp.error("expected an address or block such as 10.0.0.0/8 or ::1, got " +
               quote_for_message(t));
      continue;
    }
    cfg.trusted_proxies.add(*c);
  }
  cfg.threads = int(top.get_int("threads", 0, 0, 256));

  ConfigNode lim = top.child("limits");
  if (lim.expect_map()) {
    lim.only_keys({"max_head_size", "max_headers", "max_uri_length", "max_body_size",
                   "max_connections", "max_connections_per_client"});
    cfg.limits.max_connections_per_client =
        uint64_t(lim.get_int("max_connections_per_client",
                             int64_t(cfg.limits.max_connections_per_client), 0, 10'000'000));
    cfg.limits.max_head_size = lim.get_size("max_head_size", cfg.limits.max_head_size);
    cfg.limits.max_headers =
        uint64_t(lim.get_int("max_headers", int64_t(cfg.limits.max_headers), 1, 10000));
    cfg.limits.max_uri_length = lim.get_size("max_uri_length", cfg.limits.max_uri_length);
    cfg.limits.max_body_size = lim.get_size("max_body_size", cfg.limits.max_body_size);
    cfg.limits.max_connections = uint64_t(
        lim.get_int("max_connections", int64_t(cfg.limits.max_connections), 1, 10'000'000));
    if (cfg.limits.max_head_size < 1024) lim.child("max_head_size").error("must be at least 1KiB");
    if (cfg.limits.max_uri_length >= cfg.limits.max_head_size) {
      lim.child("max_uri_length").error("must be smaller than max_head_size");
    }
  }

  ConfigNode to = top.child("timeouts");
  if (to.expect_map()) {
    to.only_keys({"head", "body", "keep_alive", "upstream_connect", "upstream_response", "drain",
                  "websocket_idle"});
    auto& t = cfg.timeouts;
    t.head = to.get_duration("head", t.head);
    t.body = to.get_duration("body", t.body);
    t.keep_alive = to.get_duration("keep_alive", t.keep_alive);
    t.upstream_connect = to.get_duration("upstream_connect", t.upstream_connect);
    t.upstream_response = to.get_duration("upstream_response", t.upstream_response);
    t.drain = to.get_duration("drain", t.drain);
    t.websocket_idle = to.get_duration("websocket_idle", t.websocket_idle);
  }

  parse_state(top.child("state"), cfg.state);
  cfg.admin_socket = top.get_string(
      "admin_socket",
      (cfg.tls.state_dir.empty() ? default_state_dir() : cfg.tls.state_dir) + "/admin.sock");
  if (cfg.admin_socket == "off" || cfg.admin_socket == "false") cfg.admin_socket.clear();

  ConfigNode guards = top.child("guards");
  if (guards.expect_map()) cfg.guards = guards.yaml();

  ConfigNode routes = top.child("routes");
  if (routes.expect_sequence()) {
    for (size_t i = 0; i < routes.size(); ++i) {
      ConfigNode r = routes.at(i);
      if (!r.expect_map()) continue;
      r.only_keys({"path", "guards"});
      RouteSpec spec;
      spec.prefix = r.get_string("path");
      spec.line = r.line();
      if (spec.prefix.empty() || spec.prefix[0] != '/') {
        r.child("path").defined()
            ? r.child("path").error("expected a path prefix starting with '/'")
            : r.error("missing 'path': the path prefix this route applies to");
        continue;
      }
      ConfigNode g = r.child("guards");
      if (g.expect_map()) spec.guards = g.yaml();
      cfg.routes.push_back(std::move(spec));
    }
  }

  if (!errors.empty()) return errors.to_status();
  return cfg;
}

StatusOr<GatewayConfig> load_gateway_config(const std::string& path) {
  auto doc = load_yaml_file(path);
  if (!doc.ok()) return doc.status();
  return parse_gateway_config(*doc, path);
}

}  // namespace rampart::gateway
