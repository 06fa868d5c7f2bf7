#include "net/server.h"

#include <sched.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdlib>
#include <thread>

#include "common/logging.h"
#include "common/strings.h"
#include "net/admin_socket.h"
#include "net/worker.h"
#include "state/thread_executor.h"

namespace rampart::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto kTok = asio::as_tuple(asio::use_awaitable);
constexpr auto kSweepInterval = std::chrono::milliseconds(100);

StatusOr<std::vector<tcp::endpoint>> resolve_upstreams(const gateway::GatewayConfig& config) {
  asio::io_context io;
  tcp::resolver resolver(io);
  std::vector<tcp::endpoint> out;
  for (const auto& u : config.upstreams) {
    boost::system::error_code ec;
    auto results = resolver.resolve(u.host, std::to_string(u.port), ec);
    if (ec || results.empty()) {
      return Status::error(config.source + ": upstream " + u.text + ": cannot resolve " + u.host +
                           (ec ? ": " + ec.message() : ""));
    }
    out.push_back(results.begin()->endpoint());
  }
  return out;
}

StatusOr<tcp::endpoint> listen_endpoint(const gateway::ListenSpec& l) {
  if (l.host.empty()) return tcp::endpoint(asio::ip::address_v6::any(), l.port);
  std::string host = l.host == "localhost" ? "127.0.0.1" : l.host;
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  if (ec) return Status::error("cannot listen on " + l.text + ": " + ec.message());
  return tcp::endpoint(addr, l.port);
}

Status open_acceptor(Worker& w, const gateway::ListenSpec& l, tcp::acceptor& acc) {
  auto ep = listen_endpoint(l);
  if (!ep.ok()) return ep.status();
  boost::system::error_code ec;
  acc.open(ep->protocol(), ec);
  if (ec && ep->address().is_v6() && l.host.empty()) {
    // No IPv6 on this host: all IPv4 addresses, then.
    *ep = tcp::endpoint(asio::ip::address_v4::any(), l.port);
    acc.open(ep->protocol(), ec);
  }
  if (ec) return Status::error("cannot listen on " + l.text + ": " + ec.message());
  acc.set_option(tcp::acceptor::reuse_address(true), ec);
  int one = 1;
  // Every worker binds the same address; the kernel spreads new connections over them.
  ::setsockopt(acc.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (ep->address().is_v6()) acc.set_option(asio::ip::v6_only(!l.host.empty()), ec);
  acc.bind(*ep, ec);
  if (ec) return Status::error("cannot listen on " + l.text + ": " + ec.message());
  acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::error("cannot listen on " + l.text + ": " + ec.message());
  (void)w;
  return Status();
}

asio::awaitable<void> accept_loop(Worker& w, tcp::acceptor& acc, gateway::ListenSpec spec) {
  asio::steady_timer pause(w.io);
  for (;;) {
    auto [ec, socket] = co_await acc.async_accept(kTok);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acc.is_open()) co_return;
      // Out of descriptors or memory: wait a little rather than spin.
      log_warn("accept failed: " + ec.message());
      pause.expires_after(std::chrono::milliseconds(100));
      co_await pause.async_wait(kTok);
      continue;
    }
    const auto& limits = w.runtime->config.limits;
    if (w.draining ||
        w.counters.connections.load(std::memory_order_relaxed) >= limits.max_connections) {
      w.counters.refused_connections.fetch_add(1, std::memory_order_relaxed);
      if (!w.draining) note_refusal(w.counters, "limits.max_connections");
      continue;  // closed by the socket's destructor
    }
    start_session(w, std::move(socket), spec);
  }
}

asio::awaitable<void> sweep_loop(Worker& w) {
  for (;;) {
    w.sweep_timer.expires_after(kSweepInterval);
    auto [ec] = co_await w.sweep_timer.async_wait(kTok);
    if (ec) co_return;
    w.watchdog.sweep(Clock::now());
  }
}

void begin_drain(Worker& w) {
  w.draining = true;
  for (auto& a : w.acceptors) {
    boost::system::error_code ignored;
    a->close(ignored);
  }
  w.pool.close_idle();
  // Connections between requests end now; those in the middle of one finish it first.
  w.watchdog.for_each([](Watch& watch) {
    if (watch.what() == 1 /* idle */ && watch.client != nullptr) {
      boost::system::error_code ignored;
      watch.client->cancel(ignored);
    }
  });
}

std::string describe(const Runtime& rt) {
  std::string out;
  for (const auto& l : rt.config.listeners) {
    if (!out.empty()) out += ", ";
    out += (l.tls ? "https://" : "http://") + (l.host.empty() ? std::string("*") : l.host) + ":" +
           std::to_string(l.port);
    if (l.redirect_to_https) out += " (redirects to HTTPS)";
  }
  out += " -> ";
  for (size_t i = 0; i < rt.config.upstreams.size(); ++i) {
    if (i > 0) out += ", ";
    out += rt.config.upstreams[i].text;
  }
  return out;
}

}  // namespace

void note_refusal(SharedCounters& c, std::string_view why) {
  int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now().time_since_epoch())
                    .count();
  int64_t last = c.last_refusal_log.load(std::memory_order_relaxed);
  if (last != 0 && now - last < 10'000) return;
  if (!c.last_refusal_log.compare_exchange_strong(last, now)) return;
  log_warn("refusing connections over " + std::string(why) +
           " (so far: " + std::to_string(c.refused_connections.load()) + " over max_connections, " +
           std::to_string(c.refused_per_client.load()) + " over max_connections_per_client)");
}

StatusOr<std::shared_ptr<const Runtime>> build_runtime(gateway::GatewayConfig config) {
  auto rt = std::make_shared<Runtime>();
  auto pipeline = gateway::Pipeline::build(config);
  if (!pipeline.ok()) return pipeline.status();
  rt->pipeline = *pipeline;
  if (config.any_tls_listener()) {
    auto tls = TlsStore::build(config);
    if (!tls.ok()) return tls.status();
    rt->tls = *tls;
  }
  auto endpoints = resolve_upstreams(config);
  if (!endpoints.ok()) return endpoints.status();
  rt->upstream_endpoints = *endpoints;
  rt->parser_limits.max_head_size = config.limits.max_head_size;
  rt->parser_limits.max_fields = config.limits.max_headers;
  rt->parser_limits.max_body = config.limits.max_body_size;
  for (const auto& l : config.listeners) {
    if (l.tls) {
      rt->https_port = l.port;
      break;
    }
  }
  if (config.domains.empty()) {
    log_warn(
        "no domains configured: requests for any host name are served; list yours under "
        "'domains' so that others get 421");
  }
  rt->config = std::move(config);
  return std::shared_ptr<const Runtime>(std::move(rt));
}

int run_server(std::shared_ptr<const Runtime> runtime, const ServerHooks& hooks) {
  // Signals are taken by this thread alone, with sigtimedwait: block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGUSR1}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  // SO_REUSEPORT would let a second rampart (of the same user) share a port silently: a plain
  // bind first tells that the address is taken.
  for (const auto& l : runtime->config.listeners) {
    asio::io_context probe_io;
    tcp::acceptor probe(probe_io);
    auto ep = listen_endpoint(l);
    if (!ep.ok()) {
      log_error(ep.status().message());
      return 1;
    }
    boost::system::error_code ec;
    probe.open(ep->protocol(), ec);
    if (ec && ep->address().is_v6() && l.host.empty()) {
      *ep = tcp::endpoint(asio::ip::address_v4::any(), l.port);
      probe.open(ep->protocol(), ec);
    }
    if (!ec) probe.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec && ep->address().is_v6()) probe.set_option(asio::ip::v6_only(!l.host.empty()), ec);
    if (!ec) probe.bind(*ep, ec);
    if (ec) {
      log_error("cannot listen on " + l.text + ": " + ec.message());
      return 1;
    }
  }

  int threads = runtime->config.threads;
  if (threads <= 0) {
    // The cores this process may run on (taskset, cgroups' cpusets), not all of the machine's.
    cpu_set_t set;
    CPU_ZERO(&set);
    threads = sched_getaffinity(0, sizeof set, &set) == 0
                  ? CPU_COUNT(&set)
                  : int(std::thread::hardware_concurrency());
    threads = std::max(threads, 1);
  }
  SharedCounters counters;
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < threads; ++i) {
    auto w = std::make_unique<Worker>(counters);
    w->runtime = runtime;
    w->pool.configure(runtime->upstream_endpoints);
    for (const auto& l : runtime->config.listeners) {
      auto acc = std::make_unique<tcp::acceptor>(w->io);
      Status st = open_acceptor(*w, l, *acc);
      if (!st.ok()) {
        log_error(st.message());
        return 1;
      }
      w->acceptors.push_back(std::move(acc));
    }
    workers.push_back(std::move(w));
  }
  for (auto& w : workers) {
    for (size_t i = 0; i < w->acceptors.size(); ++i) {
      asio::co_spawn(w->io, accept_loop(*w, *w->acceptors[i], runtime->config.listeners[i]),
                     asio::detached);
    }
    asio::co_spawn(w->io, sweep_loop(*w), asio::detached);
  }
  const std::string admin_path = runtime->config.admin_socket;
  bool admin_open = start_admin_socket(*workers.front(), admin_path);
  std::vector<std::thread> pool;
  std::atomic<int> running{0};
  for (auto& w : workers) {
    running.fetch_add(1);
    pool.emplace_back([&w, &running] {
      state::bind_thread_io(&w->io);
      for (;;) {
        try {
          w->io.run();
          break;
        } catch (const std::exception& e) {
          log_error(std::string("worker: ") + e.what());
        }
      }
      running.fetch_sub(1);
    });
  }
  log_info("serving " + describe(*runtime) + " with " + std::to_string(threads) + " threads");

  bool draining = false;
  Clock::time_point drain_deadline;
  for (;;) {
    timespec wait{0, 100'000'000};
    int sig = sigtimedwait(&signals, nullptr, &wait);
    if (hooks.tick) hooks.tick();
    if (sig == SIGTERM || sig == SIGINT) {
      if (!draining) {
        draining = true;
        drain_deadline = Clock::now() + runtime->config.timeouts.drain;
        log_info("draining: finishing requests in flight, for at most " +
                 std::to_string(runtime->config.timeouts.drain.count()) + " ms");
        for (auto& w : workers) asio::post(w->io, [&w] { begin_drain(*w); });
      } else {
        break;  // a second signal: stop now
      }
    } else if (sig == SIGHUP) {
      auto cfg =
          hooks.reload
              ? hooks.reload()
              : StatusOr<gateway::GatewayConfig>(Status::error("no configuration file to reload"));
      StatusOr<std::shared_ptr<const Runtime>> next =
          cfg.ok() ? build_runtime(*cfg) : StatusOr<std::shared_ptr<const Runtime>>(cfg.status());
      if (!next.ok()) {
        log_error("reload refused, the running configuration stays: " + next.status().message());
      } else {
        bool same_listeners = (*next)->config.listeners.size() == runtime->config.listeners.size();
        for (size_t i = 0; same_listeners && i < runtime->config.listeners.size(); ++i) {
          same_listeners = (*next)->config.listeners[i].text == runtime->config.listeners[i].text;
        }
        if (!same_listeners) log_warn("reload: listen addresses change only on restart");
        runtime = *next;
        for (auto& w : workers) {
          asio::post(w->io, [&w, rt = runtime] {
            w->runtime = rt;
            w->pool.configure(rt->upstream_endpoints);
          });
        }
        log_info("configuration reloaded: " + describe(*runtime));
      }
    } else if (sig == SIGUSR1) {
      if (hooks.reopen_logs) hooks.reopen_logs();
      log_info("access logs reopened");
    }
    if (draining) {
      if (counters.connections.load() == 0) break;
      if (Clock::now() >= drain_deadline) {
        log_warn("drain deadline reached with " + std::to_string(counters.connections.load()) +
                 " connections open; closing them");
        break;
      }
    }
  }
  for (auto& w : workers) w->io.stop();
  // A worker that does not return within a second is stuck in a handler: exit without it
  // rather than hang the shutdown.
  auto stop_deadline = Clock::now() + std::chrono::seconds(1);
  while (running.load() > 0 && Clock::now() < stop_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (hooks.tick) hooks.tick();
  if (running.load() > 0) {
    log_error("a worker thread did not stop; exiting without it");
    std::_Exit(0);
  }
  for (auto& t : pool) t.join();
  if (admin_open) remove_admin_socket(admin_path);
  log_info("stopped");
  return 0;
}

}  // namespace rampart::net
