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

// The authority of the URL at `u` as written ("user@host:port"), for comparing with Host.
std::string_view authority_of(std::string_view t, const FoundUrl& u) {
  size_t from = t.find("://", u.from);
  from = from == std::string_view::npos ? u.from : from + 3;
  size_t to = from;
  while (to < t.size() && t[to] != '/' && t[to] != '?' && t[to] != '#' && t[to] != '\\' &&
         t[to] != ' ')
    ++to;
  return t.substr(from, to - from);
}

// True when the URL names this site: the request's host (with the same port, if any) or one of
// its subdomains, with no user information that could make parsers disagree on the host.
bool same_site(std::string_view authority, std::string_view host) {
  size_t at = authority.find('@');
  if (at != std::string_view::npos) {
    // "user:pass@host" is basic authentication; a second '@' or a slash in it is not.
    if (authority.find('@', at + 1) != std::string_view::npos ||
        authority.substr(0, at).find_first_of("/\\%") != std::string_view::npos)
      return false;
    authority.remove_prefix(at + 1);
  }
  if (host.empty()) return false;
  if (authority == host) return true;
  if (authority.size() > host.size() && authority.substr(authority.size() - host.size()) == host &&
      authority[authority.size() - host.size() - 1] == '.')
    return true;
  return false;
}

// Arguments made to carry links (a redirect target, a profile's website, a shared page): a URL
// there is what the application asks for, so only the stronger signs count in them.
bool url_argument(std::string_view lname) {
  for (std::string_view part : {"url", "uri", "link", "href", "redirect", "return", "callback",
                                "website", "homepage", "referer", "referrer", "continue"}) {
    if (lname.find(part) != std::string_view::npos) return true;
  }
  // Free text (a search box) may hold a pasted link too.
  if (lname == "q" || lname == "s" || lname == "query" || lname == "search" || lname == "term" ||
      lname == "keyword" || lname == "keywords" || lname == "text" || lname == "message")
    return true;
  return lname == "next" || lname == "loc" || lname == "location" || lname == "dest" ||
         lname == "destination" || lname == "goto" || lname == "target";
}

// "http?", "ftp://host/x.txt?": a value that starts as a URL scheme and ends in '?' cuts off
// whatever suffix the application appends to the name it includes.
bool truncated_scheme(std::string_view t) {
  if (t.size() < 4 || t.back() != '?' || t.find(' ') != std::string_view::npos) return false;
  for (std::string_view scheme : {"https", "http", "ftps", "ftp", "file"}) {
    if (t.substr(0, scheme.size()) == scheme &&
        (t[scheme.size()] == ':' || t[scheme.size()] == '?'))
      return true;
  }
  return false;
}

// The path of a URL (its query and fragment cut off) names a file of script source that a web
// server hands out as text: ".txt", ".inc", ".phps".
bool remote_source_file(std::string_view rest) {
  std::string_view path = rest.substr(0, rest.find_first_of("?#"));
  for (std::string_view ext : {".txt", ".inc", ".phps"}) {
    if (path.size() > ext.size() + 1 && path.substr(path.size() - ext.size()) == ext) return true;
  }
  return false;
}

}  // namespace

void detect_remote_inclusion(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  if (s.part == Part::kHeader) return;
  if (s.chars.has('?') && !s.is_name && truncated_scheme(t)) {
    out.push_back(Hit{AttackClass::kRemoteInclusion, 6, kLikely, 0, t.size(),
                      "URL scheme with truncating suffix"});
    return;
  }
  if (t.find("://") == std::string_view::npos) return;
  auto u = find_url(t);
  if (!u) return;
  size_t lead = skip_spaces(t, 0);
  bool at_start = u->from == lead;
  // "local_file://" (Python 2's urllib opened it as a file) is the SSRF detector's.
  if (u->scheme == "file" && u->from >= 6 && t.compare(u->from - 6, 6, "local_") == 0) return;
  bool web =
      u->scheme == "http" || u->scheme == "https" || u->scheme == "ftp" || u->scheme == "ftps";
  if (!web) return;
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
  } else if (at_start && !url_argument(lname) && !s.is_name && remote_source_file(u->rest) &&
             !same_site(authority_of(t, *u), s.host)) {
    // "x=http://host/shell.txt": PHP source served as text (or as .inc/.phps, which servers do
    // not run) is fetched to be run by the includer; no page links to one in an argument.
    out.push_back(
        Hit{AttackClass::kRemoteInclusion, 7, kLikely, u->from, t.size(), "remote source file"});
  } else if (at_start && include_name) {
    out.push_back(Hit{AttackClass::kRemoteInclusion, 5, kSuspicious, u->from, t.size(),
                      "URL in include argument"});
  } else if (ip && !s.is_name && s.part != Part::kHeader) {
    out.push_back(
        Hit{AttackClass::kRemoteInclusion, 5, kLikely, u->from, t.size(), "URL to an IP address"});
  } else if (at_start && (s.part == Part::kQuery || s.part == Part::kPath) && !s.host.empty() &&
             !url_argument(lname)) {
    // A query argument that is a whole URL to another site is what an include or fetch of a
    // remote file is given (CRS 931130); form fields ("website") carry such links legitimately,
    // and without the request's Host nothing tells another site from this one. An '@' in the
    // path before the query ("host%2f@evil") is a host that parsers disagree on.
    //
    // A plain off-site URL is reported only at level 3, as CRS keeps 931130 out of its default
    // paranoia level: query arguments carry shared links, return addresses and image URLs of
    // every name, and blocking them by default would refuse ordinary traffic. (It costs the CRS
    // 931 corpus family most of its 931130 stages at the default level.)
    size_t query = u->rest.find('?');
    bool confusing = u->rest.substr(0, query).find('@') != std::string_view::npos;
    bool whole = t.find(' ', u->from) == std::string_view::npos;
    if (confusing || (whole && !same_site(authority_of(t, *u), s.host))) {
      out.push_back(Hit{AttackClass::kRemoteInclusion, confusing ? 7 : 5,
                        confusing ? kLikely : kSuspicious, u->from, t.size(),
                        "URL to another host"});
    } else if (!same_site(authority_of(t, *u), s.host)) {
      out.push_back(
          Hit{AttackClass::kRemoteInclusion, 4, kSuspicious, u->from, t.size(), "off-site URL"});
    }
  }
}

}  // namespace rampart::waf
