#include "guards/session/client_binding.h"

#include <array>
#include <cstdio>

#include "common/strings.h"

namespace rampart::guards {
namespace {

bool has(std::string_view s, std::string_view needle) {
  return s.find(needle) != std::string_view::npos;
}

std::string_view browser_of(std::string_view ua) {
  // Order matters: Edge and Opera also say Chrome; Chrome also says Safari.
  struct Rule {
    std::string_view needle;
    std::string_view family;
  };
  static constexpr std::array<Rule, 14> kRules = {{
      {"Edg/", "Edge"},
      {"EdgA/", "Edge"},
      {"EdgiOS/", "Edge"},
      {"OPR/", "Opera"},
      {"SamsungBrowser/", "Samsung"},
      {"Firefox/", "Firefox"},
      {"FxiOS/", "Firefox"},
      {"CriOS/", "Chrome"},
      {"Chrome/", "Chrome"},
      {"Chromium/", "Chrome"},
      {"Safari/", "Safari"},
      {"curl/", "curl"},
      {"python-requests/", "python-requests"},
      {"Wget/", "Wget"},
  }};
  for (const auto& r : kRules) {
    if (has(ua, r.needle)) return r.family;
  }
  return "other";
}

std::string_view os_of(std::string_view ua) {
  if (has(ua, "Windows")) return "Windows";
  if (has(ua, "Android")) return "Android";
  if (has(ua, "iPhone") || has(ua, "iPad") || has(ua, "iPod")) return "iOS";
  if (has(ua, "CrOS")) return "ChromeOS";
  if (has(ua, "Mac OS X") || has(ua, "Macintosh")) return "macOS";
  if (has(ua, "Linux") || has(ua, "X11")) return "Linux";
  return "other";
}

}  // namespace

std::string client_network(const http::IpAddress& a) {
  const auto& b = a.bytes;
  char buf[64];
  if (a.is_v4()) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.0/24", b[12], b[13], b[14]);
  } else {
    std::snprintf(buf, sizeof buf, "%x:%x:%x:%x::/64", (b[0] << 8) | b[1], (b[2] << 8) | b[3],
                  (b[4] << 8) | b[5], (b[6] << 8) | b[7]);
  }
  return buf;
}

std::string user_agent_family(std::string_view ua) {
  std::string out(browser_of(ua));
  out += '/';
  out += os_of(ua);
  return out;
}

}  // namespace rampart::guards
