#include "waf/parse/json_values.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace rampart::waf {
namespace {

using json = nlohmann::json;

class ValueSax {
 public:
  explicit ValueSax(FieldSink& sink) : sink_(sink) {}

  bool null() { return done_value(); }
  bool boolean(bool) { return done_value(); }
  bool number_integer(json::number_integer_t) { return done_value(); }
  bool number_unsigned(json::number_unsigned_t) { return done_value(); }
  bool number_float(json::number_float_t, const std::string&) { return done_value(); }
  bool string(std::string& s) {
    sink_.add(Part::kBodyJson, path(), std::move(s));
    return done_value();
  }
  bool binary(json::binary_t&) { return done_value(); }
  bool start_object(std::size_t) { return push(false); }
  bool end_object() { return pop(); }
  bool start_array(std::size_t) { return push(true); }
  bool end_array() { return pop(); }
  bool key(std::string& k) {
    if (!stack_.empty()) stack_.back().key = k;
    // Keys are inspected too: NoSQL operators ("$where") and prototype pollution live there.
    sink_.add(Part::kBodyJson, path(), std::move(k), true);
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const json::exception&) {
    error_ = true;
    return false;
  }
  bool error() const { return error_; }
  bool too_deep() const { return too_deep_; }

 private:
  struct Level {
    bool array;
    std::string key;
    std::string base;  // the path of the levels below (their keys do not change while this
                       // level is open), so that a value's path is not rebuilt from the root
  };

  bool push(bool array) {
    if (stack_.size() >= size_t(kMaxJsonDepth)) {
      too_deep_ = true;
      return false;
    }
    std::string base = path();
    stack_.push_back(Level{array, std::string(), std::move(base)});
    return true;
  }
  bool pop() {
    if (!stack_.empty()) stack_.pop_back();
    return done_value();
  }
  bool done_value() { return true; }

  // "a.b[].c": the keys of the open objects (64 bytes of each at most) and [] for arrays.
  std::string path() const {
    if (stack_.empty()) return std::string();
    const Level& l = stack_.back();
    std::string p;
    std::string_view key = std::string_view(l.key).substr(0, 64);
    p.reserve(l.base.size() + 2 + key.size());
    p = l.base;
    if (l.array) {
      p += "[]";
    } else if (!key.empty()) {
      if (!p.empty()) p.push_back('.');
      p += key;
    }
    return p;
  }

  FieldSink& sink_;
  std::vector<Level> stack_;
  bool error_ = false;
  bool too_deep_ = false;
};

}  // namespace

JsonOutcome parse_json_values(std::string_view body, FieldSink& sink) {
  ValueSax sax(sink);
  try {
    json::sax_parse(body.begin(), body.end(), &sax, json::input_format_t::json, true, false);
  } catch (const std::exception&) {
    return JsonOutcome::kInvalid;  // the SAX parser reports errors through parse_error; this is a
                                   // safety net
  }
  if (sax.too_deep()) return JsonOutcome::kTooDeep;
  return sax.error() ? JsonOutcome::kInvalid : JsonOutcome::kOk;
}

}  // namespace rampart::waf
