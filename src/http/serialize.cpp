#include "http/serialize.h"

#include <charconv>
#include <cstring>

namespace rampart::http {
namespace {

void append_fields(std::string& out, const Headers& headers, const BodyFraming& framing) {
  // Sized once and filled with plain copies: this runs for every request and response, and four
  // string appends per field cost more than the copies themselves.
  size_t fields = 0;
  for (const auto& f : headers) fields += f.name.size() + f.value.size() + 4;
  const size_t at = out.size();
  out.reserve(at + fields + 64);
  out.resize(at + fields);
  char* p = out.data() + at;
  for (const auto& f : headers) {
    std::memcpy(p, f.name.data(), f.name.size());
    p += f.name.size();
    *p++ = ':';
    *p++ = ' ';
    std::memcpy(p, f.value.data(), f.value.size());
    p += f.value.size();
    *p++ = '\r';
    *p++ = '\n';
  }
  switch (framing.kind) {
    case BodyFraming::Kind::kLength: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, framing.length);
      out += "Content-Length: ";
      out.append(buf, r.ptr);
      out += "\r\n";
      break;
    }
    case BodyFraming::Kind::kChunked:
      out += "Transfer-Encoding: chunked\r\n";
      break;
    case BodyFraming::Kind::kNone:
    case BodyFraming::Kind::kUntilClose:
      break;
  }
  out += "\r\n";
}

}  // namespace

void append_request_head(std::string& out, const RequestHead& head, const BodyFraming& framing) {
  out += head.method;
  out += ' ';
  out += head.target;
  out += " HTTP/1.1\r\n";
  append_fields(out, head.headers, framing);
}

void append_response_head(std::string& out, const ResponseHead& head, const BodyFraming& framing) {
  char buf[8];
  auto r = std::to_chars(buf, buf + sizeof buf, head.status);
  out += "HTTP/1.1 ";
  out.append(buf, r.ptr);
  out += ' ';
  out += head.reason.empty() ? std::string(reason_phrase(head.status)) : head.reason;
  out += "\r\n";
  append_fields(out, head.headers, framing);
}

std::string_view chunk_header(size_t size, char (&buf)[20]) {
  auto r = std::to_chars(buf, buf + 16, size, 16);
  *r.ptr++ = '\r';
  *r.ptr++ = '\n';
  return std::string_view(buf, size_t(r.ptr - buf));
}

}  // namespace rampart::http
