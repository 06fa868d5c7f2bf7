#include "state/store.h"

namespace rampart::state {

// The awaitable forms of a store that answers at once.

Awaitable<RateResult> Store::rate(std::string key, Gcra limit, int64_t cost) {
  co_return rate_now(key, limit, cost);
}

Awaitable<std::vector<RateResult>> Store::rate_many(std::vector<RateQuery> queries) {
  std::vector<RateResult> results;
  results.reserve(queries.size());
  for (const auto& q : queries) results.push_back(rate_now(q.key, q.limit, q.cost));
  co_return results;
}

Awaitable<CountResult> Store::add_failure(std::string key, Micros window, int64_t n) {
  co_return add_failure_now(key, window, n);
}

Awaitable<bool> Store::clear_failures(std::string key) {
  clear_failures_now(key);
  co_return true;
}

Awaitable<BanResult> Store::ban(std::string key, BanPolicy policy, std::string reason) {
  co_return ban_now(key, policy, reason);
}

Awaitable<bool> Store::unban(std::string key) { co_return unban_now(key); }

Awaitable<RecordResult> Store::get(std::string key) { co_return get_now(key); }

Awaitable<bool> Store::put(std::string key, std::string value, Micros ttl) {
  co_return put_now(key, value, ttl);
}

Awaitable<bool> Store::update(std::string key, std::string value) {
  co_return update_now(key, value);
}

Awaitable<bool> Store::touch(std::string key, Micros ttl) { co_return touch_now(key, ttl); }

Awaitable<bool> Store::erase(std::string key) { co_return erase_now(key); }

}  // namespace rampart::state
