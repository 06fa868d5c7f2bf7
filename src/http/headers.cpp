#include "http/headers.h"

#include "common/strings.h"

namespace rampart::http {

bool Headers::inside(std::string_view s) const {
  return !s.empty() && s.data() >= buf_.data() && s.data() < buf_.data() + buf_.size();
}

uint32_t Headers::store(std::string_view s) {
  uint32_t off = uint32_t(buf_.size());
  if (inside(s)) {
    std::string copy(s);  // growing the buffer would move what `s` points at
    buf_.append(copy);
  } else {
    buf_.append(s);
  }
  return off;
}

void Headers::add(std::string_view name, std::string_view value) {
  if (inside(name) || inside(value)) {
    // Storing the first would move the buffer that the second points into.
    const std::string n(name), v(value);
    add(n, v);
    return;
  }
  const auto off = uint32_t(buf_.size());
  entries_.push_back(
      Entry{off, uint32_t(name.size()), off + uint32_t(name.size()), uint32_t(value.size())});
  buf_.append(name).append(value);
}

void Headers::set(std::string_view name_in, std::string_view value) {
  const std::string name(name_in);  // the buffer may move under a view into it
  size_t w = 0;
  bool placed = false;
  for (size_t r = 0; r < entries_.size(); ++r) {
    if (iequals(view(entries_[r]).name, name)) {
      if (placed) continue;  // later fields of the name are dropped
      placed = true;
      entries_[w] = entries_[r];
      set_value(w, value);
      ++w;
      continue;
    }
    entries_[w++] = entries_[r];
  }
  entries_.resize(w);
  if (!placed) add(name, value);
}

void Headers::set_value(size_t i, std::string_view value) {
  uint32_t len = uint32_t(value.size());
  uint32_t off = store(value);
  entries_[i].value_off = off;
  entries_[i].value_len = len;
}

size_t Headers::remove(std::string_view name) {
  return remove_if([&](FieldView f) { return iequals(f.name, name); });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& e : entries_) {
    if (e.name_len == name.size() && iequals(view(e).name, name)) return view(e).value;
  }
  return std::nullopt;
}

std::vector<std::string_view> Headers::get_all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& e : entries_) {
    if (e.name_len == name.size() && iequals(view(e).name, name)) out.push_back(view(e).value);
  }
  return out;
}

bool Headers::has_token(std::string_view name, std::string_view token) const {
  for (const auto& e : entries_) {
    if (e.name_len != name.size() || !iequals(view(e).name, name)) continue;
    bool hit = false;
    for_each_token(view(e).value, [&](std::string_view t) { hit = hit || iequals(t, token); });
    if (hit) return true;
  }
  return false;
}

size_t Headers::count(std::string_view name) const {
  size_t n = 0;
  for (const auto& e : entries_) {
    if (e.name_len == name.size() && iequals(view(e).name, name)) ++n;
  }
  return n;
}

void Headers::clear() {
  buf_.clear();
  entries_.clear();
}

void Headers::reserve(size_t fields, size_t bytes) {
  entries_.reserve(fields);
  buf_.reserve(bytes);
}

}  // namespace rampart::http
