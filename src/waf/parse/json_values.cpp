#include "waf/parse/json_values.h"

#include <nlohmann/json.hpp>
#include <string>
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
  };

  bool push(bool array) {
    if (stack_.size() >= size_t(kMaxJsonDepth)) {
      too_deep_ = true;
      return false;
    }
    stack_.push_back(Level{array, std::string()});
    return true;
  }
  bool pop() {
    if (!stack_.empty()) stack_.pop_back();
    return done_value();
  }
  bool done_value() { return true; }

  std::string path() const {
    std::string p;
    for (const Level& l : stack_) {
      if (l.array) {
        p += "[]";
      } else if (!l.key.empty()) {
        if (!p.empty()) p.push_back('.');
        p += l.key.size() > 64 ? l.key.substr(0, 64) : l.key;
      }
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
