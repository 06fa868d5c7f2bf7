#pragma once
// PEP 440 version specifiers ("~=1.4.2", "==1.*", "!=1.3", "<2", "<=2", ">1", ">=1", "===x") and
// comma-separated specifier sets, with the semantics of pip and packaging: exclusive ordered
// comparisons do not admit pre-releases or post-releases of the named version, local versions
// are ignored unless the specifier names one, "==" with ".*" matches a release prefix.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/deps/version.h"
#include "common/status.h"

namespace rampart::audit::deps {

class Specifier {
 public:
  enum class Op {
    kCompatible,
    kEqual,
    kNotEqual,
    kLess,
    kLessEqual,
    kGreater,
    kGreaterEqual,
    kArbitrary
  };

  static StatusOr<Specifier> parse(std::string_view text);

  bool contains(const Version& v) const;
  Op op() const { return op_; }
  bool wildcard() const { return wildcard_; }
  const Version& version() const { return version_; }
  // The version text as written, after the operator (without ".*").
  const std::string& version_text() const { return text_; }
  std::string to_string() const;

 private:
  Op op_ = Op::kEqual;
  bool wildcard_ = false;
  std::string text_;
  Version version_;
};

class SpecifierSet {
 public:
  // "" is the empty set, which admits every version.
  static StatusOr<SpecifierSet> parse(std::string_view text);

  // Pre-releases are admitted: the question asked is always "is this exact version allowed".
  bool contains(const Version& v) const;
  bool empty() const { return specs_.empty(); }
  const std::vector<Specifier>& specifiers() const { return specs_; }
  // The version an exact pin names ("==1.2.3" or "===1.2.3"), or nullopt when the set admits
  // more than one version.
  std::optional<std::string> pinned_version() const;
  std::string to_string() const;

 private:
  std::vector<Specifier> specs_;
};

}  // namespace rampart::audit::deps
