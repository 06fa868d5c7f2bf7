#pragma once
// Reading a YAML configuration so that every mistake names the file, the line, the key and what
// was expected: "rampart.yaml:12: upstreams[0].url: expected a URL such as
// http://127.0.0.1:8000, got 'localhost'". A ConfigNode wraps one YAML node and its dotted path;
// readers return the default when a key is absent and record an error (never throw) when it is
// present but wrong. Errors collect in a ConfigErrors so one run reports all of them.

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace rampart {

class ConfigErrors {
 public:
  explicit ConfigErrors(std::string file) : file_(std::move(file)) {}
  void add(const YAML::Mark& mark, std::string_view path, std::string_view message);
  bool empty() const { return messages_.empty(); }
  const std::vector<std::string>& messages() const { return messages_; }
  // All messages in the order of their lines in the file, one per line, as one error status
  // (ok when there are none).
  Status to_status() const;
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<std::string> messages_;
  std::vector<int> lines_;  // parallel to messages_, for ordering by line
};

class ConfigNode {
 public:
  ConfigNode(YAML::Node node, std::string path, ConfigErrors* errors, YAML::Mark mark = {});

  bool defined() const { return node_.IsDefined() && !node_.IsNull(); }
  bool is_map() const { return node_.IsMap(); }
  bool is_sequence() const { return node_.IsSequence(); }
  bool is_scalar() const { return node_.IsScalar(); }
  const std::string& path() const { return path_; }
  const YAML::Node& yaml() const { return node_; }
  int line() const { return mark_.line + 1; }

  ConfigNode child(std::string_view key) const;
  ConfigNode at(size_t index) const;
  size_t size() const;
  std::vector<std::string> keys() const;

  // Records an error for each key of this map that is not in `allowed`, with a suggestion.
  void only_keys(std::initializer_list<std::string_view> allowed) const;
  // Records an error unless this node is a map (when defined).
  bool expect_map() const;
  bool expect_sequence() const;

  // Typed readers of a child key. Absent keys give the default; wrong ones record an error and
  // give the default.
  std::string get_string(std::string_view key, std::string def = {}) const;
  bool get_bool(std::string_view key, bool def) const;
  int64_t get_int(std::string_view key, int64_t def, int64_t min, int64_t max) const;
  std::chrono::milliseconds get_duration(std::string_view key, std::chrono::milliseconds def) const;
  uint64_t get_size(std::string_view key, uint64_t def) const;
  // A scalar or a sequence of scalars.
  std::vector<std::string> get_string_list(std::string_view key) const;
  // One of `choices`.
  std::string get_choice(std::string_view key, std::string def,
                         std::initializer_list<std::string_view> choices) const;

  // This node's own scalar value as text ("" with an error if not a scalar).
  std::string scalar() const;
  void error(std::string_view message) const;
  ConfigErrors* errors() const { return errors_; }

 private:
  YAML::Node node_;
  std::string path_;
  ConfigErrors* errors_;
  YAML::Mark mark_;
};

// "250ms", "30s", "5m", "2h", "1d" (a bare number is seconds).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view s);
// "512", "64KiB", "1MiB", "2GiB" (also "k", "KB", "M", "MB": powers of 1024 throughout).
std::optional<uint64_t> parse_size(std::string_view s);
// Loads a YAML file; errors name the file and the line of a syntax error.
StatusOr<YAML::Node> load_yaml_file(const std::string& path);

}  // namespace rampart
