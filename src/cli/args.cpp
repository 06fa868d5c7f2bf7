#include "cli/args.h"

namespace rampart::cli {

StatusOr<Args> Args::parse(int argc, char** argv, int first, const std::vector<OptionSpec>& specs) {
  Args args;
  bool only_positionals = false;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (only_positionals || arg.size() < 2 || arg[0] != '-') {
      args.positionals_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_positionals = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      args.options_["help"].push_back("");
      continue;
    }
    if (arg.rfind("--", 0) != 0) return Status::error("unknown option " + arg + " (see --help)");
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const OptionSpec* spec = nullptr;
    for (const auto& s : specs) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr) return Status::error("unknown option --" + name + " (see --help)");
    auto& slot = args.options_[name];
    if (!slot.empty() && !spec->repeatable) {
      return Status::error("option --" + name + " given more than once");
    }
    if (!spec->takes_value) {
      if (inline_value) return Status::error("option --" + name + " takes no value");
      slot.push_back("");
      continue;
    }
    if (inline_value) {
      slot.push_back(*inline_value);
    } else if (i + 1 < argc) {
      slot.push_back(argv[++i]);
    } else {
      return Status::error("option --" + name + " needs a value");
    }
  }
  return args;
}

bool Args::flag(std::string_view name) const { return options_.find(name) != options_.end(); }

std::optional<std::string> Args::value(std::string_view name) const {
  auto it = options_.find(name);
  if (it == options_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::values(std::string_view name) const {
  auto it = options_.find(name);
  return it == options_.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace rampart::cli
