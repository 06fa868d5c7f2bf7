#pragma once
// A named value taken out of a request part by one of the parsers.

#include <cstddef>
#include <string>
#include <vector>

#include "waf/types.h"

namespace rampart::waf {

struct Field {
  Part part = Part::kQuery;
  std::string name;   // decoded once by the part's own encoding (URL, JSON, XML)
  std::string value;  // likewise; the inspector's decoders take it from there
  bool key = false;   // the value is itself a key (a JSON object key), inspected as a name
};

// Where parsers put their fields; stops accepting at `max_fields` and counts the rest.
struct FieldSink {
  std::vector<Field>* out;
  size_t max_fields;
  size_t dropped = 0;

  bool full() const { return out->size() >= max_fields; }
  void add(Part part, std::string name, std::string value, bool key = false) {
    if (full()) {
      ++dropped;
      return;
    }
    out->push_back(Field{part, std::move(name), std::move(value), key});
  }
};

}  // namespace rampart::waf
