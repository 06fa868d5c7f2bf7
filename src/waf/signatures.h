#pragma once
// The multi-pattern prefilter: one Hyperscan database of the literal word lists that detectors
// need found anywhere in a value (shell commands, PHP functions, sensitive file names, ...). A
// value is scanned once; a detector whose lists did not match skips its tokenizer, and one whose
// lists did confirms each match in its own syntax. Adding words costs nothing per byte scanned.
//
// Thread safety: a SignatureSet is immutable after compile(); scan() may be called from any
// number of threads at once (each thread keeps its own Hyperscan scratch).

#include <hs/hs.h>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace rampart::waf {

enum class SigGroup : uint8_t {
  kUnixCommand,
  kWindowsCommand,
  kPhpFunction,
  kSensitiveFile,
  kSqlWord,        // SQL keywords and functions that make a value worth lexing as SQL
  kCodeSignature,  // code-injection markers (child_process, __proto__, java.lang.Runtime, ...)
  kScriptMarker,   // script URLs, CSS expressions and JavaScript sinks (the XSS detector's)
  kCount,
};

struct SigMatch {
  SigGroup group;
  uint32_t from;  // byte offsets in the scanned text
  uint32_t to;
};

struct SigHits {
  uint32_t groups = 0;  // bit (1 << group) for every group that matched
  std::vector<SigMatch> matches;

  bool has(SigGroup g) const { return (groups >> uint32_t(g)) & 1u; }
  void clear() {
    groups = 0;
    matches.clear();
  }
};

class SignatureSet {
 public:
  static StatusOr<std::unique_ptr<SignatureSet>> compile();
  ~SignatureSet();
  SignatureSet(const SignatureSet&) = delete;
  SignatureSet& operator=(const SignatureSet&) = delete;

  // Case-insensitive. At most kMaxMatches matches are kept (the groups mask stays complete).
  void scan(std::string_view text, SigHits& hits) const;
  static constexpr size_t kMaxMatches = 256;

 private:
  SignatureSet() = default;
  hs_database_t* db_ = nullptr;
  uint64_t serial_ = 0;  // identifies this database to the per-thread scratch cache
  std::vector<SigGroup> group_of_;
  std::vector<uint32_t> length_of_;
};

// Word lists, shared with the detectors that confirm matches.
bool is_unix_command(std::string_view word);     // lower-case word
bool is_windows_command(std::string_view word);  // lower-case word
bool is_php_function(std::string_view word);     // lower-case word
// The code-injection detector's markers (defined with their scores in detect/code_injection.cpp).
const std::vector<std::string_view>& code_injection_literals();

}  // namespace rampart::waf
