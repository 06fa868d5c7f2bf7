#pragma once
// XML bodies: text content (including CDATA) under the enclosing element's name, and attribute
// values under "element@attribute". A small tolerant scanner written here because the job is
// narrow and hostile: it never resolves entities (DTDs are reported by the XXE detector, not
// obeyed), never allocates beyond the input, and accepts broken markup by treating it as text.

#include <string_view>

#include "waf/parse/field.h"

namespace rampart::waf {

void parse_xml_values(std::string_view body, FieldSink& sink);

}  // namespace rampart::waf
