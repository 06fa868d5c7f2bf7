// Remote file inclusion: a value that is a URL to code on another host, where the application
// may include it. Signs: an IP address as host, a trailing '?' or '#' that cuts off the suffix
// the application appends, an include-like argument name, or a PHP/data wrapper.

#include <algorithm>

#include "waf/detect/detector.h"
#include "waf/detect/url_parts.h"

namespace rampart::waf {
namespace {

constexpr std::string_view kIncludeNames[] = {
    "file", "page",    "include",  "inc",      "template",    "tpl",
    "path", "doc",     "document", "folder",   "root",        "load",
    "dir",  "module",  "conf",     "config",   "require",     "show",
    "view", "content", "lang",     "language", "style",       "pdf",
    "site", "theme",   "layout",   "src",      "source",      "class",
    "mod",  "base",    "pg",       "filename", "_conf[path]", "mosconfig_absolute_path"};

}  // namespace

void detect_remote_inclusion(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  if (t.find("://") == std::string_view::npos || s.part == Part::kHeader) return;
  auto u = find_url(t);
  if (!u) return;
  bool web =
      u->scheme == "http" || u->scheme == "https" || u->scheme == "ftp" || u->scheme == "ftps";
  if (!web) return;
  size_t lead = skip_spaces(t, 0);
  bool at_start = u->from == lead;
  auto v4 = parse_ipv4_any(u->host);
  // Internal addresses are the SSRF detector's; code is not included from them.
  if ((v4 && internal_ipv4(*v4)) || (u->ipv6 && internal_ipv6(u->host))) return;
  bool ip = u->ipv6 || v4.has_value();
  bool truncated = !t.empty() && (t.back() == '?' || t.back() == '#') && !u->rest.empty();
  std::string lname;
  for (char c : s.name) lname.push_back(char(std::tolower(static_cast<unsigned char>(c))));
  bool include_name = std::find(std::begin(kIncludeNames), std::end(kIncludeNames), lname) !=
                      std::end(kIncludeNames);
  // Parameters of known remote-inclusion holes in PHP applications.
  constexpr std::string_view kKnownHoles[] = {"_conf[path]",         "mosconfig_absolute_path",
                                              "phpbb_root_path",     "include_path",
                                              "appserv_root",        "cfg[root]",
                                              "path[docroot]",       "gallerypath",
                                              "mosconfig_live_site", "_server[document_root]"};
  if (at_start &&
      std::find(std::begin(kKnownHoles), std::end(kKnownHoles), lname) != std::end(kKnownHoles)) {
    out.push_back(Hit{AttackClass::kRemoteInclusion, 8, kCertain, u->from, t.size(),
                      "URL in a known inclusion parameter"});
    return;
  }
  bool code_file = u->rest.find(".php") != std::string_view::npos ||
                   u->rest.find(".txt?") != std::string_view::npos ||
                   u->rest.find(".inc") != std::string_view::npos;
  if (at_start && truncated) {
    out.push_back(Hit{AttackClass::kRemoteInclusion, 8, kCertain, u->from, t.size(),
                      "URL with truncating suffix"});
  } else if (at_start && ip) {
    out.push_back(
        Hit{AttackClass::kRemoteInclusion, 7, kCertain, u->from, t.size(), "URL to an IP address"});
  } else if (at_start && include_name && (code_file || ip)) {
    out.push_back(Hit{AttackClass::kRemoteInclusion, 8, kCertain, u->from, t.size(),
                      "remote file in include argument"});
  } else if (at_start && include_name) {
    out.push_back(Hit{AttackClass::kRemoteInclusion, 5, kSuspicious, u->from, t.size(),
                      "URL in include argument"});
  } else if (ip && !s.is_name && s.part != Part::kHeader) {
    out.push_back(
        Hit{AttackClass::kRemoteInclusion, 5, kLikely, u->from, t.size(), "URL to an IP address"});
  } else if (at_start && s.part != Part::kHeader) {
    out.push_back(
        Hit{AttackClass::kRemoteInclusion, 4, kSuspicious, u->from, t.size(), "off-site URL"});
  }
}

}  // namespace rampart::waf
