#include "http/hop_by_hop.h"

#include <string>
#include <vector>

#include "common/strings.h"

namespace rampart::http {
namespace {

struct Entry {
  std::string_view name;
  FieldRole role;
};

constexpr Entry kTable[] = {
    {"connection", FieldRole::kHopByHop},
    {"keep-alive", FieldRole::kHopByHop},
    {"proxy-connection", FieldRole::kHopByHop},
    {"proxy-authenticate", FieldRole::kHopByHop},
    {"proxy-authorization", FieldRole::kHopByHop},
    {"te", FieldRole::kHopByHop},
    {"trailer", FieldRole::kHopByHop},
    {"upgrade", FieldRole::kHopByHop},
    {"content-length", FieldRole::kFraming},
    {"transfer-encoding", FieldRole::kFraming},
    {"x-forwarded-for", FieldRole::kForwarding},
    {"x-forwarded-proto", FieldRole::kForwarding},
    {"x-forwarded-host", FieldRole::kForwarding},
    {"x-forwarded-port", FieldRole::kForwarding},
    {"forwarded", FieldRole::kForwarding},
    {"x-real-ip", FieldRole::kForwarding},
};

}  // namespace

FieldRole field_role(std::string_view name) {
  for (const Entry& e : kTable) {
    if (e.name.size() == name.size() && iequals(e.name, name)) return e.role;
  }
  return FieldRole::kEndToEnd;
}

void strip_hop_by_hop(Headers& headers, bool request) {
  std::vector<std::string> named;
  for (std::string_view v : headers.get_all("Connection")) {
    for (std::string_view t : split_trimmed(v, ',')) named.emplace_back(t);
  }
  headers.remove_if([&](FieldView f) {
    FieldRole role = field_role(f.name);
    if (role == FieldRole::kHopByHop || role == FieldRole::kFraming) return true;
    if (role == FieldRole::kForwarding && request) return true;
    for (const auto& n : named) {
      if (iequals(n, f.name)) return true;
    }
    return false;
  });
}

}  // namespace rampart::http
