// LDAP filter injection: a value that closes the application's filter and opens its own
// ("*)(uid=*))(|(uid=*", "admin)(&)"), or brings a complete filter with LDAP attributes.

#include "waf/detect/detector.h"

namespace rampart::waf {
namespace {

constexpr std::string_view kAttributes[] = {
    "objectclass",     "uid",      "cn",  "sn", "mail",      "userpassword",
    "samaccountname",  "memberof", "ou",  "dc", "givenname", "description",
    "telephonenumber", "member",   "name"};

}  // namespace

void detect_ldap(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  if (t.find('(') == std::string_view::npos && t.find(')') == std::string_view::npos) return;
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
