#include "common/config_node.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/strings.h"

namespace rampart {

void ConfigErrors::add(const YAML::Mark& mark, std::string_view path, std::string_view message) {
  std::string m = file_;
  if (!mark.is_null()) m += ":" + std::to_string(mark.line + 1);
  m += ": ";
  if (!path.empty()) {
    m += path;
    m += ": ";
  }
  m += message;
  // The same node can be read more than once (global guard settings under each route).
  for (const auto& existing : messages_) {
    if (existing == m) return;
  }
  messages_.push_back(std::move(m));
  lines_.push_back(mark.is_null() ? 0 : mark.line + 1);
}

Status ConfigErrors::to_status() const {
  if (messages_.empty()) return Status();
  std::vector<size_t> order(messages_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return lines_[a] < lines_[b]; });
  std::string all;
  for (size_t i : order) {
    if (!all.empty()) all += '\n';
    all += messages_[i];
  }
  return Status::error(std::move(all));
}

ConfigNode::ConfigNode(YAML::Node node, std::string path, ConfigErrors* errors, YAML::Mark mark)
    : node_(std::move(node)), path_(std::move(path)), errors_(errors), mark_(mark) {
  if (node_.IsDefined() && !node_.Mark().is_null()) mark_ = node_.Mark();
}

ConfigNode ConfigNode::child(std::string_view key) const {
  std::string p = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  if (!node_.IsMap()) return ConfigNode(YAML::Node(YAML::NodeType::Undefined), p, errors_, mark_);
  // Find the key ourselves: yaml-cpp's operator[] on a const node is fine, but we want the mark
  // of the value, and an explicit loop keeps keys case-sensitive and exact.
  for (const auto& kv : node_) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) {
      YAML::Mark m = kv.second.Mark().is_null() ? kv.first.Mark() : kv.second.Mark();
      return ConfigNode(kv.second, p, errors_, m);
    }
  }
  return ConfigNode(YAML::Node(YAML::NodeType::Undefined), p, errors_, mark_);
}

ConfigNode ConfigNode::at(size_t index) const {
  std::string p = path_ + "[" + std::to_string(index) + "]";
  if (!node_.IsSequence() || index >= node_.size()) {
    return ConfigNode(YAML::Node(YAML::NodeType::Undefined), p, errors_, mark_);
  }
  return ConfigNode(node_[index], p, errors_, mark_);
}

size_t ConfigNode::size() const { return node_.IsSequence() || node_.IsMap() ? node_.size() : 0; }

std::vector<std::string> ConfigNode::keys() const {
  std::vector<std::string> out;
  if (!node_.IsMap()) return out;
  for (const auto& kv : node_) out.push_back(kv.first.IsScalar() ? kv.first.Scalar() : "?");
  return out;
}

void ConfigNode::only_keys(std::initializer_list<std::string_view> allowed) const {
  if (!node_.IsMap()) return;
  for (const auto& kv : node_) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
    bool ok = false;
    std::string_view best;
    size_t best_d = SIZE_MAX;
    for (std::string_view a : allowed) {
      if (a == key) {
        ok = true;
        break;
      }
      size_t d = edit_distance(a, key);
      if (d < best_d) {
        best_d = d;
        best = a;
      }
    }
    if (ok) continue;
    std::string msg = "unknown key " + quote_for_message(key);
    if (best_d <= 2 || (best_d <= 3 && key.size() > 6)) {
      msg += " (did you mean '" + std::string(best) + "'?)";
    } else {
      msg += "; expected one of: ";
      bool first = true;
      for (std::string_view a : allowed) {
        if (!first) msg += ", ";
        msg += a;
        first = false;
      }
    }
    errors_->add(kv.first.Mark(), path_, msg);
  }
}

bool ConfigNode::expect_map() const {
  if (!defined() || node_.IsMap()) return true;
  error("expected a mapping of keys to values");
  return false;
}

bool ConfigNode::expect_sequence() const {
  if (!defined() || node_.IsSequence()) return true;
  error("expected a list");
  return false;
}

void ConfigNode::error(std::string_view message) const { errors_->add(mark_, path_, message); }

std::string ConfigNode::scalar() const {
  if (!node_.IsScalar()) {
    error("expected a single value");
    return "";
  }
  return node_.Scalar();
}

std::string ConfigNode::get_string(std::string_view key, std::string def) const {
  ConfigNode c = child(key);
  if (!c.defined()) return def;
  if (!c.is_scalar()) {
    c.error("expected a text value");
    return def;
  }
  return c.node_.Scalar();
}

bool ConfigNode::get_bool(std::string_view key, bool def) const {
  ConfigNode c = child(key);
  if (!c.defined()) return def;
  if (c.is_scalar()) {
    std::string v = to_lower(c.node_.Scalar());
    if (v == "true" || v == "yes" || v == "on") return true;
    if (v == "false" || v == "no" || v == "off") return false;
  }
  c.error("expected true or false, got " +
          quote_for_message(c.is_scalar() ? c.node_.Scalar() : "?"));
  return def;
}

int64_t ConfigNode::get_int(std::string_view key, int64_t def, int64_t min, int64_t max) const {
  ConfigNode c = child(key);
  if (!c.defined()) return def;
  std::string text = c.is_scalar() ? c.node_.Scalar() : "";
  std::optional<uint64_t> v = parse_u64(text);
  if (!v || *v > uint64_t(INT64_MAX) || int64_t(*v) < min || int64_t(*v) > max) {
    c.error("expected a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
            ", got " + quote_for_message(text));
    return def;
  }
  return int64_t(*v);
}

std::chrono::milliseconds ConfigNode::get_duration(std::string_view key,
                                                   std::chrono::milliseconds def) const {
  ConfigNode c = child(key);
  if (!c.defined()) return def;
  std::string text = c.is_scalar() ? c.node_.Scalar() : "";
  auto d = parse_duration(text);
  if (!d) {
    c.error("expected a duration such as 250ms, 30s, 5m, 2h or 1d, got " + quote_for_message(text));
    return def;
  }
  return *d;
}

uint64_t ConfigNode::get_size(std::string_view key, uint64_t def) const {
  ConfigNode c = child(key);
  if (!c.defined()) return def;
  std::string text = c.is_scalar() ? c.node_.Scalar() : "";
  auto v = parse_size(text);
  if (!v) {
    c.error("expected a size such as 8KiB, 1MiB or 1048576, got " + quote_for_message(text));
    return def;
  }
  return *v;
}

std::vector<std::string> ConfigNode::get_string_list(std::string_view key) const {
  ConfigNode c = child(key);
  std::vector<std::string> out;
  if (!c.defined()) return out;
  if (c.is_scalar()) {
    out.push_back(c.node_.Scalar());
    return out;
  }
  if (!c.is_sequence()) {
    c.error("expected a list of text values");
    return out;
  }
  for (size_t i = 0; i < c.size(); ++i) {
    ConfigNode item = c.at(i);
    if (!item.is_scalar()) {
      item.error("expected a text value");
      continue;
    }
    out.push_back(item.node_.Scalar());
  }
  return out;
}

std::string ConfigNode::get_choice(std::string_view key, std::string def,
                                   std::initializer_list<std::string_view> choices) const {
  ConfigNode c = child(key);
  if (!c.defined()) return def;
  std::string v = c.is_scalar() ? c.node_.Scalar() : "";
  for (std::string_view ch : choices) {
    if (ch == v) return v;
  }
  std::string msg = "expected one of ";
  bool first = true;
  for (std::string_view ch : choices) {
    if (!first) msg += ", ";
    msg += ch;
    first = false;
  }
  c.error(msg + "; got " + quote_for_message(v));
  return def;
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view s) {
  s = trim(s);
  size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  auto n = parse_u64(s.substr(0, i));
  if (!n || *n > 1'000'000'000ULL) return std::nullopt;
  std::string_view unit = s.substr(i);
  uint64_t ms;
  if (unit == "ms") {
    ms = *n;
  } else if (unit == "s" || unit.empty()) {
    ms = *n * 1000;
  } else if (unit == "m") {
    ms = *n * 60'000;
  } else if (unit == "h") {
    ms = *n * 3'600'000;
  } else if (unit == "d") {
    ms = *n * 86'400'000;
  } else {
    return std::nullopt;
  }
  return std::chrono::milliseconds(ms);
}

std::optional<uint64_t> parse_size(std::string_view s) {
  s = trim(s);
  size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  auto n = parse_u64(s.substr(0, i));
  if (!n) return std::nullopt;
  std::string unit = to_lower(trim(s.substr(i)));
  uint64_t mul;
  if (unit.empty() || unit == "b") {
    mul = 1;
  } else if (unit == "k" || unit == "kb" || unit == "kib") {
    mul = 1ULL << 10;
  } else if (unit == "m" || unit == "mb" || unit == "mib") {
    mul = 1ULL << 20;
  } else if (unit == "g" || unit == "gb" || unit == "gib") {
    mul = 1ULL << 30;
  } else {
    return std::nullopt;
  }
  if (*n > UINT64_MAX / mul) return std::nullopt;
  return *n * mul;
}

StatusOr<YAML::Node> load_yaml_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::error(path + ": cannot open the file");
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return YAML::Load(ss.str());
  } catch (const YAML::Exception& e) {
    std::string msg = path;
    if (!e.mark.is_null()) msg += ":" + std::to_string(e.mark.line + 1);
    return Status::error(msg + ": not valid YAML: " + e.msg);
  }
}

}  // namespace rampart
