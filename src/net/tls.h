#pragma once
// TLS server contexts: one per certificate, chosen by SNI. TLS 1.2 and 1.3 only, Mozilla's
// "intermediate" cipher list, ALPN http/1.1, no renegotiation, no compression. A certificate's
// names come from its subjectAltName DNS entries (its CN when it has none); "*.example.com"
// matches one label. A local name without a certificate gets a self-signed one, made once and
// kept in the state folder, with a warning. Built at start-up and on reload; shared read-only.

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "gateway/config.h"

namespace rampart::net {

class TlsStore {
 public:
  ~TlsStore();
  TlsStore(const TlsStore&) = delete;
  TlsStore& operator=(const TlsStore&) = delete;

  // `make_self_signed` false (check-config) validates the named certificates and writes nothing.
  static StatusOr<std::shared_ptr<TlsStore>> build(const gateway::GatewayConfig& config,
                                                   bool make_self_signed = true);

  // The context a new connection starts with (its SNI callback may switch to another).
  SSL_CTX* default_context() const { return entries_.front().ctx; }
  SSL_CTX* context_for(std::string_view server_name) const;

 private:
  TlsStore() = default;
  struct Entry {
    SSL_CTX* ctx = nullptr;
    std::vector<std::string> names;  // lower case
  };
  std::vector<Entry> entries_;
};

// Makes (or reuses, when still valid) a self-signed certificate for `names` in `dir`, and returns
// the paths of its certificate and key files.
StatusOr<gateway::CertificateSpec> ensure_self_signed(const std::string& dir,
                                                      const std::vector<std::string>& names);

// "1.2" / "1.3" for a connection.
std::string_view tls_version_of(const SSL* ssl);

}  // namespace rampart::net
