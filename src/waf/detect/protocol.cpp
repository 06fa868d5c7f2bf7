// Protocol anomalies in the parts that are single-line text by nature (path, query, headers,
// cookies): NUL bytes and other control characters, and percent-encodings used only for evasion
// (overlong UTF-8, %u escapes). Over-long arguments and excessive JSON depth are reported by the
// inspector, which enforces those limits.

#include "waf/detect/detector.h"

namespace rampart::waf {

void detect_protocol(const Scan& s, Hits& out) {
  bool line_part = s.part == Part::kPath || s.part == Part::kQuery || s.part == Part::kHeader ||
                   s.part == Part::kCookie;
  if (!line_part) return;
  std::string_view raw = s.raw;
  size_t p = raw.find('\0');
  if (p == std::string_view::npos) {
    size_t q = raw.find("%00");
    if (q != std::string_view::npos) p = q;
  }
  if (p != std::string_view::npos) {
    out.push_back(Hit{AttackClass::kProtocol, 6, kLikely, 0, s.text.size(), "null byte"});
    return;
  }
  // Other control characters are an anomaly, not an attack: the detectors that an evasion
  // with them aims at ("<scr\x01ipt>") see through them. ESC stays likely (terminal escape
  // sequences injected into logs and consoles); the rest are suspicious only (level 3).
  size_t first = std::string_view::npos;
  for (size_t i = 0; i < s.text.size(); ++i) {
    auto c = static_cast<unsigned char>(s.text[i]);
    if (c == 0x1B) {
      out.push_back(Hit{AttackClass::kProtocol, 5, kLikely, i, i + 20, "control character"});
      return;
    }
    if (first == std::string_view::npos &&
        ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F))
      first = i;
  }
  if (first != std::string_view::npos) {
    out.push_back(
        Hit{AttackClass::kProtocol, 5, kSuspicious, first, first + 20, "control character"});
    return;
  }
  for (std::string_view evasive :
       {std::string_view("%c0%"), std::string_view("%c1%"), std::string_view("%e0%80"),
        std::string_view("%u00"), std::string_view("%uff")}) {
    if (raw.find(evasive) == std::string_view::npos) continue;
    out.push_back(Hit{AttackClass::kProtocol, 5, kLikely, 0, s.text.size(), "evasive encoding"});
    return;
  }
}

}  // namespace rampart::waf
