#pragma once
// PEP 508 environment markers ("python_version < '3.8' and sys_platform == 'win32'"), evaluated
// for a target environment: the Python version the audit is for (--python-version) and the
// platform rampart runs on. Comparisons follow packaging: when the right-hand side makes a
// version specifier with the operator, the comparison is by PEP 440; otherwise by string.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace rampart::audit::deps {

struct MarkerEnvironment {
  std::map<std::string, std::string, std::less<>> values;  // python_version, sys_platform, ...

  // The running platform (uname) with the given Python version ("3.11" or "3.11.4").
  static MarkerEnvironment for_python(std::string_view python_version);
  // The running platform, with the Python version asked of `probe` only when a marker needs
  // it (finding it may mean starting a Python, which most audits can do without).
  static MarkerEnvironment with_python_probe(std::function<std::string()> probe);

  // A variable's value ("" when unknown).
  std::string get(std::string_view name) const;

 private:
  struct Lazy {
    std::function<std::string()> probe;
    std::shared_ptr<const MarkerEnvironment> resolved;  // after the probe
  };
  std::shared_ptr<Lazy> lazy_;
};

// True when `marker` holds in `env` (with `extra` for the "extra" variable, "" when none was
// asked for). An error names what is wrong with the marker.
StatusOr<bool> evaluate_marker(std::string_view marker, const MarkerEnvironment& env,
                               std::string_view extra = "");

}  // namespace rampart::audit::deps
