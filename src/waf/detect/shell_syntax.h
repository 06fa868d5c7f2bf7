#pragma once
// The shell syntax the command-injection detector reads (detect/shell.cpp): the words a POSIX
// shell would run once the evasions written into a value are undone, wildcard patterns matched
// against what an attacker names with them, and constructs that need no command list. Pure
// functions of their input; each is bounded by the input's length.

#include <array>
#include <string>
#include <string_view>

#include "waf/detect/detector.h"

namespace rampart::waf::shell {

constexpr std::array<bool, 256> kSep = [] {
  std::array<bool, 256> t{};
  for (char c : std::string_view(";|&\n\r`(){}<>")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();
// Bytes that end a word and may start the next command.
inline bool is_sep(char c) { return kSep[static_cast<unsigned char>(c)]; }
inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

// Undoes shell quoting tricks so that "c'a't", "c\at", "ca$@t", "uname$u", "pi``ng" and
// "{cat,/etc/passwd}" read as the words the shell would run (shell_words.cpp).
// *first_evasion: where the first evasion was undone (offset in the output), npos if none.
std::string unshell(std::string_view in, size_t* first_evasion);

bool has_glob(std::string_view w);
// A wildcard pattern (fnmatch(3), '/' matched only by '/') that names a command a shell would
// run: "adduse[r]", "/???/??t", "/bin/ca?" (shell_constructs.cpp).
bool glob_names_command(std::string_view pattern);
// A word of the value that is a wildcard path with at least one letter spelled out, matching a
// file an attacker reads or a command in a system directory: "/et*/*wd", "/???/?s". Sets *at.
bool glob_names_target(std::string_view t, size_t* at);

// Shell constructs that need no command list: a function that runs itself in a pipe or in the
// background (a fork bomb), a function body that opens the value (Shellshock), tilde and
// history expansions as the whole value, and a /tcp/host/port redirection (a reverse shell).
// Appends one hit and returns true when the value holds one.
bool shell_construct(const Scan& s, Hits& out);

}  // namespace rampart::waf::shell
