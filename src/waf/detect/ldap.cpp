// LDAP filter injection: a value that closes the application's filter and opens its own
// ("*)(uid=*))(|(uid=*", "admin)(&)"), or brings a complete filter with LDAP attributes.

#include "waf/detect/detector.h"

namespace rampart::waf {
namespace {

constexpr std::string_view kAttributes[] = {
    "objectclass",     "uid",      "cn",  "sn", "mail",      "userpassword",
    "samaccountname",  "memberof", "ou",  "dc", "givenname", "description",
    "telephonenumber", "member",   "name"};

// "(cn=a)(&(objectCategory=group)(x=1))": a value that opens with '(' and never closes more
// parentheses than it opened is one or more whole filters of its own. Put inside the
// application's "(attr=...)" it cannot close that filter, so it breaks nothing out.
bool self_contained_filters(std::string_view t) {
  size_t b = skip_spaces(t, 0);
  if (b >= t.size() || t[b] != '(') return false;
  int depth = 0;
  for (size_t i = b; i < t.size(); ++i) {
    if (t[i] == '\\') {
      ++i;  // an escaped character ("\\29") is not syntax
      continue;
    }
    if (t[i] == '(') ++depth;
    if (t[i] == ')' && --depth < 0) return false;
  }
  return depth == 0;
}

}  // namespace

void detect_ldap(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  if (t.find('(') == std::string_view::npos && t.find(')') == std::string_view::npos) return;
  if (self_contained_filters(t)) return;
  size_t p;
  for (std::string_view breakout :
       {std::string_view(")(|"), std::string_view(")(&"), std::string_view(")(!"),
        std::string_view("*)("), std::string_view("*))"), std::string_view("|(")}) {
    if ((p = t.find(breakout)) == std::string_view::npos) continue;
    // An attribute comparison must follow somewhere: "(uid=*", "(objectclass=*)".
    for (std::string_view a : kAttributes) {
      size_t q = t.find(a);
      while (q != std::string_view::npos) {
        size_t e = q + a.size();
        if ((q > 0 && (t[q - 1] == '(' || t[q - 1] == '|' || t[q - 1] == '&')) && e < t.size() &&
            (t[e] == '=' || (e + 1 < t.size() && (t[e] == '~' || t[e] == '>' || t[e] == '<') &&
                             t[e + 1] == '='))) {
          out.push_back(Hit{AttackClass::kLdap, 8, kCertain, p, t.size(), "ldap filter injection"});
          return;
        }
        q = t.find(a, q + 1);
      }
    }
    if (breakout == "*)(" || breakout == ")(|" || breakout == ")(&") {
      out.push_back(Hit{AttackClass::kLdap, 6, kLikely, p, t.size(), "ldap filter breakout"});
      return;
    }
  }
}

}  // namespace rampart::waf
