#pragma once
// Writing message heads and chunk frames as HTTP/1.1 bytes.

#include <string>
#include <string_view>

#include "http/message.h"

namespace rampart::http {

// Appends "METHOD target HTTP/1.1\r\n", the fields, the framing field for `framing`, and the
// blank line.
void append_request_head(std::string& out, const RequestHead& head, const BodyFraming& framing);
// Appends the status line, the fields, the framing field and the blank line.
void append_response_head(std::string& out, const ResponseHead& head, const BodyFraming& framing);
// "1a2b\r\n": the line that opens a chunk of `size` bytes.
std::string_view chunk_header(size_t size, char (&buf)[20]);

}  // namespace rampart::http
