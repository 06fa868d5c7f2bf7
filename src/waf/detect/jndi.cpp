// JNDI lookups (Log4Shell): "${jndi:ldap://...}" and its obfuscations with nested lookups,
// "${${lower:j}ndi:...}", "${${::-j}${::-n}di:...}", "${${env:X:-j}ndi:...}", which the detector
// resolves the way Log4j would before looking for "jndi:".

#include <string>

#include "waf/detect/detector.h"

namespace rampart::waf {
namespace {

// Replaces each innermost ${...} by what Log4j would substitute for it (its default value, the
// argument of lower/upper, or nothing); leaves ${jndi:...} itself in place.
std::string resolve_once(std::string_view t, bool* changed) {
  std::string out;
  size_t i = 0;
  while (i < t.size()) {
    size_t open = t.find("${", i);
    if (open == std::string_view::npos) break;
    size_t close = t.find('}', open + 2);
    if (close == std::string_view::npos) break;
    size_t inner = t.find("${", open + 2);
    if (inner != std::string_view::npos && inner < close) {
      out.append(t.substr(i, inner - i));
      i = inner;
      // Process from the inner one on the next iteration of this loop.
      size_t c2 = t.find('}', inner + 2);
      std::string_view body = t.substr(inner + 2, c2 - inner - 2);
      if (body.find("${") != std::string_view::npos) {
        out.append(t.substr(inner, 2));
        i = inner + 2;
        continue;
      }
      open = inner;
      close = c2;
    } else {
      out.append(t.substr(i, open - i));
    }
    std::string_view body = t.substr(open + 2, close - open - 2);
    if (body.substr(0, 5) == "jndi:") {
      out.append(t.substr(open, close - open + 1));
    } else {
      *changed = true;
      size_t def = body.find(":-");
      if (def != std::string_view::npos) {
        out.append(body.substr(def + 2));
      } else if (body.substr(0, 6) == "lower:" || body.substr(0, 6) == "upper:") {
        out.append(body.substr(6));
      } else if (body.substr(0, 5) == "date:") {
        std::string_view d = body.substr(5);
        for (char c : d) {
          if (c != '\'') out.push_back(c);
        }
      }
    }
    i = close + 1;
  }
  out.append(t.substr(std::min(i, t.size())));
  return out;
}

}  // namespace

void detect_jndi(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  size_t p = t.find("${");
  if (p == std::string_view::npos) return;
  std::string cur(t.substr(0, 4096));
  for (int round = 0; round < 16; ++round) {
    if (cur.find("${jndi:") != std::string::npos) {
      out.push_back(Hit{AttackClass::kJndi, 10, kCertain, p, t.size(), "jndi lookup"});
      return;
    }
    bool changed = false;
    std::string next = resolve_once(cur, &changed);
    if (!changed) break;
    cur = std::move(next);
  }
  if (cur.find("jndi:") != std::string::npos) {
    out.push_back(Hit{AttackClass::kJndi, 9, kCertain, p, t.size(), "obfuscated jndi lookup"});
  } else if (t.find("${env:") != std::string_view::npos ||
             t.find("${sys:") != std::string_view::npos ||
             t.find("${java:") != std::string_view::npos) {
    out.push_back(Hit{AttackClass::kJndi, 7, kLikely, p, t.size(), "log4j lookup"});
  }
}

}  // namespace rampart::waf
