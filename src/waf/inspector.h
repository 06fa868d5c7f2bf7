#pragma once
// The entry point of the detection library. An Inspector is built once (it compiles the
// signature database) and is then immutable: any number of threads may call inspect() on one
// Inspector at the same time. inspect() never throws and is bounded by the policy's limits.

#include <memory>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "waf/policy.h"
#include "waf/request.h"
#include "waf/signatures.h"
#include "waf/types.h"

namespace rampart::waf {

struct Scan;

struct Result {
  std::vector<Finding> findings;      // at or above the policy threshold, highest score first
  int total_score = 0;                // sum of the findings' scores
  size_t inspected_bytes = 0;         // bytes of values run through the detectors
  size_t uninspected_body_bytes = 0;  // body bytes beyond the policy's body limit
  size_t dropped_values = 0;          // values beyond the policy's argument count

  bool attack() const { return !findings.empty(); }
};

class Inspector {
 public:
  static StatusOr<std::unique_ptr<Inspector>> create();

  Result inspect(const Request& request, const Policy& policy) const;
  // Inspects one value as if it came from `part` under `name` (tests, the fuzzer, and guards
  // that already hold parsed values).
  std::vector<Finding> inspect_value(Part part, std::string_view name, std::string_view value,
                                     const Policy& policy) const;

 private:
  explicit Inspector(std::unique_ptr<SignatureSet> sigs) : sigs_(std::move(sigs)) {}
  void inspect_text(Part part, std::string_view name, std::string_view text, bool is_name,
                    const Policy& policy, Result& result, std::string_view host = {}) const;
  void inspect_document_xxe(std::string_view body, const Policy& policy, Result& result) const;
  void run_detectors(const Scan& scan, std::string_view name, const Policy& policy,
                     Result& result) const;

  std::unique_ptr<SignatureSet> sigs_;
};

}  // namespace rampart::waf
