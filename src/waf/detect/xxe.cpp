// XML external entities: a DOCTYPE that declares entities with SYSTEM or PUBLIC identifiers,
// parameter entities, or an external DTD. Nothing here resolves an entity.

#include "waf/detect/detector.h"

namespace rampart::waf {

void detect_xxe(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  size_t d = t.find("<!doctype");
  size_t e = t.find("<!entity");
  if (e != std::string_view::npos) {
    std::string_view decl = t.substr(e, 400);
    bool external = decl.find("system") != std::string_view::npos ||
                    decl.find("public") != std::string_view::npos;
    bool parameter = decl.find('%') != std::string_view::npos;
    if (external || parameter) {
      out.push_back(Hit{AttackClass::kXxe, 10, kCertain, d != std::string_view::npos ? d : e,
                        t.size(), "external entity"});
    } else {
      out.push_back(Hit{AttackClass::kXxe, 7, kLikely, e, t.size(), "entity declaration"});
    }
    return;
  }
  if (d != std::string_view::npos) {
    std::string_view decl = t.substr(d, 400);
    if (decl.find("system") != std::string_view::npos ||
        decl.find("public") != std::string_view::npos) {
      out.push_back(Hit{AttackClass::kXxe, 8, kCertain, d, t.size(), "external DTD"});
    }
    return;
  }
  size_t x = t.find("xi:include");
  if (x == std::string_view::npos) x = t.find("xmlns:xi=");
  if (x != std::string_view::npos) {
    out.push_back(Hit{AttackClass::kXxe, 7, kLikely, x, t.size(), "xinclude"});
  }
}

}  // namespace rampart::waf
