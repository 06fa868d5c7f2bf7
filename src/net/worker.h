#pragma once
// One worker thread's world: its io_context, the current Runtime, its listening sockets, its
// upstream pool and watchdog, and the counters the drain and the limits need. Everything here
// is touched only from the worker's own thread, except `stats` (atomics) and the runtime swap,
// which is posted to the thread.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <memory>

#include "net/client_connections.h"
#include "net/server.h"
#include "net/upstream_pool.h"
#include "net/watchdog.h"

namespace rampart::net {

struct SharedCounters {
  std::atomic<uint64_t> connections{0};          // open client connections, all workers
  std::atomic<uint64_t> refused_connections{0};  // over max_connections (for the metrics)
  std::atomic<uint64_t> refused_per_client{0};   // over max_connections_per_client
  std::atomic<int64_t> last_refusal_log{0};      // steady ms: refusals are logged every 10 s
  ClientConnections per_client;
};

// Logs refused connections at most once every 10 seconds, with the counts so far.
void note_refusal(SharedCounters& c, std::string_view why);

struct Worker {
  // One thread runs `io`, and only that thread touches its sockets (other threads only post to
  // it): the per-socket locks of Asio's reactor are not needed, and would cost a lock and an
  // unlock for every read, write and readiness event.
  explicit Worker(SharedCounters& c)
      : io(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO), sweep_timer(io), counters(c) {}

  boost::asio::io_context io;
  std::shared_ptr<const Runtime> runtime;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors;
  UpstreamPool pool;
  Watchdog watchdog;
  boost::asio::steady_timer sweep_timer;
  SharedCounters& counters;
  bool draining = false;
  // Upstream read buffers that sessions lent back when they went idle: a session between
  // requests holds none, and the next one to talk to an upstream takes one rather than
  // allocating (and touching) a fresh one. At most kMaxSpareBuffers are kept.
  static constexpr size_t kMaxSpareBuffers = 256;
  std::vector<boost::beast::flat_buffer> spare_buffers;
  // The same for the request buffers of idle TLS connections (their ciphertext comes first, in
  // a buffer of the connection's own).
  std::vector<boost::beast::flat_buffer> spare_small_buffers;
};

// Serves one accepted client connection (plain, or TLS after the handshake) until it closes.
void start_session(Worker& w, boost::asio::ip::tcp::socket socket,
                   const gateway::ListenSpec& listen);

}  // namespace rampart::net
