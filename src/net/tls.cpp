#include "net/tls.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "common/logging.h"
#include "common/strings.h"
#include "http/address.h"

namespace rampart::net {
namespace {

constexpr const char* kIntermediateCiphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

int select_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                unsigned int inlen, void*) {
  static const unsigned char kH1[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outlen, kH1, sizeof kH1, in, inlen) ==
      OPENSSL_NPN_NEGOTIATED) {
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
  }
  return SSL_TLSEXT_ERR_NOACK;  // a client that offers only h2 still gets HTTP/1.1
}

int on_server_name(SSL* ssl, int*, void* arg) {
  const auto* store = static_cast<const TlsStore*>(arg);
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (name == nullptr) return SSL_TLSEXT_ERR_OK;
  SSL_CTX* ctx = store->context_for(name);
  if (ctx != nullptr && ctx != SSL_get_SSL_CTX(ssl)) SSL_set_SSL_CTX(ssl, ctx);
  return SSL_TLSEXT_ERR_OK;
}

std::vector<std::string> certificate_names(X509* cert) {
  std::vector<std::string> names;
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (sans != nullptr) {
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
      const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans, i);
      if (gn->type != GEN_DNS) continue;
      const auto* data = ASN1_STRING_get0_data(gn->d.dNSName);
      names.push_back(to_lower(std::string_view(reinterpret_cast<const char*>(data),
                                                size_t(ASN1_STRING_length(gn->d.dNSName)))));
    }
    GENERAL_NAMES_free(sans);
  }
  if (names.empty()) {
    char cn[256];
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn) > 0) {
      names.push_back(to_lower(cn));
    }
  }
  return names;
}

bool name_matches(std::string_view pattern, std::string_view name) {
  if (pattern == name) return true;
  if (pattern.size() > 2 && pattern.substr(0, 2) == "*.") {
    size_t dot = name.find('.');
    return dot != std::string_view::npos && dot > 0 && name.substr(dot) == pattern.substr(1);
  }
  return false;
}

StatusOr<SSL_CTX*> make_context(const gateway::CertificateSpec& spec,
                                std::vector<std::string>& names) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return Status::error("cannot create a TLS context: " + openssl_error());
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> guard(ctx, SSL_CTX_free);
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  // Read what the socket holds in one system call, not a record's 5-byte header and then its
  // body. TlsConn always calls SSL_read before it reads the socket, so bytes read ahead are never
  // stranded.
  SSL_CTX_set_read_ahead(ctx, 1);
  SSL_CTX_set_cipher_list(ctx, kIntermediateCiphers);
  SSL_CTX_set1_groups_list(ctx, "X25519:prime256v1:secp384r1");
  SSL_CTX_set_alpn_select_cb(ctx, select_alpn, nullptr);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
  if (SSL_CTX_use_certificate_chain_file(ctx, spec.cert_file.c_str()) != 1) {
    return Status::error(spec.cert_file + ": cannot load the certificate: " + openssl_error());
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, spec.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return Status::error(spec.key_file + ": cannot load the private key: " + openssl_error());
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return Status::error(spec.key_file + ": the key does not match the certificate " +
                         spec.cert_file);
  }
  X509* cert = SSL_CTX_get0_certificate(ctx);
  names = certificate_names(cert);
  if (X509_cmp_current_time(X509_get0_notAfter(cert)) < 0) {
    log_warn(spec.cert_file + ": the certificate has expired");
  }
  return guard.release();
}

bool is_local_name(std::string_view name) {
  return name == "localhost" || name.ends_with(".localhost") || name.ends_with(".local") ||
         name.ends_with(".test") || name.find('.') == std::string_view::npos ||
         http::IpAddress::parse(name).has_value();
}

}  // namespace

TlsStore::~TlsStore() {
  for (auto& e : entries_) SSL_CTX_free(e.ctx);
}

SSL_CTX* TlsStore::context_for(std::string_view server_name) const {
  std::string name = to_lower(server_name);
  for (const auto& e : entries_) {
    for (const auto& n : e.names) {
      if (n == name) return e.ctx;
    }
  }
  for (const auto& e : entries_) {
    for (const auto& n : e.names) {
      if (name_matches(n, name)) return e.ctx;
    }
  }
  return nullptr;
}

StatusOr<std::shared_ptr<TlsStore>> TlsStore::build(const gateway::GatewayConfig& config,
                                                    bool make_self_signed) {
  std::shared_ptr<TlsStore> store(new TlsStore());
  for (const auto& spec : config.tls.certificates) {
    std::vector<std::string> names;
    auto ctx = make_context(spec, names);
    if (!ctx.ok())
      return Status::error(config.source + ": tls.certificates: " + ctx.status().message());
    store->entries_.push_back({*ctx, std::move(names)});
  }
  // Names served without a certificate of their own.
  std::vector<std::string> uncovered;
  std::vector<std::string> wanted = config.domains;
  if (wanted.empty() && store->entries_.empty()) wanted = {"localhost", "127.0.0.1", "::1"};
  for (const auto& d : wanted) {
    if (store->context_for(d) == nullptr) uncovered.push_back(d);
  }
  if (!uncovered.empty()) {
    std::vector<std::string> local;
    for (const auto& n : uncovered) {
      if (is_local_name(n)) {
        local.push_back(n);
      } else {
        log_warn("no certificate for " + n + ": add one under tls.certificates");
      }
    }
    if (!make_self_signed) return store;
    if (!local.empty() && config.tls.self_signed) {
      auto made = ensure_self_signed(config.tls.state_dir, local);
      if (!made.ok()) return made.status();
      std::vector<std::string> names;
      auto ctx = make_context(*made, names);
      if (!ctx.ok()) return ctx.status();
      store->entries_.push_back({*ctx, std::move(names)});
      log_warn("serving a self-signed certificate for " + join(local, ", ") + " (" +
               made->cert_file +
               "): browsers will warn; name a real certificate under "
               "tls.certificates for production");
    }
  }
  if (store->entries_.empty()) {
    return Status::error(config.source +
                         ": tls: no certificate to serve HTTPS with; name one under "
                         "tls.certificates, or allow tls.self_signed for local names");
  }
  for (auto& e : store->entries_) {
    SSL_CTX_set_tlsext_servername_callback(e.ctx, on_server_name);
    SSL_CTX_set_tlsext_servername_arg(e.ctx, store.get());
  }
  return store;
}

StatusOr<gateway::CertificateSpec> ensure_self_signed(const std::string& dir,
                                                      const std::vector<std::string>& names) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return Status::error(dir + ": cannot create the folder for certificates: " + ec.message());
  std::string stem = "selfsigned-" + names.front();
  for (char& c : stem) {
    if (c == ':' || c == '/') c = '_';
  }
  gateway::CertificateSpec spec{dir + "/" + stem + ".pem", dir + "/" + stem + "-key.pem"};

  // Reuse a kept certificate that covers these names and is valid for at least a week more.
  if (FILE* f = std::fopen(spec.cert_file.c_str(), "r")) {
    X509* old = PEM_read_X509(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    if (old != nullptr) {
      auto have = certificate_names(old);
      bool covers = true;
      for (const auto& n : names) {
        if (std::find(have.begin(), have.end(), to_lower(n)) == have.end() &&
            !(http::IpAddress::parse(n).has_value())) {
          covers = false;
        }
      }
      time_t in_a_week = time(nullptr) + 7 * 86400;
      bool fresh = X509_cmp_time(X509_get0_notAfter(old), &in_a_week) > 0;
      X509_free(old);
      if (covers && fresh && std::filesystem::exists(spec.key_file)) return spec;
    }
  }

  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (key == nullptr) return Status::error("cannot make a key: " + openssl_error());
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_guard(key, EVP_PKEY_free);
  X509* cert = X509_new();
  std::unique_ptr<X509, decltype(&X509_free)> cert_guard(cert, X509_free);
  X509_set_version(cert, 2);
  unsigned char serial[16];
  FILE* ur = std::fopen("/dev/urandom", "rb");
  if (ur == nullptr || std::fread(serial, 1, sizeof serial, ur) != sizeof serial) {
    if (ur != nullptr) std::fclose(ur);
    return Status::error("cannot read /dev/urandom for a certificate serial number");
  }
  std::fclose(ur);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 90L * 86400);
  X509_set_pubkey(cert, key);
  X509_NAME* subject = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(names.front().c_str()), -1, -1,
                             0);
  X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("rampart self-signed"), -1, -1,
                             0);
  X509_set_issuer_name(cert, subject);
  std::string san;
  for (const auto& n : names) {
    if (!san.empty()) san += ",";
    san += (http::IpAddress::parse(n) ? "IP:" : "DNS:") + n;
  }
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, cert, cert, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, san},
                            std::pair{NID_basic_constraints, std::string("critical,CA:FALSE")},
                            std::pair{NID_ext_key_usage, std::string("serverAuth")}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value.c_str());
    if (ext == nullptr)
      return Status::error("cannot make a certificate extension: " + openssl_error());
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(cert, key, EVP_sha256()) == 0) {
    return Status::error("cannot sign the certificate: " + openssl_error());
  }
  std::string tmp_key = spec.key_file + ".tmp";
  std::string tmp_cert = spec.cert_file + ".tmp";
  mode_t old_mask = umask(077);
  FILE* kf = std::fopen(tmp_key.c_str(), "w");
  umask(old_mask);
  if (kf == nullptr) return Status::error(tmp_key + ": cannot write the key");
  bool ok = PEM_write_PrivateKey(kf, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  ok = std::fclose(kf) == 0 && ok;
  FILE* cf = std::fopen(tmp_cert.c_str(), "w");
  if (cf == nullptr) return Status::error(tmp_cert + ": cannot write the certificate");
  ok = PEM_write_X509(cf, cert) == 1 && ok;
  ok = std::fclose(cf) == 0 && ok;
  if (!ok) return Status::error(dir + ": cannot write the self-signed certificate");
  std::filesystem::rename(tmp_key, spec.key_file, ec);
  if (!ec) std::filesystem::rename(tmp_cert, spec.cert_file, ec);
  if (ec) return Status::error(dir + ": cannot keep the self-signed certificate: " + ec.message());
  return spec;
}

std::string_view tls_version_of(const SSL* ssl) {
  switch (SSL_version(ssl)) {
    case TLS1_3_VERSION:
      return "1.3";
    case TLS1_2_VERSION:
      return "1.2";
    default:
      return "other";
  }
}

}  // namespace rampart::net
