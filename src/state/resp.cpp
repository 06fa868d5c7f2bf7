#include "state/resp.h"

#include <charconv>
#include <cstring>

namespace rampart::state {
namespace {

// Appends KIND, the decimal `n` and CRLF, then `a` and `b` and CRLF when `bulk`: one resize and
// copies, not an append per piece (this runs for every argument of every command).
void append_framed(std::string& out, char kind, size_t n, std::string_view a = {},
                   std::string_view b = {}, bool bulk = false) {
  char head[24];
  head[0] = kind;
  char* end = std::to_chars(head + 1, head + sizeof head - 2, n).ptr;
  *end++ = '\r';
  *end++ = '\n';
  const size_t h = size_t(end - head);
  const size_t at = out.size();
  out.resize(at + h + (bulk ? a.size() + b.size() + 2 : 0));
  char* p = out.data() + at;
  std::memcpy(p, head, h);
  if (!bulk) return;
  p += h;
  if (!a.empty()) std::memcpy(p, a.data(), a.size());
  p += a.size();
  if (!b.empty()) std::memcpy(p, b.data(), b.size());
  p += b.size();
  p[0] = '\r';
  p[1] = '\n';
}

}  // namespace

void resp_begin(std::string& out, size_t argc) { append_framed(out, '*', argc); }

void resp_arg(std::string& out, std::string_view arg) {
  append_framed(out, '$', arg.size(), arg, {}, true);
}

void resp_arg(std::string& out, std::string_view a, std::string_view b) {
  append_framed(out, '$', a.size() + b.size(), a, b, true);
}

void resp_arg(std::string& out, int64_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  resp_arg(out, std::string_view(buf, size_t(end - buf)));
}

void resp_command(std::string& out, std::span<const std::string> args) {
  resp_begin(out, args.size());
  for (const auto& a : args) resp_arg(out, a);
}

}  // namespace rampart::state
