#include "waf/types.h"

#include <array>

namespace rampart::waf {
namespace {

constexpr std::array<std::string_view, kAttackClassCount> kClassNames = {"sqli",
                                                                         "xss",
                                                                         "path-traversal",
                                                                         "remote-inclusion",
                                                                         "command-injection",
                                                                         "php-injection",
                                                                         "template-injection",
                                                                         "code-injection",
                                                                         "ssrf",
                                                                         "nosql",
                                                                         "crlf",
                                                                         "xxe",
                                                                         "ldap",
                                                                         "jndi",
                                                                         "protocol"};

}  // namespace

std::string_view attack_class_name(AttackClass c) { return kClassNames[size_t(c)]; }

bool attack_class_from_name(std::string_view name, AttackClass* out) {
  for (size_t i = 0; i < kClassNames.size(); ++i) {
    if (kClassNames[i] == name) {
      *out = AttackClass(i);
      return true;
    }
  }
  return false;
}

std::string_view part_name(Part p) {
  switch (p) {
    case Part::kPath:
      return "path";
    case Part::kQuery:
      return "query";
    case Part::kHeader:
      return "header";
    case Part::kCookie:
      return "cookie";
    case Part::kBodyForm:
      return "body-form";
    case Part::kBodyMultipart:
      return "body-multipart";
    case Part::kBodyJson:
      return "body-json";
    case Part::kBodyXml:
      return "body-xml";
    case Part::kBodyRaw:
      return "body-raw";
  }
  return "unknown";
}

}  // namespace rampart::waf
