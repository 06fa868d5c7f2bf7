#include "state/ban_message.h"

#include <charconv>
#include <nlohmann/json.hpp>

namespace rampart::state {
namespace {

constexpr size_t kMaxMessage = 8192;

std::optional<int64_t> micros_field(const nlohmann::json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  const std::string& s = it->get_ref<const std::string&>();
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

}  // namespace

std::optional<BanMessage> parse_ban_message(std::string_view text) {
  if (text.size() > kMaxMessage) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  auto op = j.find("op");
  auto key = j.find("key");
  if (op == j.end() || !op->is_string() || key == j.end() || !key->is_string()) {
    return std::nullopt;
  }
  BanMessage m;
  m.ban.key = key->get<std::string>();
  if (m.ban.key.empty()) return std::nullopt;
  if (*op == "unban") {
    m.lifted = true;
    return m;
  }
  if (*op != "ban") return std::nullopt;
  auto since = micros_field(j, "since");
  auto until = micros_field(j, "until");
  auto level = j.find("level");
  if (!since || !until || *until < *since || level == j.end() || !level->is_number_integer()) {
    return std::nullopt;
  }
  int64_t lv = level->get<int64_t>();
  if (lv < 1 || lv > 1000) return std::nullopt;
  m.ban.since = Micros(*since);
  m.ban.until = Micros(*until);
  m.ban.level = int(lv);
  if (auto r = j.find("reason"); r != j.end() && r->is_string())
    m.ban.reason = r->get<std::string>();
  return m;
}

}  // namespace rampart::state
