#pragma once
// A JWK Set fetched from a URL and kept fresh by a background thread (libcurl), so that no
// worker thread ever waits on the network. The first fetch happens when the source is started
// (at start-up, on the main thread) and its failure is logged; the thread then refreshes the set
// after the response's Cache-Control max-age, held within [min_refresh, max_refresh], or after
// `refresh` when the response gives none; failures keep the last good set and retry sooner.
//
// A token naming a key id that the set lacks (the issuer rotated its keys) asks for one early
// fetch through key_missed(), at most once per `refetch_interval`, so that a flood of tokens with
// made-up key ids cannot make rampart hammer the issuer.
//
// Thread-safe. Sources are shared by URL and options: every route of a configuration, and the
// configuration that replaces it on reload, use the same one while any holds it.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "guards/jwt/key.h"

namespace rampart::guards::jwt {

struct JwksOptions {
  std::string url;
  std::chrono::milliseconds refresh{std::chrono::minutes(10)};
  std::chrono::milliseconds min_refresh{std::chrono::minutes(1)};
  std::chrono::milliseconds max_refresh{std::chrono::hours(24)};
  std::chrono::milliseconds refetch_interval{std::chrono::seconds(30)};
  std::chrono::milliseconds timeout{std::chrono::seconds(5)};
  size_t max_size = 1 << 20;

  std::string identity() const;  // equal for options that can share one source
};

// The max-age of a Cache-Control value, nullopt when it has none (or no-store/no-cache).
std::optional<std::chrono::seconds> cache_max_age(std::string_view cache_control);
// When to fetch next after a good response with that Cache-Control max-age.
std::chrono::milliseconds refresh_after(std::optional<std::chrono::seconds> max_age,
                                        const JwksOptions& o);

class JwksSource {
 public:
  // The source for these options: an existing one, or a new one after its first fetch.
  static std::shared_ptr<JwksSource> shared(const JwksOptions& o);

  explicit JwksSource(JwksOptions o);
  ~JwksSource();  // stops the thread, aborting a transfer in flight
  JwksSource(const JwksSource&) = delete;
  JwksSource& operator=(const JwksSource&) = delete;

  // The current set (null before the first good fetch). Never blocks on the network.
  std::shared_ptr<const KeySet> keys() const;
  // A token named an unknown key id: fetch again now, if the last fetch is old enough. Returns
  // whether a fetch is coming (requested now or already under way); `on_done`, when given and a
  // fetch is coming, is called once it has finished (on the fetching thread: it must only post).
  bool key_missed(std::function<void()> on_done = nullptr);
  uint64_t fetches() const { return fetches_.load(); }

 private:
  struct Fetched {
    std::string body;
    std::optional<std::chrono::seconds> max_age;
  };
  void start();
  void run();
  // One GET; the error says what went wrong.
  std::optional<Fetched> fetch(std::string& error);
  // Fetches, installs a good set, tells the waiters, and returns when to fetch next.
  std::chrono::milliseconds fetch_and_install();
  std::chrono::milliseconds fetch_once();

  const JwksOptions o_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<const KeySet> keys_;
  bool stop_ = false;
  bool refetch_ = false;
  bool fetching_ = false;
  std::vector<std::function<void()>> waiters_;
  std::chrono::steady_clock::time_point last_fetch_{};
  std::chrono::milliseconds retry_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> fetches_{0};
  std::thread thread_;
};

}  // namespace rampart::guards::jwt
