#pragma once
// The one table of the code audit's rules (registry.cpp), in code order.

#include <span>

#include "audit/python/rule.h"

namespace rampart::audit::python {

std::span<const Rule* const> all_rules();
const Rule* find_rule(std::string_view code);

}  // namespace rampart::audit::python
