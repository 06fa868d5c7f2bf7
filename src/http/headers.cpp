#include "http/headers.h"

#include "common/strings.h"

namespace rampart::http {

void Headers::add(std::string_view name, std::string_view value) {
  fields_.push_back(Field{std::string(name), std::string(value)});
}

void Headers::set(std::string_view name, std::string_view value) {
  bool placed = false;
  std::erase_if(fields_, [&](Field& f) {
    if (!iequals(f.name, name)) return false;
    if (placed) return true;
    f.value.assign(value);
    placed = true;
    return false;
  });
  if (!placed) add(name, value);
}

size_t Headers::remove(std::string_view name) {
  return remove_if([&](const Field& f) { return iequals(f.name, name); });
}

const std::string* Headers::get(std::string_view name) const {
  for (const auto& f : fields_) {
    if (iequals(f.name, name)) return &f.value;
  }
  return nullptr;
}

std::vector<std::string_view> Headers::get_all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& f : fields_) {
    if (iequals(f.name, name)) out.emplace_back(f.value);
  }
  return out;
}

bool Headers::has_token(std::string_view name, std::string_view token) const {
  for (const auto& f : fields_) {
    if (!iequals(f.name, name)) continue;
    for (std::string_view t : split_trimmed(f.value, ',')) {
      if (iequals(t, token)) return true;
    }
  }
  return false;
}

}  // namespace rampart::http
