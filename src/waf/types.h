#pragma once
// The vocabulary of the detection library: attack classes, request parts and findings.

#include <cstdint>
#include <string>
#include <string_view>

namespace rampart::waf {

// One detector per class; a Policy sets a sensitivity per class.
enum class AttackClass : uint8_t {
  kSqli,
  kXss,
  kPathTraversal,      // ../ sequences and sensitive local files (LFI)
  kRemoteInclusion,    // URLs to remote code in include-like arguments (RFI)
  kCommandInjection,   // shell syntax followed by commands
  kPhpInjection,       // PHP tags, functions, wrappers and serialized objects
  kTemplateInjection,  // Jinja2, Mako and Django template syntax
  kCodeInjection,      // Node.js / prototype pollution and other generic code payloads
  kSsrf,
  kNoSql,
  kCrlf,
  kXxe,
  kLdap,
  kJndi,
  kProtocol,  // control characters, over-long arguments, malformed bodies
};
inline constexpr int kAttackClassCount = 15;

// Stable machine-readable names ("sqli", "xss", ...), used in events and configuration.
std::string_view attack_class_name(AttackClass c);
bool attack_class_from_name(std::string_view name, AttackClass* out);

// Where in the request a value came from.
enum class Part : uint8_t {
  kPath,           // one path segment
  kQuery,          // a query argument (name or value)
  kHeader,         // a header value (Cookie is split into kCookie)
  kCookie,         // a cookie (name or value)
  kBodyForm,       // application/x-www-form-urlencoded field
  kBodyMultipart,  // multipart/form-data field value, name or file name
  kBodyJson,       // a JSON string or key
  kBodyXml,        // XML text or attribute value
  kBodyRaw,        // any other body, inspected as text
};
std::string_view part_name(Part p);  // "path", "query", "header", ..., "body-json"

struct Finding {
  AttackClass attack = AttackClass::kSqli;
  int score = 0;
  Part part = Part::kQuery;
  std::string name;      // argument, header or cookie name; JSON path; empty for the path
  bool in_name = false;  // the name itself, not the value, matched
  std::string fragment;  // the decoded text that matched (cut to kMaxFragment bytes)
  std::string reason;    // short, fixed text: "union select", "event handler attribute"
};

inline constexpr size_t kMaxFragment = 120;

}  // namespace rampart::waf
