#pragma once
// PEP 440 versions: parsing with normalization and the total order that pip and packaging use
// (epochs, pre-, post- and dev-releases, local versions).
//
// Strings that are not PEP 440 (advisories carry a few, such as "0.7.10p1") still parse, as
// *legacy* versions, so that nothing a database or lockfile holds is ever a crash. The documented
// fallback order for a legacy version: its leading dot-separated numbers are its release (none
// when it does not start with a digit); it sorts by that release against every other version,
// and after every PEP 440 version of an equal release; two legacy versions of an equal release
// compare their remainders in natural order (digit runs as numbers). is_legacy() lets callers
// report that the fallback was used.
//
// Hand-written: Debian has no C++ PEP 440 library.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rampart::audit::deps {

class Version {
 public:
  enum class PreKind : uint8_t { kAlpha = 0, kBeta = 1, kRc = 2 };
  struct Pre {
    PreKind kind;
    uint64_t number;
    bool operator==(const Pre&) const = default;
  };
  using LocalPart = std::variant<uint64_t, std::string>;

  Version() = default;

  // A PEP 440 version, or nullopt when `text` is not one (surrounding whitespace is allowed).
  static std::optional<Version> parse(std::string_view text);
  // Never fails: a PEP 440 version, or a legacy version by the documented fallback.
  static Version parse_lenient(std::string_view text);

  uint64_t epoch() const { return epoch_; }
  const std::vector<uint64_t>& release() const { return release_; }
  const std::optional<Pre>& pre() const { return pre_; }
  const std::optional<uint64_t>& post() const { return post_; }
  const std::optional<uint64_t>& dev() const { return dev_; }
  const std::vector<LocalPart>& local() const { return local_; }
  bool is_legacy() const { return legacy_; }

  bool is_prerelease() const { return pre_.has_value() || dev_.has_value(); }
  bool is_postrelease() const { return post_.has_value(); }
  // The same version without its local part.
  Version public_version() const;
  // Epoch and release only ("1!2.0" of "1!2.0rc1.post3+x").
  Version base_version() const;

  // The normalized form ("1.0-RC1" gives "1.0rc1"); a legacy version gives its text as written,
  // trimmed.
  std::string to_string() const;

  friend std::strong_ordering operator<=>(const Version& a, const Version& b);
  friend bool operator==(const Version& a, const Version& b) { return (a <=> b) == 0; }

 private:
  uint64_t epoch_ = 0;
  std::vector<uint64_t> release_;
  std::optional<Pre> pre_;
  std::optional<uint64_t> post_;
  std::optional<uint64_t> dev_;
  std::vector<LocalPart> local_;
  bool legacy_ = false;
  std::string legacy_text_;  // the remainder after the release, for legacy versions
  std::string original_;     // legacy versions only
};

}  // namespace rampart::audit::deps
