#include "net/admin_socket.h"

#include <sys/stat.h>
#include <sys/un.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/logging.h"
#include "common/strings.h"
#include "http/address.h"

namespace rampart::net {
namespace {

namespace asio = boost::asio;
using local_stream = asio::local::stream_protocol;
constexpr auto kTok = asio::as_tuple(asio::use_awaitable);
constexpr size_t kMaxLine = 4096;

std::string iso_time(state::Micros t) {
  std::time_t secs = std::time_t(t.count() / 1'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The keys a `bans remove` argument may name: "ip:..." or "user:..." as given; a bare address
// as itself and as its IPv6 /64 (the default client key).
std::vector<std::string> candidate_keys(std::string_view arg) {
  if (istarts_with(arg, "ip:") || istarts_with(arg, "user:")) return {std::string(arg)};
  std::vector<std::string> keys = {"ip:" + std::string(arg)};
  if (auto ip = http::IpAddress::parse(arg); ip && !ip->is_v4()) {
    http::IpAddress net = *ip;
    for (size_t i = 8; i < 16; ++i) net.bytes[i] = 0;
    keys.push_back("ip:" + net.to_string() + "/64");
  }
  return keys;
}

asio::awaitable<void> serve_one(local_stream::socket sock, state::Store& store) {
  asio::steady_timer timer(sock.get_executor());
  timer.expires_after(std::chrono::seconds(5));
  timer.async_wait([&sock](auto ec) {
    if (!ec) {
      boost::system::error_code ignored;
      sock.close(ignored);
    }
  });
  asio::streambuf buf(kMaxLine);
  auto [ec, n] = co_await asio::async_read_until(sock, buf, '\n', kTok);
  std::string answer;
  if (ec) {
    answer = ec == asio::error::not_found ? R"({"error":"request too long"})" : "";
  } else {
    std::string line(asio::buffers_begin(buf.data()), asio::buffers_begin(buf.data()) + n);
    answer = co_await admin_answer(store, std::move(line));
  }
  if (!answer.empty() && sock.is_open()) {
    answer += '\n';
    co_await asio::async_write(sock, asio::buffer(answer), kTok);
  }
  timer.cancel();
}

asio::awaitable<void> accept_loop(Worker& w, std::shared_ptr<local_stream::acceptor> acc) {
  for (;;) {
    auto [ec, sock] = co_await acc->async_accept(kTok);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acc->is_open()) co_return;
      continue;
    }
    // The store of the configuration running now (a reload may have replaced it).
    std::shared_ptr<const Runtime> rt = w.runtime;
    asio::co_spawn(
        w.io,
        [s = std::move(sock), rt]() mutable -> asio::awaitable<void> {
          co_await serve_one(std::move(s), rt->pipeline->store());
        },
        asio::detached);
  }
}

}  // namespace

asio::awaitable<std::string> admin_answer(state::Store& store, std::string line) {
  std::string_view l = trim(line);
  while (!l.empty() && (l.back() == '\n' || l.back() == '\r')) l.remove_suffix(1);
  nlohmann::json out;
  if (l == "bans list") {
    out["bans"] = nlohmann::json::array();
    for (const auto& b : store.bans_now()) {
      out["bans"].push_back({{"key", b.key},
                             {"since", iso_time(b.since)},
                             {"until", iso_time(b.until)},
                             {"level", b.level},
                             {"reason", b.reason}});
    }
  } else if (istarts_with(l, "bans remove ") && trim(l.substr(12)).size() > 0) {
    out["removed"] = nlohmann::json::array();
    for (auto& key : candidate_keys(trim(l.substr(12)))) {
      if (co_await store.unban(key)) {
        log_info("ban lifted through the admin socket: " + key);
        out["removed"].push_back(key);
      }
    }
  } else {
    out["error"] = "unknown request; expected 'bans list' or 'bans remove ADDRESS'";
  }
  co_return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool start_admin_socket(Worker& w, const std::string& path) {
  if (path.empty()) return false;
  if (path.size() >= sizeof(sockaddr_un::sun_path)) {
    log_warn("admin socket " + path + ": the path is too long for a Unix socket (at most " +
             std::to_string(sizeof(sockaddr_un::sun_path) - 1) +
             " bytes); `rampart bans` will not reach this gateway");
    return false;
  }
  boost::system::error_code ec;
  {
    std::error_code fs_ec;
    auto dir = std::filesystem::path(path).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir, fs_ec);
  }
  {
    // Another live gateway on this path keeps it; a stale file (no one listening) goes.
    local_stream::socket probe(w.io);
    probe.connect(local_stream::endpoint(path), ec);
    if (!ec) {
      log_warn("admin socket " + path +
               " is served by another running gateway; set admin_socket to a path of this "
               "one's own");
      return false;
    }
    ::unlink(path.c_str());
  }
  auto acc = std::make_shared<local_stream::acceptor>(w.io);
  acc->open(local_stream(), ec);
  if (!ec) acc->bind(local_stream::endpoint(path), ec);
  if (!ec) ::chmod(path.c_str(), 0600);
  if (!ec) acc->listen(16, ec);
  if (ec) {
    log_warn("admin socket " + path + ": " + ec.message() +
             "; `rampart bans` will not reach this gateway");
    return false;
  }
  asio::co_spawn(w.io, accept_loop(w, acc), asio::detached);
  return true;
}

void remove_admin_socket(const std::string& path) {
  if (!path.empty()) ::unlink(path.c_str());
}

}  // namespace rampart::net
