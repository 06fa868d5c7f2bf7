#pragma once
// Redis commands in RESP (the Redis serialization protocol: an array of bulk strings), appended
// to a caller's buffer. hiredis formats commands too (redisFormatCommandArgv), but only into a
// buffer of its own that it allocates per command; the store's hot path formats into a reused
// buffer instead, so this is written by hand (RESP requests are a few lines of framing).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace rampart::state {

// "*N\r\n": a command of `argc` arguments follows.
void resp_begin(std::string& out, size_t argc);
// One argument: "$LEN\r\nBYTES\r\n".
void resp_arg(std::string& out, std::string_view arg);
// One argument made of two pieces (a key prefix and a key), without joining them first.
void resp_arg(std::string& out, std::string_view a, std::string_view b);
// One argument: a decimal integer.
void resp_arg(std::string& out, int64_t n);
// A whole command.
void resp_command(std::string& out, std::span<const std::string> args);

}  // namespace rampart::state
