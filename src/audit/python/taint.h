#pragma once
// Where request data flows inside one module. Each function (and the module body) is walked in
// statement order with an environment from names to Taint; branches are walked on copies and
// merged, loop bodies twice. Sources are the frameworks' request objects and route parameters
// (sources.h). Across functions of the module, two summaries are kept and iterated to a fixed
// point: which parameters a caller fills with request data, and what a function returns. The
// result is the Taint of every expression the walk met, which the rules then query.

#include <tree_sitter/api.h>

#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "audit/python/imports.h"

namespace rampart::audit::python {

// Kinds of sink a sanitizer makes a value safe for.
enum SinkKind : uint8_t {
  kSinkSql = 1,
  kSinkHtml = 2,
  kSinkCommand = 4,
  kSinkPath = 8,
  kSinkUrl = 16,
  kSinkAll = 0xFF,
};

struct Taint {
  bool request = false;         // carries data from a request
  bool request_object = false;  // is the request object itself (its attributes are sources)
  bool built = false;           // a string assembled at run time from non-literal parts
  bool literal = false;         // a constant string
  bool html = false;            // contains literal HTML markup ("<p>")
  // A string that starts with a literal path or URL ("/items/" + x, f"https://api.x.org/{y}"):
  // the data in it cannot choose where a redirect or a fetch goes.
  bool fixed_prefix = false;
  uint8_t cleared = 0;  // SinkKind bits a sanitizer made it safe for
  uint64_t params = 0;  // bit i: flows from parameter i of the enclosing function
  // The first request source, as written ("request.args"): a view of the source text or of a
  // description kept by the TaintAnalysis, so that a Taint copies without allocating (the walk
  // copies them for every expression).
  std::string_view source;
  uint32_t source_line = 0;

  bool request_for(SinkKind k) const { return request && !(cleared & k); }
  bool dynamic_for(SinkKind k) const { return built && !(cleared & k); }
  void merge(const Taint& o);
  bool operator==(const Taint& o) const = default;
};

struct FunctionInfo {
  TSNode node{};    // function_definition
  std::string key;  // "name" or "Class.name"
  std::string class_name;
  std::vector<std::string> params;
  // Request data given by some caller, per parameter: the description of the source.
  std::vector<std::string_view> param_request;  // kept by the TaintAnalysis
  Taint returns;                                // params bits refer to this function's parameters
  bool is_route = false;  // a view: Flask/FastAPI decorated route, Django view, aiohttp handler
  bool flask_route = false;
  std::vector<std::string> http_methods;  // upper case, from the decorator ("GET" by default)
  // The fixed point: functions whose inputs changed are walked again, and only they.
  std::vector<size_t> callers;  // indexes of the functions that call this one
  bool dirty = true;
  bool dirty_next = false;
};

class TaintAnalysis {
 public:
  using Env = boost::unordered_flat_map<std::string_view, Taint>;
  TaintAnalysis(std::string_view src, const Imports& imports) : src_(src), imports_(imports) {}
  void run(TSNode root);

  // The taint of an expression met by the walk; one computed without context otherwise.
  Taint taint_of(TSNode expr) const;
  Taint taint_cached(TSNode expr) const;  // what the walk found so far; empty when not met
  const std::vector<FunctionInfo>& functions() const { return functions_; }
  const FunctionInfo* function_at(TSNode function_definition) const;
  const FunctionInfo* enclosing_function(TSNode n) const;
  // Keeps a description for as long as the analysis lives.
  std::string_view intern(std::string s);

 private:
  friend class FunctionWalker;
  void collect_functions(TSNode n, const std::string& class_name, int depth);
  FunctionInfo* resolve_call(TSNode callee, const std::string& class_name);

  std::string_view src_;
  const Imports& imports_;
  std::vector<FunctionInfo> functions_;
  std::unordered_map<std::string, size_t> by_key_;
  std::map<uint32_t, size_t> by_start_;  // function node start byte -> index
  boost::unordered_flat_map<const void*, Taint> cache_;
  Env globals_;
  std::unordered_set<std::string> descriptions_;  // node-based: views of them stay valid
};

}  // namespace rampart::audit::python
