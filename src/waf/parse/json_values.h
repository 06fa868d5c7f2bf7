#pragma once
// JSON bodies: every string value and every key, recursively, named by its path ("user.name",
// "items[].id"). Streams with nlohmann::json's SAX interface, so nothing is built in memory;
// nesting deeper than kMaxJsonDepth stops the walk. On kInvalid the caller inspects the body as
// raw text; on kTooDeep the strings up to that point were added.

#include <string_view>

#include "waf/parse/field.h"

namespace rampart::waf {

inline constexpr int kMaxJsonDepth = 64;

enum class JsonOutcome { kOk, kInvalid, kTooDeep };

JsonOutcome parse_json_values(std::string_view body, FieldSink& sink);

}  // namespace rampart::waf
