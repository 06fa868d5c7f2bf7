#include "http/forwarded.h"

#include <vector>

#include "common/strings.h"

namespace rampart::http {
namespace {

// The addresses of X-Forwarded-For, left to right; unparsable entries kept as nullopt.
std::vector<std::optional<IpAddress>> xff_chain(const Headers& headers) {
  std::vector<std::optional<IpAddress>> out;
  for (std::string_view v : headers.get_all("X-Forwarded-For")) {
    for (std::string_view item : split_trimmed(v, ',')) {
      // Strip a port from "1.2.3.4:5678" but not from IPv6 text.
      if (item.find(':') != item.rfind(':') || item.front() == '[') {
        if (item.front() == '[') {
          size_t close = item.find(']');
          if (close != std::string_view::npos) item = item.substr(0, close + 1);
        }
      } else if (size_t colon = item.find(':'); colon != std::string_view::npos) {
        item = item.substr(0, colon);
      }
      out.push_back(IpAddress::parse(item));
    }
  }
  return out;
}

// The `for=` addresses of Forwarded (RFC 7239), left to right.
std::vector<std::optional<IpAddress>> forwarded_chain(const Headers& headers) {
  std::vector<std::optional<IpAddress>> out;
  for (std::string_view v : headers.get_all("Forwarded")) {
    for (std::string_view element : split_trimmed(v, ',')) {
      for (std::string_view pair : split_trimmed(element, ';')) {
        if (!istarts_with(pair, "for=")) continue;
        std::string_view node = trim(pair.substr(4));
        if (node.size() >= 2 && node.front() == '"' && node.back() == '"') {
          node = node.substr(1, node.size() - 2);
        }
        if (!node.empty() && node.front() == '[') {
          size_t close = node.find(']');
          node = close == std::string_view::npos ? node : node.substr(0, close + 1);
        } else if (size_t colon = node.find(':');
                   colon != std::string_view::npos &&
                   node.find(':', colon + 1) == std::string_view::npos) {
          node = node.substr(0, colon);
        }
        out.push_back(IpAddress::parse(node));
      }
    }
  }
  return out;
}

std::string_view last_item(std::optional<std::string_view> value) {
  if (!value) return {};
  auto items = split_trimmed(*value, ',');
  return items.empty() ? std::string_view() : items.back();
}

}  // namespace

ClientView resolve_client(const IpAddress& peer, const Headers& headers,
                          const CidrSet& trusted_proxies, std::string_view own_scheme) {
  ClientView view;
  view.address = peer;
  view.scheme.assign(own_scheme);
  if (auto host = headers.get("Host")) view.host.assign(*host);
  const bool peer_trusted = !trusted_proxies.empty() && trusted_proxies.contains(peer);
  if (!peer_trusted) {
    view.address_text = peer.to_string();
    view.forwarded_for = view.address_text;
    return view;
  }

  auto chain = xff_chain(headers);
  if (chain.empty()) chain = forwarded_chain(headers);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (!it->has_value()) break;  // an unparsable hop ends what can be believed
    view.address = **it;
    if (!trusted_proxies.contains(**it)) break;
  }

  // The chain as received, plus the peer.
  std::string chain_text;
  for (std::string_view v : headers.get_all("X-Forwarded-For")) {
    if (!chain_text.empty()) chain_text += ", ";
    chain_text += trim(v);
  }
  if (!chain_text.empty()) chain_text += ", ";
  chain_text += peer.to_string();
  view.forwarded_for = std::move(chain_text);

  view.address_text = view.address.to_string();
  std::string_view proto = last_item(headers.get("X-Forwarded-Proto"));
  if (iequals(proto, "https") || iequals(proto, "http")) view.scheme = to_lower(proto);
  std::string_view fhost = last_item(headers.get("X-Forwarded-Host"));
  if (!fhost.empty()) view.host.assign(fhost);
  return view;
}

void set_forwarding_headers(Headers& headers, const ClientView& client) {
  headers.add("X-Forwarded-For", client.forwarded_for);
  headers.add("X-Forwarded-Proto", client.scheme);
  if (!client.host.empty()) headers.add("X-Forwarded-Host", client.host);
  const std::string& ip = client.address_text;
  headers.add("X-Real-IP", ip);
  std::string fwd = "for=";
  if (client.address.is_v4()) {
    fwd += ip;
  } else {
    fwd += "\"[" + ip + "]\"";
  }
  if (!client.host.empty()) {
    bool token = client.host.find_first_of(":[]\" ") == std::string::npos;
    if (token) {
      fwd += ";host=" + client.host;
    } else {
      fwd += ";host=\"";
      for (char c : client.host) {
        if (c == '"' || c == '\\') fwd += '\\';
        fwd += c;
      }
      fwd += '"';
    }
  }
  fwd += ";proto=" + client.scheme;
  headers.add("Forwarded", fwd);
}

}  // namespace rampart::http
