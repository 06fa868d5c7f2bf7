#pragma once
// The short pages the gateway answers with in place of the application. They say what happened
// in plain words and leak nothing: no upstream addresses, no versions, no stack.

#include <string>

namespace rampart::net {

std::string status_page(int status);

}  // namespace rampart::net
