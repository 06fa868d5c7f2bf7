#pragma once
// An ordered list of HTTP header fields, as received or as to be sent. Names keep the case they
// arrived with; lookups ignore case. Small and flat: a request has tens of fields, so a vector
// scan beats any map.

#include <string>
#include <string_view>
#include <vector>

namespace rampart::http {

struct Field {
  std::string name;
  std::string value;
};

class Headers {
 public:
  void add(std::string_view name, std::string_view value);
  // Replaces every field of this name with one (added at the end when there was none).
  void set(std::string_view name, std::string_view value);
  // Removes every field of this name; returns how many.
  size_t remove(std::string_view name);
  // The first field of this name, or nullptr.
  const std::string* get(std::string_view name) const;
  std::vector<std::string_view> get_all(std::string_view name) const;
  bool has(std::string_view name) const { return get(name) != nullptr; }
  // Whether a comma-separated field of this name lists `token` (case-insensitive), e.g.
  // has_token("Connection", "close").
  bool has_token(std::string_view name, std::string_view token) const;

  template <typename Pred>
  size_t remove_if(Pred pred) {
    size_t before = fields_.size();
    std::erase_if(fields_, pred);
    return before - fields_.size();
  }

  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  void clear() { fields_.clear(); }
  void reserve(size_t n) { fields_.reserve(n); }
  auto begin() const { return fields_.begin(); }
  auto end() const { return fields_.end(); }
  auto begin() { return fields_.begin(); }
  auto end() { return fields_.end(); }

 private:
  std::vector<Field> fields_;
};

}  // namespace rampart::http
