#include "state/resp.h"

#include <charconv>

namespace rampart::state {
namespace {

void append_number(std::string& out, uint64_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, size_t(end - buf));
}

void append_header(std::string& out, char kind, size_t n) {
  out += kind;
  append_number(out, n);
  out += "\r\n";
}

}  // namespace

void resp_begin(std::string& out, size_t argc) { append_header(out, '*', argc); }

void resp_arg(std::string& out, std::string_view arg) {
  append_header(out, '$', arg.size());
  out += arg;
  out += "\r\n";
}

void resp_arg(std::string& out, std::string_view a, std::string_view b) {
  append_header(out, '$', a.size() + b.size());
  out += a;
  out += b;
  out += "\r\n";
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
