#pragma once
// An ordered list of HTTP header fields, as received or as to be sent. Names keep the case they
// arrived with; lookups ignore case. Every name and value lives in one buffer, so a message's
// fields cost two allocations, not two per field: this runs for every request and response.
//
// Views handed out (get, iteration) stay valid until the next change to the headers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rampart::http {

struct FieldView {
  std::string_view name;
  std::string_view value;
};

class Headers {
 public:
  class const_iterator {
   public:
    struct Arrow {
      FieldView v;
      const FieldView* operator->() const { return &v; }
    };
    const_iterator(const Headers* h, size_t i) : h_(h), i_(i) {}
    FieldView operator*() const { return h_->at(i_); }
    Arrow operator->() const { return {h_->at(i_)}; }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }
    size_t index() const { return i_; }

   private:
    const Headers* h_;
    size_t i_;
  };

  void add(std::string_view name, std::string_view value);
  // Replaces every field of this name with one (added at the end when there was none).
  void set(std::string_view name, std::string_view value);
  // Replaces the value of the i-th field.
  void set_value(size_t i, std::string_view value);
  // Removes every field of this name; returns how many.
  size_t remove(std::string_view name);
  // The first field of this name.
  std::optional<std::string_view> get(std::string_view name) const;
  std::vector<std::string_view> get_all(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  size_t count(std::string_view name) const;  // how many fields have this name
  // Whether a comma-separated field of this name lists `token` (case-insensitive), e.g.
  // has_token("Connection", "close").
  bool has_token(std::string_view name, std::string_view token) const;

  template <typename Pred>
  size_t remove_if(Pred pred) {
    size_t before = entries_.size();
    std::erase_if(entries_, [&](const Entry& e) { return pred(view(e)); });
    return before - entries_.size();
  }

  FieldView at(size_t i) const { return view(entries_[i]); }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  void clear();
  void reserve(size_t fields, size_t bytes);
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, entries_.size()}; }

 private:
  struct Entry {
    uint32_t name_off, name_len, value_off, value_len;
  };
  FieldView view(const Entry& e) const {
    return {std::string_view(buf_.data() + e.name_off, e.name_len),
            std::string_view(buf_.data() + e.value_off, e.value_len)};
  }
  // Appends `s` to the buffer (copying first when `s` points into it) and returns its offset.
  uint32_t store(std::string_view s);
  bool inside(std::string_view s) const;

  std::string buf_;
  std::vector<Entry> entries_;
};

}  // namespace rampart::http
