#pragma once
// A server-side TLS connection driven directly: OpenSSL reads and writes the socket itself
// (SSL_set_fd), and the coroutine waits for readiness with async_wait when OpenSSL asks for it.
// asio::ssl::stream instead runs every byte through a memory BIO pair and copies it twice; on
// the gateway's hot path that costs more than the encryption of a small response.
//
// One coroutine at a time may read and one may write (the WebSocket tunnel does both), all on
// the connection's own thread. Cancelling the socket (the watchdog) ends a pending wait with
// operation_aborted.

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <tuple>

namespace rampart::net {

class TlsConn {
 public:
  using tcp = boost::asio::ip::tcp;
  using error_code = boost::system::error_code;

  TlsConn(tcp::socket socket, SSL_CTX* ctx) : sock_(std::move(socket)), ssl_(SSL_new(ctx)) {
    error_code ignored;
    sock_.native_non_blocking(true, ignored);
    if (ssl_ != nullptr) {
      SSL_set_fd(ssl_, int(sock_.native_handle()));
      SSL_set_accept_state(ssl_);
    }
  }
  ~TlsConn() {
    if (ssl_ != nullptr) SSL_free(ssl_);
  }
  TlsConn(TlsConn&& o) noexcept : sock_(std::move(o.sock_)), ssl_(o.ssl_) { o.ssl_ = nullptr; }
  TlsConn& operator=(TlsConn&&) = delete;

  tcp::socket& next_layer() { return sock_; }
  SSL* native_handle() { return ssl_; }

  boost::asio::awaitable<error_code> handshake() {
    if (ssl_ == nullptr) co_return boost::asio::error::no_memory;
    for (;;) {
      clear_errors();
      int r = SSL_do_handshake(ssl_);
      if (r == 1) co_return error_code();
      error_code ec = co_await wait_for(SSL_get_error(ssl_, r));
      if (ec) co_return ec;
    }
  }

  boost::asio::awaitable<std::tuple<error_code, size_t>> read_some(boost::asio::mutable_buffer b) {
    for (;;) {
      clear_errors();
      int n = SSL_read(ssl_, b.data(), int(std::min<size_t>(b.size(), 1 << 30)));
      if (n > 0) co_return std::tuple{error_code(), size_t(n)};
      int err = SSL_get_error(ssl_, n);
      if (err == SSL_ERROR_ZERO_RETURN)
        co_return std::tuple{error_code(boost::asio::error::eof), size_t(0)};
      error_code ec = co_await wait_for(err);
      if (ec) co_return std::tuple{ec, size_t(0)};
    }
  }

  // read_some for when the peer is not expected to have sent anything yet (the next request on
  // a kept connection): waits for readability first unless OpenSSL already holds bytes, sparing
  // the read that would only say EAGAIN.
  boost::asio::awaitable<std::tuple<error_code, size_t>> read_some_idle(
      boost::asio::mutable_buffer b) {
    if (ssl_ != nullptr && SSL_has_pending(ssl_) == 0) {
      error_code ec = co_await wait_for(SSL_ERROR_WANT_READ);
      if (ec) co_return std::tuple{ec, size_t(0)};
    }
    co_return co_await read_some(b);
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
      error_code ec = co_await wait_for(SSL_get_error(ssl_, n));
      if (ec) co_return std::tuple{ec, b.size() - left};
    }
    co_return std::tuple{error_code(), b.size()};
  }

 private:
  // SSL_get_error needs an empty error queue before each call. Peeking first is cheaper than
  // clearing (which walks every slot of the queue), and the queue is almost always empty.
  static void clear_errors() {
    if (ERR_peek_error() != 0) ERR_clear_error();
  }

  // Waits for what OpenSSL asked for; any other outcome is the connection's end.
  boost::asio::awaitable<error_code> wait_for(int ssl_error) {
    constexpr auto tok = boost::asio::as_tuple(boost::asio::use_awaitable);
    if (ssl_error == SSL_ERROR_WANT_READ) {
      auto [ec] = co_await sock_.async_wait(tcp::socket::wait_read, tok);
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
};

}  // namespace rampart::net
