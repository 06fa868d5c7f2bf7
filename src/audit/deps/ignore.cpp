#include "audit/deps/ignore.h"

#include <ctime>

#include "audit/deps/name.h"
#include "common/config_node.h"

namespace rampart::audit::deps {

namespace {

bool valid_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace

StatusOr<std::vector<IgnoreRule>> load_ignore_file(const std::string& path) {
  auto yaml = load_yaml_file(path);
  if (!yaml.ok()) return yaml.status();
  ConfigErrors errors(path);
  ConfigNode root(*yaml, "", &errors);
  std::vector<IgnoreRule> rules;
  if (!root.defined()) return rules;
  root.expect_map();
  root.only_keys({"ignore"});
  ConfigNode list = root.child("ignore");
  if (list.defined() && list.expect_sequence()) {
    for (size_t i = 0; i < list.size(); ++i) {
      ConfigNode e = list.at(i);
      if (!e.expect_map()) continue;
      e.only_keys({"id", "reason", "expires", "package"});
      IgnoreRule r;
      r.id = e.get_string("id");
      r.reason = e.get_string("reason");
      r.expires = e.get_string("expires");
      r.package = normalize_name(e.get_string("package"));
      r.where = path + ":" + std::to_string(e.line());
      if (r.id.empty()) e.error("an ignore entry needs an 'id' (the advisory id or an alias)");
      if (r.reason.empty()) e.error("an ignore entry needs a 'reason'");
      if (r.expires.empty()) {
        e.error("an ignore entry needs an 'expires' date (YYYY-MM-DD)");
      } else if (!valid_date(r.expires)) {
        e.child("expires").error("expected a date such as 2026-12-31, got '" + r.expires + "'");
      }
      rules.push_back(std::move(r));
    }
  }
  if (!errors.empty()) return errors.to_status();
  return rules;
}

std::vector<std::string> apply_ignores(const std::vector<IgnoreRule>& rules, std::string_view today,
                                       std::vector<Finding>* findings) {
  std::vector<std::string> warnings;
  for (const auto& r : rules) {
    bool expired = !r.expires.empty() && std::string_view(r.expires) < today;
    if (expired) {
      warnings.push_back("the ignore entry for " + r.id + " (" + r.where + ") expired on " +
                         r.expires + " and no longer applies");
      continue;
    }
    for (auto& f : *findings) {
      if (!r.package.empty() && r.package != f.dep.key) continue;
      bool match = f.id == r.id;
      for (const auto& a : f.aliases) match = match || a == r.id;
      if (match && f.ignored_reason.empty()) {
        f.ignored_reason = r.reason + (r.expires.empty() ? "" : " (until " + r.expires + ")");
      }
    }
  }
  return warnings;
}

std::string today_utc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace rampart::audit::deps
