#include "guards/waf/waf_guard.h"

#include <openssl/rand.h>

#include <mutex>

#include "common/logging.h"
#include "common/strings.h"
#include "guards/common.h"

namespace rampart::guards {
namespace {

// The inspector compiles its signature database once per process; every configuration and
// route shares it (it is immutable and thread-safe).
std::shared_ptr<const waf::Inspector> shared_inspector(std::string& error) {
  static std::mutex mutex;
  static std::shared_ptr<const waf::Inspector> instance;
  std::lock_guard<std::mutex> lock(mutex);
  if (!instance) {
    auto made = waf::Inspector::create();
    if (!made.ok()) {
      error = made.status().message();
      return nullptr;
    }
    instance = std::shared_ptr<const waf::Inspector>(std::move(*made));
  }
  return instance;
}

bool part_from_name(std::string_view name, waf::Part* out) {
  for (int i = 0; i <= int(waf::Part::kBodyRaw); ++i) {
    if (waf::part_name(waf::Part(i)) == name) {
      *out = waf::Part(i);
      return true;
    }
  }
  return false;
}

std::string event_id() {
  unsigned char raw[8];
  if (RAND_bytes(raw, sizeof raw) != 1) return "0000000000000000";
  static const char* kHex = "0123456789abcdef";
  std::string id;
  for (unsigned char c : raw) {
    id += kHex[c >> 4];
    id += kHex[c & 15];
  }
  return id;
}

}  // namespace

WafSettings::WafSettings() {
  // The gateway's own limits already answer over-long URIs and headers (414, 431); in a body a
  // large field (a long comment, an image as base64 in JSON) is ordinary, so the argument-length
  // anomaly starts where the inspected body ends.
  policy.max_argument_length = policy.body_limit;
}

void WafSettings::read(const ConfigNode& n) {
  n.only_keys({"enabled", "mode", "threshold", "body_limit", "max_argument_length", "sensitivity",
               "exclusions", "allow", "binary_types"});
  if (n.child("binary_types").defined()) binary_types = n.get_string_list("binary_types");
  policy.max_argument_length =
      size_t(n.get_size("max_argument_length", policy.max_argument_length));
  if (n.child("mode").defined()) monitor = read_mode({n}) == Mode::kMonitor;
  policy.threshold = int(n.get_int("threshold", policy.threshold, 1, 100));
  policy.body_limit = size_t(n.get_size("body_limit", policy.body_limit));
  ConfigNode sens = n.child("sensitivity");
  if (sens.expect_map()) {
    for (const auto& key : sens.keys()) {
      waf::AttackClass c;
      if (!waf::attack_class_from_name(key, &c)) {
        std::string names;
        for (int i = 0; i < waf::kAttackClassCount; ++i) {
          names += (i ? ", " : "") + std::string(waf::attack_class_name(waf::AttackClass(i)));
        }
        sens.child(key).error("unknown detector; the detectors are: " + names);
        continue;
      }
      policy.set_level(c, int(sens.get_int(key, policy.level(c), 0, 3)));
    }
  }
  ConfigNode ex = n.child("exclusions");
  if (ex.expect_sequence()) {
    for (size_t i = 0; i < ex.size(); ++i) {
      ConfigNode e = ex.at(i);
      if (!e.expect_map()) continue;
      e.only_keys({"part", "name", "detector"});
      waf::Exclusion x;
      x.name = e.get_string("name");
      if (x.name.empty())
        e.error("missing 'name': the argument, header or cookie to exclude ('*' for all)");
      if (e.child("part").defined()) {
        waf::Part part;
        if (part_from_name(e.get_string("part"), &part)) {
          x.part = part;
        } else {
          e.child("part").error(
              "expected one of path, query, header, cookie, body-form, "
              "body-multipart, body-json, body-xml, body-raw");
        }
      }
      if (e.child("detector").defined()) {
        waf::AttackClass c;
        if (waf::attack_class_from_name(e.get_string("detector"), &c)) {
          x.attack = c;
        } else {
          e.child("detector")
              .error("unknown detector " + quote_for_message(e.get_string("detector")));
        }
      }
      policy.exclusions.push_back(std::move(x));
    }
  }
  ConfigNode allow_node = n.child("allow");
  for (const auto& a : n.get_string_list("allow")) {
    auto c = http::Cidr::parse(a);
    if (c) {
      allow.add(*c);
    } else {
      allow_node.error("expected an address or block such as 10.0.0.0/8, got " +
                       quote_for_message(a));
    }
  }
  Status st = policy.validate();
  if (!st.ok()) n.error(st.message());
}

bool WafGuard::has_body(const gateway::Exchange& ex) const {
  const auto& h = ex.request.headers;
  if (h.has("Transfer-Encoding")) return true;
  auto cl = h.get("Content-Length");
  return cl && trim(*cl) != "0";
}

std::optional<gateway::Reply> WafGuard::on_request(gateway::Exchange& ex) const {
  // A body to inspect: judged with it, in on_request_body. A binary one: the head alone.
  if (has_body(ex) && !binary_body(ex)) return std::nullopt;
  return judge(ex, {}, true);
}

bool WafGuard::binary_body(const gateway::Exchange& ex) const {
  auto ct = ex.request.headers.get("Content-Type");
  if (!ct) return false;
  std::string_view type = trim(ct->substr(0, ct->find(';')));
  for (const auto& b : s_.binary_types) {
    if (b.ends_with('/') ? istarts_with(type, b) : iequals(type, b)) return true;
  }
  return false;
}

uint64_t WafGuard::request_body_wanted(const gateway::Exchange& ex) const {
  if (!s_.allow.empty() && s_.allow.contains(ex.client.address)) return 0;
  return has_body(ex) && !binary_body(ex) ? s_.policy.body_limit : 0;
}

std::optional<gateway::Reply> WafGuard::on_request_body(gateway::Exchange& ex,
                                                        std::string_view body,
                                                        bool complete) const {
  return judge(ex, body, complete);
}

std::optional<gateway::Reply> WafGuard::judge(gateway::Exchange& ex, std::string_view body,
                                              bool body_complete) const {
  if (!s_.allow.empty() && s_.allow.contains(ex.client.address)) return std::nullopt;
  waf::Request req;
  req.method = ex.request.method;
  req.set_target(ex.request.target);
  req.headers.reserve(ex.request.headers.size());
  for (const auto& f : ex.request.headers) req.headers.emplace_back(f.name, f.value);
  req.body = body;
  waf::Result result = inspector_->inspect(req, s_.policy);
  if (!body_complete || result.uninspected_body_bytes > 0) {
    ex.add_event({"waf", "body_not_inspected", gateway::Action::kLogged, "request.body",
                  "the body is longer than body_limit; the rest was not inspected"});
  }
  if (!result.attack()) return std::nullopt;
  const gateway::Action action = s_.monitor ? gateway::Action::kLogged : gateway::Action::kBlocked;
  std::string id = event_id();
  for (const auto& f : result.findings) {
    std::string part = "request." + std::string(waf::part_name(f.part));
    if (!f.name.empty()) part += (f.in_name ? ".name:" : ":") + f.name;
    ex.add_event(
        {"waf", std::string(waf::attack_class_name(f.attack)), action, part,
         f.reason + " (score " + std::to_string(f.score) + ", event " + id + "): " + f.fragment});
  }
  if (s_.monitor) return std::nullopt;
  gateway::Reply reply;
  reply.status = 403;
  reply.reason = "waf_blocked";
  reply.body =
      "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>403 Forbidden</title>"
      "</head>\n<body><h1>403 Forbidden</h1>\n<p>The request was refused. Event id: " +
      id + "</p></body></html>\n";
  reply.headers.add("X-Rampart-Event", id);
  return reply;
}

std::unique_ptr<gateway::Guard> WafGuard::build(const std::vector<ConfigNode>& layers,
                                                const gateway::GuardContext&) {
  WafSettings s;
  for (const auto& l : layers) s.read(l);
  std::string error;
  auto inspector = shared_inspector(error);
  if (!inspector) {
    if (!layers.empty()) {
      layers.front().error("the WAF cannot start: " + error);
    } else {
      log_error("the WAF cannot start: " + error);
    }
    return nullptr;
  }
  return std::make_unique<WafGuard>(std::move(s), std::move(inspector));
}

}  // namespace rampart::guards
