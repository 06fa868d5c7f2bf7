#pragma once
// A server-side TLS connection driven directly. OpenSSL writes the socket itself (a socket BIO),
// and reads ciphertext from a small buffer of this connection (a BIO of our own, tls_conn.cpp)
// that Asio fills with ordinary reads. asio::ssl::stream instead runs every byte through a
// memory BIO pair and copies it twice; on the gateway's hot path that costs more than the
// encryption of a small response.
//
// Why reads go through Asio rather than OpenSSL's socket BIO: letting OpenSSL read the socket
// needs a wait for readability first (async_wait), and Asio re-arms the descriptor in epoll (an
// epoll_ctl system call) for every wait, but not for a read. A read also skips the attempt that
// would only say EAGAIN. The price is one copy of the ciphertext into OpenSSL's record buffer.
//
// One coroutine at a time may read and one may write (the WebSocket tunnel does both), all on
// the connection's own thread. Cancelling the socket (the watchdog) ends a pending read or wait
// with operation_aborted.

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <tuple>

namespace rampart::net {

class TlsConn {
 public:
  using tcp = boost::asio::ip::tcp;
  using error_code = boost::system::error_code;

  // Ciphertext read for a connection that has been idle: most requests come in one such read.
  static constexpr size_t kIdleCipherRead = 2048;
  // Ciphertext read otherwise: a whole TLS record (16 KiB of plaintext and its overhead).
  static constexpr size_t kCipherRead = 16 * 1024 + 512;

  TlsConn(tcp::socket socket, SSL_CTX* ctx);
  ~TlsConn();
  TlsConn(TlsConn&& o) noexcept;
  TlsConn& operator=(TlsConn&&) = delete;

  tcp::socket& next_layer() { return sock_; }
  SSL* native_handle() { return ssl_; }

  boost::asio::awaitable<error_code> handshake() {
    if (ssl_ == nullptr) co_return boost::asio::error::no_memory;
    for (;;) {
      clear_errors();
      int r = SSL_do_handshake(ssl_);
      if (r == 1) co_return error_code();
      error_code ec = co_await wait_for(SSL_get_error(ssl_, r), kCipherRead);
      if (ec) co_return ec;
    }
  }

  boost::asio::awaitable<std::tuple<error_code, size_t>> read_some(boost::asio::mutable_buffer b) {
    return read_some(b, kCipherRead, false);
  }

  // read_some for when the peer is not expected to have sent anything yet (the next request on
  // a kept connection): reads into a small buffer, and lets go of a large one first, so that an
  // idle connection holds little memory.
  boost::asio::awaitable<std::tuple<error_code, size_t>> read_some_idle(
      boost::asio::mutable_buffer b) {
    const bool nothing_held = cipher_.size() == 0 && ssl_ != nullptr && SSL_has_pending(ssl_) == 0;
    if (nothing_held && cipher_.capacity() > kIdleCipherRead) cipher_.shrink_to_fit();
    // With nothing held, SSL_read could only ask for more: read the socket first.
    return read_some(b, kIdleCipherRead, nothing_held);
  }

  boost::asio::awaitable<std::tuple<error_code, size_t>> write_all(boost::asio::const_buffer b) {
    const char* p = static_cast<const char*>(b.data());
    size_t left = b.size();
    while (left > 0) {
      clear_errors();
      int n = SSL_write(ssl_, p, int(std::min<size_t>(left, 1 << 30)));
      if (n > 0) {
        p += n;
        left -= size_t(n);
        continue;
      }
      error_code ec = co_await wait_for(SSL_get_error(ssl_, n), kCipherRead);
      if (ec) co_return std::tuple{ec, b.size() - left};
    }
    co_return std::tuple{error_code(), b.size()};
  }

  // For the BIO (tls_conn.cpp): hands OpenSSL up to `len` bytes of buffered ciphertext; 0 when
  // there are none (the BIO then says "retry").
  size_t take_cipher(char* out, size_t len);

 private:
  // `first_read`: the size of the first read from the socket, if one is needed; later ones (the
  // rest of a record larger than that) read a whole record. `socket_first`: read the socket
  // before the first SSL_read.
  boost::asio::awaitable<std::tuple<error_code, size_t>> read_some(boost::asio::mutable_buffer b,
                                                                   size_t first_read,
                                                                   bool socket_first) {
    if (socket_first) {
      error_code ec = co_await wait_for(SSL_ERROR_WANT_READ, first_read);
      if (ec) co_return std::tuple{ec, size_t(0)};
    }
    for (size_t read_size = first_read;; read_size = kCipherRead) {
      clear_errors();
      int n = SSL_read(ssl_, b.data(), int(std::min<size_t>(b.size(), 1 << 30)));
      if (n > 0) co_return std::tuple{error_code(), size_t(n)};
      int err = SSL_get_error(ssl_, n);
      if (err == SSL_ERROR_ZERO_RETURN)
        co_return std::tuple{error_code(boost::asio::error::eof), size_t(0)};
      error_code ec = co_await wait_for(err, read_size);
      if (ec) co_return std::tuple{ec, size_t(0)};
    }
  }

  // SSL_get_error needs an empty error queue before each call. Peeking first is cheaper than
  // clearing (which walks every slot of the queue), and the queue is almost always empty.
  static void clear_errors() {
    if (ERR_peek_error() != 0) ERR_clear_error();
  }

  // Does what OpenSSL asked for: reads more ciphertext (up to `read_size` bytes) or waits until
  // the socket takes more; any other outcome is the connection's end.
  boost::asio::awaitable<error_code> wait_for(int ssl_error, size_t read_size) {
    constexpr auto tok = boost::asio::as_tuple(boost::asio::use_awaitable);
    if (ssl_error == SSL_ERROR_WANT_READ) {
      auto [ec, n] = co_await sock_.async_read_some(cipher_.prepare(read_size), tok);
      if (!ec) cipher_.commit(n);
      co_return ec;
    }
    if (ssl_error == SSL_ERROR_WANT_WRITE) {
      auto [ec] = co_await sock_.async_wait(tcp::socket::wait_write, tok);
      co_return ec;
    }
    if (ssl_error == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) co_return boost::asio::error::eof;
    co_return boost::asio::error::connection_reset;
  }

  tcp::socket sock_;
  SSL* ssl_;
  // Ciphertext read from the socket that OpenSSL has not taken yet; empty (and small) between
  // requests.
  boost::beast::flat_buffer cipher_;
};

}  // namespace rampart::net
