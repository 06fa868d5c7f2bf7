#pragma once
// What a session is bound to, when binding is on: the client's network and its User-Agent family.
// A network is an IPv4 /24 or an IPv6 /64 (a phone moving between cells keeps the first, a home
// connection the second). A family is the browser and the operating system ("Firefox/Linux"),
// not the full string: version numbers change with every update, the family does not.

#include <string>
#include <string_view>

#include "http/address.h"

namespace rampart::guards {

// "203.0.113.0/24" or "2001:db8:1:2::/64".
std::string client_network(const http::IpAddress& a);

// "Chrome/Windows", "Safari/iOS", "Firefox/Linux", "curl/other", "other/other". Hand-written: the
// full UA databases (uap-core, ua-parser) are not packaged for C++ on Debian, and the family is
// all a binding needs.
std::string user_agent_family(std::string_view user_agent);

}  // namespace rampart::guards
