#include "http/hop_by_hop.h"

#include <cstdint>
#include <string>

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

// The lengths and first letters of the table's names: most fields fail one of these two tests
// and never reach the string comparisons (this runs for every field of every message).
constexpr uint32_t kLengths = [] {
  uint32_t m = 0;
  for (const Entry& e : kTable) m |= 1u << e.name.size();
  return m;
}();
// Bit (c - 'a') for each first letter; every name of the table starts with a letter.
constexpr uint32_t kFirstLetters = [] {
  uint32_t m = 0;
  for (const Entry& e : kTable) m |= 1u << (e.name[0] - 'a');
  return m;
}();
bool first_letter_known(char c) {
  c = ascii_lower(c);
  return c >= 'a' && c <= 'z' && (kFirstLetters >> (c - 'a') & 1u) != 0;
}

}  // namespace

FieldRole field_role(std::string_view name) {
  if (name.size() >= 32 || (kLengths >> name.size() & 1u) == 0) return FieldRole::kEndToEnd;
  if (!first_letter_known(name[0])) return FieldRole::kEndToEnd;
  for (const Entry& e : kTable) {
    if (e.name.size() == name.size() && iequals(e.name, name)) return e.role;
  }
  return FieldRole::kEndToEnd;
}

void strip_hop_by_hop(Headers& headers, bool request) {
  // The tokens of Connection other than close and keep-alive name further fields to drop; most
  // messages carry none, so they are gathered (as views into a copy) only when there are some.
  std::string named_text;
  for (FieldView f : headers) {
    if (f.name.size() != 10 || !iequals(f.name, "connection")) continue;
    for_each_token(f.value, [&](std::string_view t) {
      if (iequals(t, "close") || iequals(t, "keep-alive")) return;
      named_text.append(t);
      named_text += ',';
    });
  }
  headers.remove_if([&](FieldView f) {
    FieldRole role = field_role(f.name);
    if (role == FieldRole::kHopByHop || role == FieldRole::kFraming) return true;
    if (role == FieldRole::kForwarding && request) return true;
    if (named_text.empty()) return false;
    bool hit = false;
    for_each_token(named_text, [&](std::string_view n) { hit = hit || iequals(n, f.name); });
    return hit;
  });
}

}  // namespace rampart::http
