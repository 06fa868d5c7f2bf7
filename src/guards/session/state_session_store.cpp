#include "guards/session/state_session_store.h"

#include <charconv>
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

namespace {

constexpr char kSep = '\x1f';
constexpr std::string_view kVersion = "s1";
constexpr size_t kFields = 10;  // the version and nine fields

void append_field(std::string& out, std::string_view v) {
  for (char c : v) out += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
  out += kSep;
}

void append_number(std::string& out, int64_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, end);
  out += kSep;
}

std::optional<int64_t> parse_number(std::string_view s) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return n;
}

// The JSON form that versions before "s1" wrote.
std::optional<SessionRecord> decode_json_record(std::string_view text) {
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

}  // namespace

std::string encode_session_record(const SessionRecord& r) {
  std::string out;
  out.reserve(96 + r.address.size() + r.user_agent.size() + r.path.size() + r.domain.size());
  out.append(kVersion);
  out += kSep;
  append_number(out, micros(r.first_seen));
  append_number(out, micros(r.last_seen));
  append_field(out, r.address);
  append_field(out, r.network);
  append_field(out, r.user_agent);
  append_field(out, std::string_view(r.path).substr(0, kMaxAttribute));
  append_field(out, std::string_view(r.domain).substr(0, kMaxAttribute));
  append_field(out, r.ended ? "1" : "0");
  append_field(out, r.ended_by);
  return out;
}

std::optional<SessionRecord> decode_session_record(std::string_view text) {
  if (!text.empty() && text.front() == '{') return decode_json_record(text);
  std::string_view f[kFields];
  size_t n = 0;
  while (!text.empty()) {
    size_t end = text.find(kSep);
    if (end == std::string_view::npos || n == kFields) return std::nullopt;  // unterminated, extra
    f[n++] = text.substr(0, end);
    text.remove_prefix(end + 1);
  }
  if (n != kFields || f[0] != kVersion || (f[8] != "0" && f[8] != "1")) return std::nullopt;
  auto first = parse_number(f[1]);
  auto last = parse_number(f[2]);
  if (!first || !last) return std::nullopt;
  SessionRecord r;
  r.first_seen = from_micros(*first);
  r.last_seen = from_micros(*last);
  r.address = f[3];
  r.network = f[4];
  r.user_agent = f[5];
  r.path = f[6].empty() ? std::string_view("/") : f[6];
  r.domain = f[7];
  r.ended = f[8] == "1";
  r.ended_by = f[9];
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
