#pragma once
// Command-line arguments of a subcommand: "--name value", "--name=value", repeated options,
// boolean flags and positionals. Every subcommand declares what it takes, so that a typo is an
// error that names the option, never silently ignored.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace rampart::cli {

struct OptionSpec {
  std::string name;  // without the leading "--"
  bool takes_value = true;
  bool repeatable = false;
};

class Args {
 public:
  // Parses argv[first..argc) against `specs`. "-h" and "--help" are always accepted as flags.
  static StatusOr<Args> parse(int argc, char** argv, int first,
                              const std::vector<OptionSpec>& specs);

  bool flag(std::string_view name) const;
  std::optional<std::string> value(std::string_view name) const;  // the last one given
  std::vector<std::string> values(std::string_view name) const;   // all, in order
  const std::vector<std::string>& positionals() const { return positionals_; }
  bool help() const { return flag("help"); }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> options_;
  std::vector<std::string> positionals_;
};

}  // namespace rampart::cli
