#include "net/tls_conn.h"

#include <openssl/bio.h>

#include <cstring>

namespace rampart::net {
namespace {

// A read-only BIO over TlsConn's ciphertext buffer. OpenSSL offers no BIO that reads from a
// buffer owned by someone else without a copy into a BIO pair first, so it is written here.
int cipher_read(BIO* bio, char* out, int len) {
  BIO_clear_retry_flags(bio);
  auto* conn = static_cast<TlsConn*>(BIO_get_data(bio));
  size_t n = len > 0 ? conn->take_cipher(out, size_t(len)) : 0;
  if (n == 0) {
    BIO_set_retry_read(bio);  // TlsConn reads the socket when SSL_read says WANT_READ
    return -1;
  }
  return int(n);
}

long cipher_ctrl(BIO*, int cmd, long, void*) {
  // OpenSSL asks to flush (nothing is buffered for writing here) and may ask other questions,
  // to which "not supported" (0) is the answer.
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

int cipher_create(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

const BIO_METHOD* cipher_method() {
  static const BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "rampart cipher");
    if (m != nullptr) {
      BIO_meth_set_read(m, cipher_read);
      BIO_meth_set_ctrl(m, cipher_ctrl);
      BIO_meth_set_create(m, cipher_create);
    }
    return m;
  }();
  return method;
}

}  // namespace

TlsConn::TlsConn(tcp::socket socket, SSL_CTX* ctx) : sock_(std::move(socket)), ssl_(SSL_new(ctx)) {
  error_code ignored;
  sock_.native_non_blocking(true, ignored);
  if (ssl_ == nullptr) return;
  const BIO_METHOD* method = cipher_method();
  BIO* rbio = method != nullptr ? BIO_new(method) : nullptr;
  BIO* wbio = BIO_new_socket(int(sock_.native_handle()), BIO_NOCLOSE);
  if (rbio == nullptr || wbio == nullptr) {
    BIO_free(rbio);
    BIO_free(wbio);
    SSL_free(ssl_);
    ssl_ = nullptr;  // handshake() reports no_memory
    return;
  }
  BIO_set_data(rbio, this);
  SSL_set_bio(ssl_, rbio, wbio);
  SSL_set_accept_state(ssl_);
}

TlsConn::~TlsConn() {
  if (ssl_ != nullptr) SSL_free(ssl_);
}

TlsConn::TlsConn(TlsConn&& o) noexcept
    : sock_(std::move(o.sock_)), ssl_(o.ssl_), cipher_(std::move(o.cipher_)) {
  o.ssl_ = nullptr;
  if (ssl_ != nullptr) BIO_set_data(SSL_get_rbio(ssl_), this);
}

size_t TlsConn::take_cipher(char* out, size_t len) {
  size_t n = std::min(len, cipher_.size());
  if (n == 0) return 0;
  std::memcpy(out, cipher_.data().data(), n);
  cipher_.consume(n);
  return n;
}

}  // namespace rampart::net
