#pragma once
// A server-side TLS connection driven directly. OpenSSL writes the socket itself (a socket BIO),
// and reads ciphertext from a small buffer of this connection (a BIO of our own, tls_conn.cpp)
// that Asio fills with ordinary reads. asio::ssl::stream instead runs every byte through a
// memory BIO pair and copies it twice; on the gateway's hot path that costs more than the
// encryption of a small response.
//
// Why reads go through Asio rather than OpenSSL's socket BIO: letting OpenSSL read the socket
// needs a wait for readability first (async_wait), and Asio re-arms the descriptor in epoll (an
// epoll_ctl system call) for every wait, but not for a read. The price is one copy of the
// ciphertext into OpenSSL's record buffer.
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
    for (;;) {
      size_t n = 0;
      int ssl_error = read_now(b, n);
      if (ssl_error == SSL_ERROR_NONE) co_return std::tuple{error_code(), n};
      if (ssl_error == SSL_ERROR_ZERO_RETURN)
        co_return std::tuple{error_code(boost::asio::error::eof), size_t(0)};
      error_code ec = co_await wait_for(ssl_error, kCipherRead);
      if (ec) co_return std::tuple{ec, size_t(0)};
    }
  }

  // Reading the next request on a kept connection, in steps that need no coroutine frame when
  // the request comes in one read (as it nearly always does):
  // - holds_nothing(): neither OpenSSL nor the ciphertext buffer holds bytes (then a large
  //   ciphertext buffer is let go, so that an idle connection holds little memory);
  // - if so, read_cipher(kIdleCipherRead), and commit_cipher() what it read;
  // - read_now(), and read_rest() when it says what it waits for.
  bool holds_nothing() {
    if (cipher_.size() > 0 || ssl_ == nullptr || SSL_has_pending(ssl_) != 0) return false;
    if (cipher_.capacity() > kIdleCipherRead) cipher_.shrink_to_fit();
    return true;
  }
  auto read_cipher(size_t size) {
    return sock_.async_read_some(cipher_.prepare(size),
                                 boost::asio::as_tuple(boost::asio::use_awaitable));
  }
  void commit_cipher(size_t n) { cipher_.commit(n); }
  // SSL_read without waiting: SSL_ERROR_NONE with `n` > 0 bytes read, SSL_ERROR_ZERO_RETURN when
  // the peer closed, or what OpenSSL waits for.
  int read_now(boost::asio::mutable_buffer b, size_t& n) {
    n = 0;
    if (ssl_ == nullptr) return SSL_ERROR_SSL;
    clear_errors();
    int r = SSL_read(ssl_, b.data(), int(std::min<size_t>(b.size(), 1 << 30)));
    if (r > 0) {
      n = size_t(r);
      return SSL_ERROR_NONE;
    }
    return SSL_get_error(ssl_, r);
  }
  boost::asio::awaitable<std::tuple<error_code, size_t>> read_rest(boost::asio::mutable_buffer b,
                                                                   int ssl_error) {
    if (ssl_error == SSL_ERROR_ZERO_RETURN)
      co_return std::tuple{error_code(boost::asio::error::eof), size_t(0)};
    error_code ec = co_await wait_for(ssl_error, kCipherRead);
    if (ec) co_return std::tuple{ec, size_t(0)};
    co_return co_await read_some(b);
  }

  boost::asio::awaitable<std::tuple<error_code, size_t>> write_all(boost::asio::const_buffer b) {
    size_t done = 0;
    for (;;) {
      int ssl_error = write_now(b, done);
      if (ssl_error == SSL_ERROR_NONE) co_return std::tuple{error_code(), b.size()};
      error_code ec = co_await wait_for(ssl_error, kCipherRead);
      if (ec) co_return std::tuple{ec, done};
    }
  }

  // Writes what it can of `b` from offset `done` (advanced) without waiting: SSL_ERROR_NONE when
  // all of it is written, else what OpenSSL waits for (write_all then waits and goes on). Lets a
  // caller skip write_all's coroutine frame when the socket takes everything at once, as it
  // nearly always does.
  int write_now(boost::asio::const_buffer b, size_t& done) {
    const char* p = static_cast<const char*>(b.data());
    while (done < b.size()) {
      clear_errors();
      int n = SSL_write(ssl_, p + done, int(std::min<size_t>(b.size() - done, 1 << 30)));
      if (n <= 0) return SSL_get_error(ssl_, n);
      done += size_t(n);
    }
    return SSL_ERROR_NONE;
  }

  // The rest of a write that write_now could not finish.
  boost::asio::awaitable<std::tuple<error_code, size_t>> write_rest(boost::asio::const_buffer b,
                                                                    size_t done, int ssl_error) {
    error_code ec = co_await wait_for(ssl_error, kCipherRead);
    if (ec) co_return std::tuple{ec, done};
    auto [rest_ec, rest] = co_await write_all(b + done);
    co_return std::tuple{rest_ec, done + rest};
  }

  // For the BIO (tls_conn.cpp): hands OpenSSL up to `len` bytes of buffered ciphertext; 0 when
  // there are none (the BIO then says "retry").
  size_t take_cipher(char* out, size_t len);

 private:
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
