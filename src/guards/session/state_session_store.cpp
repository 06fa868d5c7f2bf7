#include "guards/session/state_session_store.h"

#include <nlohmann/json.hpp>

namespace rampart::guards {
namespace {

using Json = nlohmann::json;
constexpr size_t kMaxAttribute = 512;

std::string state_key(std::string_view key) { return "sess:" + std::string(key); }

int64_t micros(SessionTime t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

SessionTime from_micros(int64_t us) {
  return SessionTime(
      std::chrono::duration_cast<SessionTime::duration>(std::chrono::microseconds(us)));
}

}  // namespace

std::string encode_session_record(const SessionRecord& r) {
  Json j = {{"f", micros(r.first_seen)},
            {"l", micros(r.last_seen)},
            {"a", r.address},
            {"n", r.network},
            {"u", r.user_agent},
            {"p", r.path.substr(0, kMaxAttribute)},
            {"d", r.domain.substr(0, kMaxAttribute)}};
  if (r.ended) j["e"] = r.ended_by;
  // Replacement, not an exception, for bytes that are not UTF-8 (a Path from the application).
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<SessionRecord> decode_session_record(std::string_view text) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  auto num = [&](const char* k) -> std::optional<int64_t> {
    auto it = j.find(k);
    if (it == j.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<int64_t>();
  };
  auto str = [&](const char* k) -> std::string {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto first = num("f");
  auto last = num("l");
  if (!first || !last) return std::nullopt;
  SessionRecord r;
  r.first_seen = from_micros(*first);
  r.last_seen = from_micros(*last);
  r.address = str("a");
  r.network = str("n");
  r.user_agent = str("u");
  r.path = str("p");
  if (r.path.empty()) r.path = "/";
  r.domain = str("d");
  if (j.contains("e")) {
    r.ended = true;
    r.ended_by = str("e");
  }
  return r;
}

std::optional<SessionRecord> StateSessionStore::get(const std::string& key) {
  state::RecordResult res = store_->get_now(state_key(key));
  if (!res.value) return std::nullopt;
  return decode_session_record(*res.value);
}

void StateSessionStore::put(const std::string& key, const SessionRecord& r, SessionTime,
                            std::chrono::milliseconds keep) {
  store_->put_now(state_key(key), encode_session_record(r),
                  std::chrono::duration_cast<state::Micros>(keep));
}

void StateSessionStore::erase(const std::string& key) { store_->erase_now(state_key(key)); }

// GCC 12 at -O2 misreads Asio's coroutine frame allocation as a mismatched new/delete pair.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
boost::asio::awaitable<std::optional<SessionRecord>> StateSessionStore::get_async(std::string key) {
  state::RecordResult res = co_await store_->get(state_key(key));
  if (!res.value) co_return std::nullopt;
  co_return decode_session_record(*res.value);
}

boost::asio::awaitable<void> StateSessionStore::put_async(std::string key, SessionRecord r,
                                                          SessionTime,
                                                          std::chrono::milliseconds keep) {
  co_await store_->put(state_key(key), encode_session_record(r),
                       std::chrono::duration_cast<state::Micros>(keep));
}
#pragma GCC diagnostic pop

}  // namespace rampart::guards
