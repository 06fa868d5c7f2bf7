// One client connection: read a request head within limits, run the route's guards, relay the
// request to an upstream and the response back, streaming bodies both ways, and repeat while
// keep-alive allows. Everything traffic can cause comes back as a value (as_tuple); a request
// that breaks a rule gets its status and a log line, and the connection closes. The session is
// a template over the stream (plain TCP or TLS) and lives in this one translation unit, because
// Asio's coroutine code is slow to compile.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <optional>
#include <span>

#include "common/logging.h"
#include "common/strings.h"
#include "http/forwarded.h"
#include "http/hop_by_hop.h"
#include "http/serialize.h"
#include "net/pages.h"
#include "net/tls_conn.h"
#include "net/worker.h"

namespace rampart::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using http::BodyFraming;
constexpr auto kTok = asio::as_tuple(asio::use_awaitable);

constexpr size_t kReadChunk = 16 * 1024;
constexpr size_t kBodyChunk = 64 * 1024;
// The first read of a request: most request heads fit; a larger one continues in kReadChunk.
constexpr size_t kIdleRead = 2048;

// What a connection is waiting for, so that the watchdog's expiry can be told apart and the
// drain can close the idle ones.
enum Phase { kIdle = 1, kHead, kBody, kConnect, kUpstream, kSend, kTunnel };

tcp::socket& lowest(tcp::socket& s) { return s; }
tcp::socket& lowest(TlsConn& s) { return s.next_layer(); }

// One read or one whole write on the client's stream, plain or TLS.
asio::awaitable<std::tuple<error_code, size_t>> read_some(tcp::socket& s, asio::mutable_buffer b) {
  return s.async_read_some(b, kTok);
}
asio::awaitable<std::tuple<error_code, size_t>> read_some(TlsConn& s, asio::mutable_buffer b) {
  return s.read_some(b);
}
asio::awaitable<std::tuple<error_code, size_t>> write_all(tcp::socket& s, asio::const_buffer b) {
  return asio::async_write(s, b, kTok);
}
asio::awaitable<std::tuple<error_code, size_t>> write_all(TlsConn& s, asio::const_buffer b) {
  return s.write_all(b);
}

std::string_view view_of(const beast::flat_buffer& b) {
  return {static_cast<const char*>(b.data().data()), b.size()};
}

// Appends decoded body bytes in the framing the receiver expects.
void append_body(std::string& out, std::string& body, const BodyFraming& framing) {
  if (body.empty()) return;
  if (framing.kind == BodyFraming::Kind::kChunked) {
    char buf[20];
    out += http::chunk_header(body.size(), buf);
    out += body;
    out += "\r\n";
  } else {
    out += body;
  }
  body.clear();
}

std::string host_without_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    return to_lower(close == std::string_view::npos ? host : host.substr(0, close + 1));
  }
  size_t colon = host.rfind(':');
  return to_lower(colon == std::string_view::npos ? host : host.substr(0, colon));
}

enum class HeadResult { kOk, kClosed, kError };

template <class Stream>
class Session {
 public:
  Session(Worker& w, Stream stream, const gateway::ListenSpec& listen, http::IpAddress peer)
      : w_(w), s_(std::move(stream)), watch_(w.watchdog), listen_(listen), peer_(peer) {
    watch_.client = &lowest(s_);
    conn_.tls = listen.tls;
  }

  asio::awaitable<void> run();

 private:
  struct Failure {
    int status = 400;
    std::string reason;
  };

  asio::awaitable<bool> handshake();
  // Before waiting for a request with nothing read yet: lets go of the large buffers (an idle
  // connection holds only a small read buffer) and arms the watchdog.
  void go_idle(std::chrono::milliseconds timeout, int phase);
  asio::awaitable<bool> serve_one(const Runtime& rt, bool first);
  asio::awaitable<HeadResult> read_head(const Runtime& rt, http::RequestParser& p, bool first,
                                        Failure& failure);
  // Parses the head from in_ when it is all there (or breaks a limit already); nullopt when more
  // bytes are needed. serve_one calls it first, so that a head that came in one read costs no
  // coroutine frame for read_head.
  std::optional<HeadResult> parse_head(const Runtime& rt, http::RequestParser& p, Failure& failure);
  asio::awaitable<bool> write_client(const Runtime& rt, std::string_view data);
  // Reads (when `need_more`) and parses the next piece of the request body into the parser's
  // sink. kOk, kClosed (the client went away), or kError with `failure` (408, 400, 413).
  asio::awaitable<HeadResult> read_body_piece(const Runtime& rt, http::RequestParser& p,
                                              bool& need_more, Failure& failure);
  asio::awaitable<bool> write_upstream(const Runtime& rt, std::string_view data);
  // Writes `head` (may be empty) and the decoded response body received so far (body_ or
  // pieces_) in `framing`, and the last chunk when `last`.
  asio::awaitable<bool> write_response_part(const Runtime& rt, std::string_view head,
                                            const BodyFraming& framing, bool last);
  // write_response_part in two steps, so that serve_one's first write of a response needs no
  // coroutine frame of its own: prepare_response_part fills write_bufs_ (plain) or out_ (TLS)
  // and says whether there is anything to write; write_prepared writes it.
  bool prepare_response_part(std::string_view head, const BodyFraming& framing, bool last);
  asio::awaitable<bool> write_prepared(const Runtime& rt);
  // `check_idle`: test a kept connection before use (when the request could not be replayed).
  // take_kept_upstream picks an upstream and takes a kept connection to it when there is one
  // (true), with no coroutine frame; otherwise connect_upstream connects to the one it `picked`,
  // then tries the others. On failure, `timed_out` says whether every attempt timed out (504)
  // rather than failed (502).
  bool take_kept_upstream(bool check_idle, size_t& picked);
  bool use_kept_upstream(size_t i, bool check_idle);
  asio::awaitable<bool> connect_upstream(const Runtime& rt, bool check_idle, size_t picked,
                                         bool& reused, bool& timed_out);
  void release_upstream(bool reusable);
  // Answers in place of the application. Returns whether the connection may stay open.
  asio::awaitable<bool> send_local(const Runtime& rt, gateway::Exchange* ex,
                                   const gateway::Pipeline::Route* route, gateway::Reply reply,
                                   bool close);
  asio::awaitable<void> tunnel(const Runtime& rt);
  asio::awaitable<void> pump_to_upstream(const Runtime& rt);
  asio::awaitable<void> pump_to_client(const Runtime& rt);
  // The guards' finishing steps, then on_complete (the access log). A guard whose finishing
  // step needs a round trip for this exchange (finish_is_async) is awaited first, by
  // finish_async; the call sites do that only when one does, so that other exchanges make no
  // coroutine frame for it.
  bool finish_is_async(const gateway::Pipeline::Route& route, const gateway::Exchange& ex) const;
  asio::awaitable<void> finish_async(const gateway::Pipeline::Route& route, gateway::Exchange& ex);
  void complete(const gateway::Pipeline::Route& route, gateway::Exchange& ex);

  Worker& w_;
  Stream s_;
  Watch watch_;
  gateway::ListenSpec listen_;
  http::IpAddress peer_;
  gateway::ConnectionInfo conn_;
  std::string sni_;
  beast::flat_buffer in_;
  beast::flat_buffer up_in_;
  std::string out_;
  std::string body_;
  // Plain TCP: the response body as views into up_in_, written with one gathering write.
  std::vector<std::string_view> pieces_;
  std::string chunk_lines_;  // the chunk-size lines of those pieces
  std::vector<asio::const_buffer> write_bufs_;
  // Where the first bytes of a response body are copied for the guards that asked (see
  // Guard::response_body_wanted); null when none did.
  std::string* sample_ = nullptr;
  uint64_t sample_want_ = 0;
  std::optional<tcp::socket> up_;
  size_t up_index_ = 0;
};

template <class Stream>
asio::awaitable<bool> Session<Stream>::handshake() {
  if constexpr (std::is_same_v<Stream, TlsConn>) {
    watch_.arm(w_.runtime->config.timeouts.head, kHead);
    error_code ec = co_await s_.handshake();
    if (ec) co_return false;
    SSL* ssl = s_.native_handle();
    conn_.tls_version = tls_version_of(ssl);
    if (const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name)) sni_ = name;
    conn_.sni = sni_;
  }
  co_return true;
}

template <class Stream>
void Session<Stream>::go_idle(std::chrono::milliseconds timeout, int phase) {
  // Idle keep-alive connections hold no request state: 10,000 of them must fit in little
  // memory. serve_one (whose frame is large) starts only once bytes arrive. The response has
  // been written, so nothing views up_in_ any more (release_upstream emptied it): it goes back
  // to the worker's spares.
  if constexpr (std::is_same_v<Stream, TlsConn>) {
    // The ciphertext arrives first, in TlsConn's own small buffer; this one is needed only once
    // it has come (in_ is empty here), and waits among the worker's spares until then.
    if (in_.capacity() == kIdleRead && w_.spare_small_buffers.size() < Worker::kMaxSpareBuffers) {
      in_.clear();
      w_.spare_small_buffers.push_back(std::move(in_));
      in_ = beast::flat_buffer();
    } else {
      in_.shrink_to_fit();
    }
  } else if (in_.capacity() > kIdleRead) {
    in_.shrink_to_fit();  // a small one is reused for the wait
  }
  if (up_in_.capacity() > 0) {
    if (w_.spare_buffers.size() < Worker::kMaxSpareBuffers) {
      up_in_.clear();
      w_.spare_buffers.push_back(std::move(up_in_));
      up_in_ = beast::flat_buffer();
    } else {
      up_in_.shrink_to_fit();
    }
  }
  if (out_.capacity() > kReadChunk) std::string().swap(out_);
  if (body_.capacity() > kReadChunk) std::string().swap(body_);
  watch_.arm(timeout, phase);
}

template <class Stream>
asio::awaitable<void> Session<Stream>::run() {
  if constexpr (std::is_same_v<Stream, tcp::socket>) {
    // Only the synchronous read of the rest of a large request (below) depends on it; Asio's
    // asynchronous operations work the same either way.
    error_code ignored;
    s_.non_blocking(true, ignored);
  }
  if (co_await handshake()) {
    for (bool first = true;; first = false) {
      const auto& timeouts = w_.runtime->config.timeouts;
      if (in_.size() == 0) {
        // Waits here rather than in a coroutine of its own (one frame fewer per request).
        go_idle(first ? timeouts.head : timeouts.keep_alive, first ? kHead : kIdle);
        // Plain TCP: read into a small buffer rather than wait for readability, since Asio
        // re-arms the descriptor in epoll (one more system call per request) for a wait but not
        // for a read. TLS: the same, for the ciphertext (see TlsConn::holds_nothing).
        error_code ec;
        size_t n = 0;
        if constexpr (std::is_same_v<Stream, TlsConn>) {
          if (s_.holds_nothing()) {
            std::tie(ec, n) = co_await s_.read_cipher(TlsConn::kIdleCipherRead);
            if (!ec) s_.commit_cipher(n);
          }
          if (!ec && in_.capacity() == 0 && !w_.spare_small_buffers.empty()) {
            in_ = std::move(w_.spare_small_buffers.back());
            w_.spare_small_buffers.pop_back();
          }
          if (!ec) {
            const int waiting_for = s_.read_now(in_.prepare(kIdleRead), n);
            if (waiting_for != SSL_ERROR_NONE) {
              std::tie(ec, n) = co_await s_.read_rest(in_.prepare(kIdleRead), waiting_for);
            }
          }
        } else {
          std::tie(ec, n) = co_await read_some(s_, in_.prepare(kIdleRead));
          if (!ec && n == kIdleRead) {
            // The request is larger than the idle read (a POST's body came with its head):
            // what else has arrived is taken now, so that head and body go upstream in one
            // write rather than two, and no read waits for bytes already here.
            // The socket is in non-blocking mode (run()): a read that finds nothing returns
            // would_block at once, and any other error is reported by the next read.
            in_.commit(n);
            error_code more_ec;
            n = lowest(s_).read_some(in_.prepare(kReadChunk), more_ec);
            if (more_ec) n = 0;
          }
        }
        if (ec) break;  // closed by the client, or silent past the timeout
        in_.commit(n);
      }
      std::shared_ptr<const Runtime> rt = w_.runtime;  // this exchange's configuration
      if (!co_await serve_one(*rt, first)) break;
      if (w_.draining) break;
    }
  }
  watch_.disarm();
  release_upstream(false);
  error_code ignored;
  lowest(s_).shutdown(tcp::socket::shutdown_both, ignored);
  lowest(s_).close(ignored);
}

template <class Stream>
std::optional<HeadResult> Session<Stream>::parse_head(const Runtime& rt, http::RequestParser& p,
                                                      Failure& failure) {
  const auto& limits = rt.config.limits;
  std::string_view view = view_of(in_);
  size_t end = http::find_head_end(view);
  if (end == std::string_view::npos) {
    size_t line_end = view.find('\n');
    if (line_end == std::string_view::npos && view.size() > limits.max_uri_length + 32) {
      failure = {414, "uri_too_long"};
      return HeadResult::kError;
    }
    if (view.size() > limits.max_head_size) {
      failure = {431, "header_too_large"};
      return HeadResult::kError;
    }
    return std::nullopt;
  }
  std::string_view head = view.substr(0, end);
  size_t line_end = head.find('\n');
  std::string_view line = head.substr(0, line_end);
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(' ');
  if (sp1 != std::string_view::npos && sp2 > sp1 && sp2 - sp1 - 1 > limits.max_uri_length) {
    failure = {414, "uri_too_long"};
    return HeadResult::kError;
  }
  if (http::has_obs_fold(head)) {
    failure = {400, "obs_fold"};
    return HeadResult::kError;
  }
  error_code ec;
  size_t used = p.put(in_.data(), ec);
  if (ec) {
    failure = {http::status_for_request_error(ec, p.rule_broken()),
               std::string(http::reason_for_request_error(ec, p.rule_broken()))};
    return HeadResult::kError;
  }
  in_.consume(used);
  return HeadResult::kOk;
}

template <class Stream>
asio::awaitable<HeadResult> Session<Stream>::read_head(const Runtime& rt, http::RequestParser& p,
                                                       bool first, Failure& failure) {
  bool got_any = in_.size() > 0;
  // The head timeout runs from the first byte (from the connection for the first request).
  if (got_any || !first) watch_.arm(rt.config.timeouts.head, kHead);
  for (;;) {
    if (in_.size() > 0) {
      std::optional<HeadResult> r = parse_head(rt, p, failure);
      if (r) co_return *r;
    }
    auto [ec, n] = co_await read_some(s_, in_.prepare(kReadChunk));
    if (ec) {
      if (watch_.expired() && got_any) {
        failure = {408, "head_timeout"};
        co_return HeadResult::kError;
      }
      // Closed by the client, or idle past the timeout without a byte of a request: close
      // without a word (as nginx does).
      co_return HeadResult::kClosed;
    }
    in_.commit(n);
    got_any = true;
  }
}

template <class Stream>
asio::awaitable<HeadResult> Session<Stream>::read_body_piece(const Runtime& rt,
                                                             http::RequestParser& p,
                                                             bool& need_more, Failure& failure) {
  watch_.arm(rt.config.timeouts.body, kBody);
  if (need_more) {
    auto [ec, n] = co_await read_some(s_, in_.prepare(kBodyChunk));
    if (ec) {
      if (!watch_.expired()) co_return HeadResult::kClosed;
      failure = {408, "body_timeout"};
      co_return HeadResult::kError;
    }
    in_.commit(n);
  }
  error_code ec;
  size_t used = p.put(in_.data(), ec);
  need_more = ec == beast::http::error::need_more || in_.size() == used;
  if (ec == beast::http::error::need_more) ec = {};
  if (ec) {
    failure = {http::status_for_request_error(ec, p.rule_broken()),
               std::string(http::reason_for_request_error(ec, p.rule_broken()))};
    co_return HeadResult::kError;
  }
  in_.consume(used);
  co_return HeadResult::kOk;
}

template <class Stream>
asio::awaitable<bool> Session<Stream>::write_client(const Runtime& rt, std::string_view data) {
  watch_.arm(rt.config.timeouts.body, kSend);
  auto [ec, n] = co_await write_all(s_, asio::buffer(data.data(), data.size()));
  co_return !ec;
}

template <class Stream>
bool Session<Stream>::prepare_response_part(std::string_view head, const BodyFraming& framing,
                                            bool last) {
  const bool chunked = framing.kind == BodyFraming::Kind::kChunked;
  if (sample_ != nullptr && sample_->size() < sample_want_) {
    auto keep = [&](std::string_view piece) {
      size_t room = size_t(sample_want_ - sample_->size());
      sample_->append(piece.substr(0, std::min(room, piece.size())));
    };
    if constexpr (std::is_same_v<Stream, tcp::socket>) {
      for (std::string_view piece : pieces_) keep(piece);
    } else {
      keep(body_);
    }
  }
  if constexpr (std::is_same_v<Stream, tcp::socket>) {
    // No copy of the body: the head, then the pieces where they lie, in one writev.
    // The member vector keeps its capacity from one response to the next, and async_write gets
    // a span of it (a copy of a span allocates nothing, a copy of a vector would).
    std::vector<asio::const_buffer>& bufs = write_bufs_;
    bufs.clear();
    if (!head.empty()) bufs.emplace_back(head.data(), head.size());
    chunk_lines_.clear();
    chunk_lines_.reserve(pieces_.size() * 20);
    for (std::string_view piece : pieces_) {
      if (chunked) {
        char buf[20];
        size_t at = chunk_lines_.size();
        chunk_lines_ += http::chunk_header(piece.size(), buf);
        bufs.emplace_back(chunk_lines_.data() + at, chunk_lines_.size() - at);
      }
      bufs.emplace_back(piece.data(), piece.size());
      if (chunked) bufs.emplace_back("\r\n", 2);
    }
    if (last) bufs.emplace_back("0\r\n\r\n", 5);
    pieces_.clear();
    return !bufs.empty();
  } else {
    // TLS: one contiguous buffer, so that it becomes as few records as it can.
    if (head.data() != out_.data()) out_.assign(head);
    append_body(out_, body_, framing);
    if (last) out_ += "0\r\n\r\n";
    return !out_.empty();
  }
}

template <class Stream>
asio::awaitable<bool> Session<Stream>::write_response_part(const Runtime& rt, std::string_view head,
                                                           const BodyFraming& framing, bool last) {
  if (!prepare_response_part(head, framing, last)) co_return true;
  co_return co_await write_prepared(rt);
}

template <class Stream>
asio::awaitable<bool> Session<Stream>::write_prepared(const Runtime& rt) {
  watch_.arm(rt.config.timeouts.body, kSend);
  if constexpr (std::is_same_v<Stream, tcp::socket>) {
    auto [ec, n] =
        co_await asio::async_write(s_, std::span<const asio::const_buffer>(write_bufs_), kTok);
    co_return !ec;
  } else {
    const asio::const_buffer all = asio::buffer(out_.data(), out_.size());
    size_t done = 0;
    const int waiting_for = s_.write_now(all, done);
    bool ok = true;
    if (waiting_for != SSL_ERROR_NONE) {
      auto [ec, n] = co_await s_.write_rest(all, done, waiting_for);
      ok = !ec;
    }
    out_.clear();
    co_return ok;
  }
}

template <class Stream>
asio::awaitable<bool> Session<Stream>::write_upstream(const Runtime& rt, std::string_view data) {
  watch_.arm(rt.config.timeouts.upstream_response, kSend);
  auto [ec, n] = co_await asio::async_write(*up_, asio::buffer(data.data(), data.size()), kTok);
  co_return !ec;
}

template <class Stream>
bool Session<Stream>::take_kept_upstream(bool check_idle, size_t& picked) {
  if (up_in_.capacity() == 0 && !w_.spare_buffers.empty()) {
    up_in_ = std::move(w_.spare_buffers.back());
    w_.spare_buffers.pop_back();
  }
  if (w_.pool.size() == 0) return false;
  picked = w_.pool.pick(Clock::now());
  return use_kept_upstream(picked, check_idle);
}

template <class Stream>
bool Session<Stream>::use_kept_upstream(size_t i, bool check_idle) {
  auto idle = w_.pool.take_idle(i, check_idle);
  if (!idle) return false;
  up_.emplace(std::move(*idle));
  up_index_ = i;
  watch_.upstream = &*up_;
  return true;
}

template <class Stream>
asio::awaitable<bool> Session<Stream>::connect_upstream(const Runtime& rt, bool check_idle,
                                                        size_t picked, bool& reused,
                                                        bool& timed_out) {
  reused = false;
  timed_out = true;
  const size_t count = w_.pool.size();
  for (size_t attempt = 0; attempt < count; ++attempt) {
    // The first upstream was picked (and found without a kept connection) by take_kept_upstream.
    size_t i = attempt == 0 ? picked : w_.pool.pick(Clock::now());
    if (attempt > 0 && use_kept_upstream(i, check_idle)) {
      reused = true;
      co_return true;
    }
    tcp::socket sock(w_.io);
    watch_.upstream = &sock;
    watch_.arm(rt.config.timeouts.upstream_connect, kConnect);
    auto [ec] = co_await sock.async_connect(w_.pool.endpoint(i), kTok);
    watch_.upstream = nullptr;
    if (!ec) {
      error_code ignored;
      sock.set_option(tcp::no_delay(true), ignored);
      w_.pool.mark_success(i);
      up_.emplace(std::move(sock));
      up_index_ = i;
      watch_.upstream = &*up_;
      co_return true;
    }
    w_.pool.mark_failure(i, Clock::now());
    if (!watch_.expired()) timed_out = false;
    log_warn(
        "upstream " + rt.config.upstreams[i % rt.config.upstreams.size()].text +
        " unreachable: " + (watch_.expired() ? std::string("connect timed out") : ec.message()));
  }
  co_return false;
}

template <class Stream>
void Session<Stream>::release_upstream(bool reusable) {
  watch_.upstream = nullptr;
  if (!up_) return;
  if (reusable && up_in_.size() == 0) {
    w_.pool.give_back(up_index_, std::move(*up_));
  }
  up_.reset();
  up_in_.clear();
}

template <class Stream>
bool Session<Stream>::finish_is_async(const gateway::Pipeline::Route& route,
                                      const gateway::Exchange& ex) const {
  for (const auto& g : route.guards) {
    if (g->finish_is_async(ex)) return true;
  }
  return false;
}

template <class Stream>
asio::awaitable<void> Session<Stream>::finish_async(const gateway::Pipeline::Route& route,
                                                    gateway::Exchange& ex) {
  for (const auto& g : route.guards) {
    if (g->finish_is_async(ex)) co_await g->on_finish_async(ex);
  }
}

template <class Stream>
void Session<Stream>::complete(const gateway::Pipeline::Route& route, gateway::Exchange& ex) {
  for (const auto& g : route.guards) {
    if (!g->finish_is_async(ex)) g->on_finish(ex);
  }
  for (const auto& g : route.guards) g->on_complete(ex);
}

template <class Stream>
asio::awaitable<bool> Session<Stream>::send_local(const Runtime& rt, gateway::Exchange* ex,
                                                  const gateway::Pipeline::Route* route,
                                                  gateway::Reply reply, bool close) {
  http::ResponseHead head;
  head.status = reply.status;
  head.headers = std::move(reply.headers);
  std::string body = reply.body.empty() ? status_page(reply.status) : std::move(reply.body);
  if (!body.empty()) head.headers.set("Content-Type", reply.content_type);
  head.headers.set("Cache-Control", "no-store");
  if (ex != nullptr) {
    ex->status = reply.status;
    ex->response_body_bytes = body.size();
    if (route != nullptr) {
      for (const auto& g : route->guards) g->on_response(*ex, head);
    }
  }
  if (close) head.headers.set("Connection", "close");
  out_.clear();
  http::append_response_head(out_, head, BodyFraming{BodyFraming::Kind::kLength, body.size()});
  out_ += body;
  bool ok = co_await write_client(rt, out_);
  co_return ok && !close;
}

template <class Stream>
asio::awaitable<bool> Session<Stream>::serve_one(const Runtime& rt, bool first) {
  http::RequestParser p(rt.parser_limits);
  body_.clear();
  p.set_body_sink(&body_);
  Failure failure;
  std::optional<HeadResult> parsed;
  if (in_.size() > 0) {
    watch_.arm(rt.config.timeouts.head, kHead);  // as read_head does
    parsed = parse_head(rt, p, failure);
  }
  HeadResult hr = HeadResult::kOk;
  if (parsed) {
    hr = *parsed;
  } else {
    hr = co_await read_head(rt, p, first, failure);
  }
  if (hr == HeadResult::kClosed) co_return false;

  http::RequestHead& req = p.head();
  http::ClientView client;
  client.address = peer_;
  client.scheme = listen_.tls ? "https" : "http";
  const gateway::Pipeline::Route& default_route = rt.pipeline->match("/");

  if (hr == HeadResult::kError) {
    gateway::Exchange ex{req,
                         client,
                         conn_,
                         default_route.prefix,
                         std::chrono::system_clock::now(),
                         std::chrono::steady_clock::now(),
                         {}};
    ex.add_event({"http", failure.reason, gateway::Action::kBlocked, "request",
                  "the request broke a protocol rule or limit"});
    gateway::Reply reply;
    reply.status = failure.status;
    reply.reason = failure.reason;
    co_await send_local(rt, &ex, &default_route, std::move(reply), true);
    if (finish_is_async(default_route, ex)) co_await finish_async(default_route, ex);
    complete(default_route, ex);
    co_return false;
  }

  // Host: the authority of an absolute-form target wins (RFC 9112 section 3.2.2).
  const size_t hosts = req.headers.count("Host");
  std::string bad_host;
  if (!p.absolute_authority().empty()) {
    req.headers.set("Host", p.absolute_authority());
  } else if (hosts > 1) {
    bad_host = "duplicate_host";
  } else if (hosts == 0 && req.version == 11) {
    bad_host = "missing_host";
  }
  client = http::resolve_client(peer_, req.headers, rt.config.trusted_proxies, client.scheme);
  std::string host_name = host_without_port(client.host);
  const gateway::Pipeline::Route& route = rt.pipeline->match(req.path());
  gateway::Exchange ex{req,
                       client,
                       conn_,
                       route.prefix,
                       std::chrono::system_clock::now(),
                       std::chrono::steady_clock::now(),
                       {}};
  auto own_host = req.headers.get("Host");
  std::string own_host_name = own_host ? host_without_port(*own_host) : "";

  auto local = [&](int status, std::string reason, bool close) -> asio::awaitable<bool> {
    ex.add_event({"http", reason, gateway::Action::kBlocked, "request", "refused by the gateway"});
    gateway::Reply reply;
    reply.status = status;
    reply.reason = std::move(reason);
    bool keep = co_await send_local(rt, &ex, &route, std::move(reply), close || !p.is_done());
    if (finish_is_async(route, ex)) co_await finish_async(route, ex);
    complete(route, ex);
    co_return keep;
  };

  if (!bad_host.empty()) co_return co_await local(400, bad_host, true);
  if (!rt.config.domains.empty() && !own_host_name.empty() &&
      std::find(rt.config.domains.begin(), rt.config.domains.end(), own_host_name) ==
          rt.config.domains.end()) {
    co_return co_await local(421, "unknown_host", false);
  }

  // A plain-HTTP listener beside an HTTPS one sends browsers to HTTPS.
  if (listen_.redirect_to_https && !req.path().starts_with("/.well-known/acme-challenge/")) {
    if (own_host_name.empty()) co_return co_await local(400, "missing_host", true);
    std::string location = "https://";
    location += own_host_name.find(':') != std::string::npos && own_host_name.front() != '['
                    ? "[" + own_host_name + "]"
                    : own_host_name;
    if (rt.https_port != 443) location += ":" + std::to_string(rt.https_port);
    location += req.target;
    gateway::Reply reply;
    reply.status = 308;
    reply.reason = "redirect_to_https";
    reply.body = "<!doctype html>\n<title>308 Permanent Redirect</title><a href=\"" + location +
                 "\">Continue over HTTPS</a>\n";
    reply.headers.add("Location", location);
    bool keep = co_await send_local(rt, &ex, &route, std::move(reply), !p.is_done());
    if (finish_is_async(route, ex)) co_await finish_async(route, ex);
    complete(route, ex);
    co_return keep;
  }

  // The guards' request steps. (No co_await inside a conditional expression: GCC 12 destroys
  // the temporary of such an expression twice, and a Reply with headers was freed twice.)
  for (const auto& g : route.guards) {
    std::optional<gateway::Reply> reply;
    if (g->request_is_async_for(ex)) {
      reply = co_await g->on_request_async(ex);
    } else {
      reply = g->on_request(ex);
    }
    if (reply) {
      bool keep = co_await send_local(rt, &ex, &route, std::move(*reply), !p.is_done());
      if (finish_is_async(route, ex)) co_await finish_async(route, ex);
      complete(route, ex);
      co_return keep;
    }
  }

  // Expect: 100-continue is answered by the gateway itself, once it is ready for the body.
  bool send_continue = false;
  if (auto expect = req.headers.get("Expect")) {
    if (!iequals(trim(*expect), "100-continue")) co_return co_await local(417, "bad_expect", true);
    send_continue = req.version == 11 && !p.is_done() && body_.empty() && in_.size() == 0;
    req.headers.remove("Expect");
  }

  // Guards that must see the body (the WAF) get up to what they ask for, decoded, before the
  // request goes on; the rest streams as usual.
  uint64_t body_wanted = 0;
  for (const auto& g : route.guards)
    body_wanted = std::max(body_wanted, g->request_body_wanted(ex));
  if (body_wanted > 0) {
    if (send_continue && !p.is_done()) {
      if (!co_await write_client(rt, "HTTP/1.1 100 Continue\r\n\r\n")) co_return false;
      send_continue = false;
    }
    // Reads are at most kBodyChunk, so the held-back body exceeds what the guards want by less
    // than that.
    bool need_more = in_.size() == 0;
    while (!p.is_done() && body_.size() < body_wanted) {
      HeadResult r = co_await read_body_piece(rt, p, need_more, failure);
      if (r == HeadResult::kClosed) co_return false;
      if (r == HeadResult::kError) co_return co_await local(failure.status, failure.reason, true);
    }
    ex.request_body_bytes = p.body_bytes();
    for (const auto& g : route.guards) {
      if (g->request_body_wanted(ex) == 0) continue;
      std::string_view seen(body_.data(), size_t(std::min<uint64_t>(body_.size(), body_wanted)));
      const bool body_complete = p.is_done() && seen.size() == body_.size();
      std::optional<gateway::Reply> reply;
      if (g->request_body_is_async()) {
        reply = co_await g->on_request_body_async(ex, seen, body_complete);
      } else {
        reply = g->on_request_body(ex, seen, body_complete);
      }
      if (reply) {
        bool keep = co_await send_local(rt, &ex, &route, std::move(*reply), !p.is_done());
        if (finish_is_async(route, ex)) co_await finish_async(route, ex);
        complete(route, ex);
        co_return keep;
      }
    }
  }

  // WebSocket upgrades pass through; other upgrades (h2c) are dropped with the hop-by-hop fields.
  std::string upgrade;
  if (req.headers.has_token("Connection", "upgrade") &&
      req.headers.has_token("Upgrade", "websocket")) {
    upgrade = *req.headers.get("Upgrade");
  }
  http::strip_hop_by_hop(req.headers, true);
  http::set_forwarding_headers(req.headers, client);
  if (!upgrade.empty()) {
    req.headers.add("Connection", "Upgrade");
    req.headers.add("Upgrade", upgrade);
  }
  BodyFraming req_framing;
  if (p.chunked()) {
    req_framing.kind = BodyFraming::Kind::kChunked;
  } else if (auto cl = p.content_length()) {
    req_framing = {BodyFraming::Kind::kLength, *cl};
  }
  const bool is_head = req.method == "HEAD";

  out_.clear();
  http::append_request_head(out_, req, req_framing);
  append_body(out_, body_, req_framing);
  bool body_done = p.is_done();
  if (body_done && req_framing.kind == BodyFraming::Kind::kChunked) out_ += "0\r\n\r\n";
  const bool replayable = body_done;

  std::optional<http::ResponseParser> rp_holder;
  bool have_response = false;
  // The upstream stopped taking the request before all of it was sent: it may have answered
  // early (a sync gunicorn worker answers before its application reads the body, then closes).
  // That answer still goes to the client, whose connection then closes (the rest of its body is
  // never read); without one, 502.
  bool request_cut = false;
  for (int attempt = 0; attempt < 3 && !have_response; ++attempt) {
    bool reused = false;
    bool connect_timed_out = false;
    size_t picked = 0;
    bool connected = take_kept_upstream(!replayable, picked);
    if (connected) {
      reused = true;
    } else {
      connected = co_await connect_upstream(rt, !replayable, picked, reused, connect_timed_out);
    }
    if (!connected) {
      if (connect_timed_out)
        co_return co_await local(504, "upstream_connect_timeout", !p.is_done());
      co_return co_await local(502, "upstream_unreachable", !p.is_done());
    }
    bool retry_ok = reused && replayable;
    // As write_upstream does, without a coroutine frame of its own on this path.
    watch_.arm(rt.config.timeouts.upstream_response, kSend);
    auto [wec, wn] = co_await asio::async_write(*up_, asio::buffer(out_.data(), out_.size()), kTok);
    if (wec) {
      if (retry_ok) {
        release_upstream(false);
        continue;
      }
      request_cut = true;
    }
    if (!body_done && !request_cut) {
      if (send_continue) {
        if (!co_await write_client(rt, "HTTP/1.1 100 Continue\r\n\r\n")) co_return false;
        send_continue = false;
      }
      bool need_more = in_.size() == 0;
      while (!p.is_done()) {
        HeadResult r = co_await read_body_piece(rt, p, need_more, failure);
        if (r != HeadResult::kOk) {
          release_upstream(false);
          if (r == HeadResult::kClosed) co_return false;  // the client went away
          co_return co_await local(failure.status, failure.reason, true);
        }
        std::string chunk;
        append_body(chunk, body_, req_framing);
        if (p.is_done() && req_framing.kind == BodyFraming::Kind::kChunked) chunk += "0\r\n\r\n";
        if (!chunk.empty() && !co_await write_upstream(rt, chunk)) {
          request_cut = true;
          break;
        }
      }
      body_done = !request_cut;
    }
    ex.request_body_bytes = p.body_bytes();

    // The response head; 1xx interim responses (but 101) are skipped.
    rp_holder.emplace();
    rp_holder->set_body_sink(&body_);
    if constexpr (std::is_same_v<Stream, tcp::socket>) rp_holder->set_body_pieces(&pieces_);
    if (is_head) rp_holder->skip(true);
    bool got_bytes = false;
    bool timed_out = false;
    watch_.arm(rt.config.timeouts.upstream_response, kUpstream);
    for (;;) {
      if (up_in_.size() > 0) {
        error_code ec;
        size_t used = rp_holder->put(up_in_.data(), ec);
        if (ec == beast::http::error::need_more) {
          ec = {};
        } else if (ec) {
          break;
        } else {
          up_in_.consume(used);
          if (rp_holder->is_header_done()) {
            int st = rp_holder->head().status;
            if (st >= 100 && st < 200 && st != 101) {
              rp_holder.emplace();
              rp_holder->set_body_sink(&body_);
              if constexpr (std::is_same_v<Stream, tcp::socket>)
                rp_holder->set_body_pieces(&pieces_);
              if (is_head) rp_holder->skip(true);
              continue;
            }
            have_response = true;
            break;
          }
        }
      }
      auto [ec, n] = co_await up_->async_read_some(up_in_.prepare(kBodyChunk), kTok);
      if (ec) {
        timed_out = watch_.expired();
        break;
      }
      got_bytes = true;
      up_in_.commit(n);
    }
    if (have_response) break;
    release_upstream(false);
    if (request_cut) co_return co_await local(502, "upstream_write_failed", true);
    if (timed_out) co_return co_await local(504, "upstream_timeout", true);
    if (!got_bytes && retry_ok) continue;
    w_.pool.mark_failure(up_index_, Clock::now());
    co_return co_await local(502, "upstream_bad_response", true);
  }
  if (!have_response) co_return co_await local(502, "upstream_unreachable", true);

  http::ResponseParser& r = *rp_holder;
  http::ResponseHead& resp = r.head();
  const int status = resp.status;
  const bool upgraded = !upgrade.empty() && status == 101;
  const bool no_body = is_head || status == 204 || status == 304 || (status >= 100 && status < 200);
  std::string upstream_length;
  if (auto cl = resp.headers.get("Content-Length")) upstream_length = *cl;
  std::string upstream_upgrade;
  if (auto u = resp.headers.get("Upgrade")) upstream_upgrade = *u;
  http::strip_hop_by_hop(resp.headers, false);
  if (upgraded) {
    resp.headers.add("Connection", "Upgrade");
    resp.headers.add("Upgrade", upstream_upgrade);
  }
  ex.status = status;
  for (const auto& g : route.guards) g->on_response(ex, resp);
  sample_want_ = 0;
  for (const auto& g : route.guards)
    sample_want_ = std::max(sample_want_, g->response_body_wanted(ex, resp));
  sample_ = sample_want_ > 0 ? &ex.response_body_sample : nullptr;
  struct SampleReset {
    std::string*& sample;
    ~SampleReset() { sample = nullptr; }
  } sample_reset{sample_};

  BodyFraming framing;
  bool close_after = !p.keep_alive() || w_.draining || !p.is_done();
  if (request_cut) {
    ex.add_event({"http", "upstream_answered_early", gateway::Action::kLogged, "request",
                  "the upstream answered and closed before it had read the whole request"});
  }
  if (upgraded || (no_body && upstream_length.empty())) {
    framing.kind = BodyFraming::Kind::kNone;
  } else if (no_body) {
    auto n = parse_u64(trim(upstream_length));
    framing = n ? BodyFraming{BodyFraming::Kind::kLength, *n} : BodyFraming{};
  } else if (r.chunked()) {
    framing.kind = BodyFraming::Kind::kChunked;
  } else if (auto cl = r.content_length()) {
    framing = {BodyFraming::Kind::kLength, *cl};
  } else if (req.version == 11) {
    framing.kind = BodyFraming::Kind::kChunked;  // the upstream ends its body by closing
  } else {
    framing.kind = BodyFraming::Kind::kUntilClose;
    close_after = true;
  }
  if (!upgraded) {
    if (close_after) {
      resp.headers.add("Connection", "close");
    } else if (req.version == 10) {
      resp.headers.add("Connection", "keep-alive");
    }
  }
  out_.clear();
  http::append_response_head(out_, resp, framing);
  const bool chunked_out = framing.kind == BodyFraming::Kind::kChunked;
  bool sent_last = !no_body && r.is_done() && chunked_out;
  // write_response_part, inlined (see prepare_response_part).
  bool head_sent = true;
  if (prepare_response_part(out_, framing, sent_last)) {
    watch_.arm(rt.config.timeouts.body, kSend);
    if constexpr (std::is_same_v<Stream, tcp::socket>) {
      auto [ec, n] =
          co_await asio::async_write(s_, std::span<const asio::const_buffer>(write_bufs_), kTok);
      head_sent = !ec;
    } else {
      // Written at once unless the socket is full (then write_rest waits and goes on).
      const asio::const_buffer all = asio::buffer(out_.data(), out_.size());
      size_t done = 0;
      const int waiting_for = s_.write_now(all, done);
      if (waiting_for != SSL_ERROR_NONE) {
        auto [ec, n] = co_await s_.write_rest(all, done, waiting_for);
        head_sent = !ec;
      }
      out_.clear();
    }
  }
  if (!head_sent) {
    release_upstream(false);
    ex.response_body_bytes = r.body_bytes();
    if (finish_is_async(route, ex)) co_await finish_async(route, ex);
    complete(route, ex);
    co_return false;
  }

  if (upgraded) {
    if (finish_is_async(route, ex)) co_await finish_async(route, ex);
    complete(route, ex);
    co_await tunnel(rt);
    co_return false;
  }

  bool upstream_ok = true;
  bool need_more = up_in_.size() == 0;
  while (!no_body && !r.is_done()) {
    watch_.arm(rt.config.timeouts.upstream_response, kUpstream);
    if (need_more) {
      auto [ec, n] = co_await up_->async_read_some(up_in_.prepare(kBodyChunk), kTok);
      if (ec == asio::error::eof && r.need_eof()) {
        error_code ec2;
        r.put_eof(ec2);
        if (ec2) upstream_ok = false;
        break;
      }
      if (ec) {
        upstream_ok = false;
        break;
      }
      up_in_.commit(n);
    }
    error_code ec;
    size_t used = r.put(up_in_.data(), ec);
    need_more = ec == beast::http::error::need_more || up_in_.size() == used;
    if (ec == beast::http::error::need_more) ec = {};
    if (ec) {
      upstream_ok = false;
      break;
    }
    // The pieces stay readable after consume(): the buffer moves only at the next prepare().
    up_in_.consume(used);
    bool last = r.is_done() && chunked_out;
    sent_last = sent_last || last;
    if (!co_await write_response_part(rt, {}, framing, last)) {
      release_upstream(false);
      ex.response_body_bytes = r.body_bytes();
      if (finish_is_async(route, ex)) co_await finish_async(route, ex);
      complete(route, ex);
      co_return false;
    }
  }
  if (upstream_ok && !no_body && r.is_done() && chunked_out && !sent_last) {
    // The body ended by the upstream closing: the final chunk is still owed.
    if (!co_await write_client(rt, "0\r\n\r\n")) upstream_ok = false;
  }
  ex.response_body_bytes = r.body_bytes();
  if (!upstream_ok) {
    // Too late for an error page: the client sees a truncated body, which is the truth.
    release_upstream(false);
    ex.add_event({"http", "upstream_broke_response", gateway::Action::kLogged, "response",
                  "the upstream failed while sending the body"});
    if (finish_is_async(route, ex)) co_await finish_async(route, ex);
    complete(route, ex);
    co_return false;
  }
  release_upstream(!request_cut && r.keep_alive() && r.is_done());
  if (finish_is_async(route, ex)) co_await finish_async(route, ex);
  complete(route, ex);
  co_return !close_after;
}

template <class Stream>
asio::awaitable<void> Session<Stream>::pump_to_upstream(const Runtime& rt) {
  if (in_.size() > 0) {
    auto [ec, n] = co_await asio::async_write(*up_, in_.data(), kTok);
    if (ec) co_return;
    in_.consume(n);
  }
  std::vector<char> buf(kReadChunk);
  for (;;) {
    watch_.arm(rt.config.timeouts.websocket_idle, kTunnel);
    auto [ec, n] = co_await read_some(s_, asio::buffer(buf));
    if (ec) co_return;
    auto [wec, wn] = co_await asio::async_write(*up_, asio::buffer(buf.data(), n), kTok);
    if (wec) co_return;
  }
}

template <class Stream>
asio::awaitable<void> Session<Stream>::pump_to_client(const Runtime& rt) {
  if (up_in_.size() > 0) {
    auto [ec, n] = co_await write_all(s_, up_in_.data());
    if (ec) co_return;
    up_in_.consume(n);
  }
  std::vector<char> buf(kReadChunk);
  for (;;) {
    auto [ec, n] = co_await up_->async_read_some(asio::buffer(buf), kTok);
    if (ec) co_return;
    watch_.arm(rt.config.timeouts.websocket_idle, kTunnel);
    auto [wec, wn] = co_await write_all(s_, asio::buffer(buf.data(), n));
    if (wec) co_return;
  }
}

template <class Stream>
asio::awaitable<void> Session<Stream>::tunnel(const Runtime& rt) {
  using namespace asio::experimental::awaitable_operators;
  // Either side closing ends both: the other direction's pending read is cancelled.
  co_await (pump_to_upstream(rt) || pump_to_client(rt));
  release_upstream(false);
}

template <class Stream>
asio::awaitable<void> serve(std::unique_ptr<Session<Stream>> session) {
  try {
    co_await session->run();
  } catch (const std::exception& e) {
    // Only resource exhaustion (bad_alloc) can get here: I/O errors are values.
    log_error(std::string("connection ended by an internal error: ") + e.what());
  }
}

}  // namespace

void start_session(Worker& w, tcp::socket socket, const gateway::ListenSpec& listen) {
  error_code ec;
  auto remote = socket.remote_endpoint(ec);
  if (ec) return;
  socket.set_option(tcp::no_delay(true), ec);
  http::IpAddress peer;
  auto addr = remote.address();
  if (addr.is_v4()) {
    auto b = addr.to_v4().to_bytes();
    peer.bytes[10] = peer.bytes[11] = 0xff;
    std::copy(b.begin(), b.end(), peer.bytes.begin() + 12);
  } else {
    auto b = addr.to_v6().to_bytes();
    std::copy(b.begin(), b.end(), peer.bytes.begin());
  }
  // Per client: refused before any byte is read (or TLS handshake made). Trusted proxies carry
  // many clients and are not limited.
  const gateway::GatewayConfig& cfg = w.runtime->config;
  const bool per_client =
      cfg.limits.max_connections_per_client > 0 && !cfg.trusted_proxies.contains(peer);
  if (per_client && !w.counters.per_client.acquire(peer, cfg.limits.max_connections_per_client)) {
    w.counters.refused_per_client.fetch_add(1, std::memory_order_relaxed);
    note_refusal(w.counters, "limits.max_connections_per_client");
    return;  // closed by the socket's destructor
  }
  w.counters.connections.fetch_add(1, std::memory_order_relaxed);
  struct Count {
    Worker& w;
    http::IpAddress peer;
    bool per_client;
    ~Count() {
      w.counters.connections.fetch_sub(1, std::memory_order_relaxed);
      if (per_client) w.counters.per_client.release(peer);
    }
  };
  if (listen.tls && w.runtime->tls) {
    auto s = std::make_unique<Session<TlsConn>>(
        w, TlsConn(std::move(socket), w.runtime->tls->default_context()), listen, peer);
    asio::co_spawn(
        w.io,
        [&w, s = std::move(s), peer, per_client]() mutable -> asio::awaitable<void> {
          Count c{w, peer, per_client};
          co_await serve(std::move(s));
        },
        asio::detached);
  } else {
    auto s = std::make_unique<Session<tcp::socket>>(w, std::move(socket), listen, peer);
    asio::co_spawn(
        w.io,
        [&w, s = std::move(s), peer, per_client]() mutable -> asio::awaitable<void> {
          Count c{w, peer, per_client};
          co_await serve(std::move(s));
        },
        asio::detached);
  }
}

}  // namespace rampart::net
