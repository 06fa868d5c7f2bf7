#pragma once
// A rule of the code audit: its description (code, title, severity, confidence, practice, doc)
// and the checks it runs. One walk of each syntax tree calls a rule's `check` on the node kinds
// it registered; pseudo-kinds reach it for settings ("@setting": `DEBUG = True`,
// `app.config["DEBUG"] = True`, `app.config.update(DEBUG=True)`, `app.debug = True`) and for the
// whole module ("@module", once, after the walk). Template rules read template files; project
// rules run once over the facts gathered from every file (a Flask app in one file, its CSRF
// protection in another).

#include <tree_sitter/api.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "audit/python/imports.h"
#include "audit/python/suppressions.h"
#include "audit/python/syntax.h"
#include "audit/python/taint.h"
#include "audit/report/finding.h"

namespace rampart::audit::python {

// A Flask view accepting POST/PUT/PATCH/DELETE, and what in its body checks a CSRF token.
struct PostRoute {
  Location location;
  bool checks_token =
      false;  // validate_on_submit(), validate_csrf(), csrf.protect(), @jwt_required
  // Classes whose instances the view validates (`form = LoginForm(); form.validate()`): a check
  // when the class is a Flask-WTF form, which the project step decides.
  std::vector<std::string> validated_classes;
};

// What one file tells about the project as a whole.
struct FileFacts {
  std::vector<Location> flask_apps;  // Flask(...) calls
  std::vector<PostRoute> post_routes;
  bool csrf_protection = false;  // CSRFProtect, SeaSurf: the whole app is protected
  // Classes defined in the file with their base classes' names as written (last component).
  std::vector<std::pair<std::string, std::vector<std::string>>> classes;
  std::vector<std::string> settings;      // setting names assigned anywhere in the file
  std::vector<Location> django_settings;  // the MIDDLEWARE/INSTALLED_APPS assignment
  Suppressions suppressions;  // the file's comments, for the project rules' findings in it
};

struct RawFinding {
  std::string rule;
  Severity severity;
  Confidence confidence;
  std::string message;
  Location location;
  std::vector<std::string> notes;
};

class RuleContext {
 public:
  RuleContext(std::string_view path, std::string_view src, const Imports& imports,
              const TaintAnalysis& taint, FileFacts& facts, std::vector<RawFinding>& out)
      : path_(path), src_(src), imports_(imports), taint_(taint), facts_(facts), out_(out) {}

  // Set by the walk before each check.
  TSNode node{};
  const struct Rule* rule = nullptr;
  std::string setting_name;  // for "@setting"
  TSNode setting_value{};
  TSNode setting_target{};

  std::string_view src() const { return src_; }
  std::string_view text(TSNode n) const;
  std::string qualified(TSNode expr) const { return imports_.qualify(expr, src_); }
  // A call's qualified callee and arguments, computed once per call node for all the rules.
  const std::string& callee_of(TSNode call) { return call_info(call).callee; }
  const CallArgs& args_of(TSNode call) { return call_info(call).args; }
  std::string_view method_of(TSNode call) { return call_info(call).method; }
  const Imports& imports() const { return imports_; }
  Taint taint(TSNode expr) const { return taint_.taint_of(expr); }
  const TaintAnalysis& analysis() const { return taint_; }
  FileFacts& facts() { return facts_; }
  Location location(TSNode n) const;

  void report(TSNode at, std::string message, Confidence confidence,
              std::vector<std::string> notes = {});
  void report_severity(TSNode at, Severity severity, std::string message, Confidence confidence,
                       std::vector<std::string> notes = {});
  // "request data: request.args (line 4)"
  static std::string source_note(const Taint& t);

 private:
  std::string_view path_;
  std::string_view src_;
  const Imports& imports_;
  const TaintAnalysis& taint_;
  FileFacts& facts_;
  std::vector<RawFinding>& out_;
  struct CallInfo {
    std::string callee;
    std::string_view method;
    CallArgs args;
  };
  const CallInfo& call_info(TSNode call);
  std::unordered_map<const void*, CallInfo> calls_;
  // The last call asked about: the rules of one node ask about the same call in turn, and
  // unordered_map keeps its elements in place.
  const void* last_call_id_ = nullptr;
  const CallInfo* last_call_ = nullptr;
  mutable std::vector<uint32_t> line_starts_;  // built on the first finding
};

// A template file (Jinja2, Django templates) as lines.
struct TemplateContext {
  std::string_view path;
  std::string_view text;
  const struct Rule* rule = nullptr;
  std::vector<RawFinding>* out = nullptr;
  // Reports the byte range [begin, end) of `text`.
  void report(size_t begin, size_t end, std::string message, Confidence confidence);
};

struct ProjectContext {
  const std::vector<FileFacts>* files = nullptr;
  const struct Rule* rule = nullptr;
  std::vector<RawFinding>* out = nullptr;
  void report(const Location& at, std::string message, Confidence confidence,
              std::vector<std::string> notes = {});
};

struct Rule {
  RuleInfo info;
  std::vector<std::string_view> kinds;  // node kinds and pseudo-kinds this rule's check wants
  void (*check)(RuleContext&) = nullptr;
  void (*check_template)(TemplateContext&) = nullptr;
  void (*check_project)(ProjectContext&) = nullptr;
};

// The plain description a rule file gives (no std::string: GCC 12 at -O3 misreads the inlined
// construction of static strings in every rule file as uninitialized use).
struct RuleSpec {
  const char* code;
  const char* name;
  const char* title;
  Severity severity;
  Confidence confidence;
  const char* practice;
  const char* doc;
};

Rule make_rule(const RuleSpec& spec, std::initializer_list<std::string_view> kinds,
               void (*check)(RuleContext&), void (*check_template)(TemplateContext&) = nullptr,
               void (*check_project)(ProjectContext&) = nullptr);

// Location of a byte range of `src` (1-based lines, code-point columns, with the line's text).
// `line_starts` (the offsets just after each '\n', and 0), when given, saves counting lines
// from the start of the file for each finding.
Location location_of(std::string_view path, std::string_view src, uint32_t begin_byte,
                     uint32_t end_byte, const std::vector<uint32_t>* line_starts = nullptr);

}  // namespace rampart::audit::python
