// Code injection in server-side languages other than PHP and SQL: Node.js (child_process,
// process.mainModule, Function constructors), prototype pollution (__proto__,
// constructor.prototype), Python (__import__, os.system, subprocess), Ruby and Perl
// interpolation that runs code, and Java/Spring expression language.

#include "waf/detect/detector.h"

namespace rampart::waf {
namespace {

struct Sig {
  std::string_view text;
  int score;
  int level;
  std::string_view reason;
};

constexpr Sig kSignatures[] = {
    {"child_process", 9, kCertain, "node child_process"},
    {"process.mainmodule", 9, kCertain, "node process access"},
    {"process.binding(", 9, kCertain, "node process access"},
    {"process.env", 6, kLikely, "node process access"},
    {"global.process", 9, kCertain, "node process access"},
    {"require(", 7, kCertain, "node require"},
    {"require[", 7, kCertain, "node require"},
    {".execsync(", 9, kCertain, "node exec"},
    {".spawnsync(", 9, kCertain, "node exec"},
    {".spawn(", 7, kCertain, "node exec"},
    {"new function(", 8, kCertain, "function constructor"},
    {"constructor.constructor", 9, kCertain, "function constructor"},
    {"[constructor]", 7, kCertain, "prototype pollution"},
    {"constructor.prototype", 9, kCertain, "prototype pollution"},
    {"constructor[prototype]", 9, kCertain, "prototype pollution"},
    {"__proto__", 8, kCertain, "prototype pollution"},
    {"fs.readfilesync", 9, kCertain, "node file access"},
    {"fs.writefilesync", 9, kCertain, "node file access"},
    {"eval(string.fromcharcode", 9, kCertain, "encoded eval"},
    {"string.fromcharcode(", 6, kLikely, "encoded string"},
    {"__import__(", 9, kCertain, "python import"},
    {"os.system(", 9, kCertain, "python os.system"},
    {"os.popen(", 9, kCertain, "python os.popen"},
    {"subprocess.", 8, kCertain, "python subprocess"},
    {"pickle.loads", 8, kCertain, "python pickle"},
    {"builtins.eval", 9, kCertain, "python eval"},
    {"t(java.lang.runtime)", 10, kCertain, "spring expression"},
    {"java.lang.runtime", 9, kCertain, "java runtime"},
    {"java.lang.processbuilder", 9, kCertain, "java runtime"},
    {"getruntime().exec", 10, kCertain, "java runtime"},
    {"kernel.exec", 9, kCertain, "ruby exec"},
    {"kernel.system", 9, kCertain, "ruby exec"},
    {"io.popen", 9, kCertain, "ruby popen"},
    {"%x(", 5, kSuspicious, "ruby exec"},
    {"@{[", 8, kCertain, "perl interpolation"},
    {"console.log(", 5, kSuspicious, "javascript call"},
    {"while(", 6, kLikely, "javascript loop"},
    {"new function", 7, kLikely, "function constructor"},
    {"module.exports", 7, kLikely, "node module"},
    {"_$$nd_func$$_", 9, kCertain, "node serialized function"},
    {"__js_function", 8, kCertain, "serialized function"},
    {"function(){", 6, kLikely, "function literal"},
    {"function (){", 6, kLikely, "function literal"},
    {"function() {", 6, kLikely, "function literal"},
    {"function () {", 6, kLikely, "function literal"},
    {".call(this", 6, kLikely, "javascript call"},
};

}  // namespace

const std::vector<std::string_view>& code_injection_literals() {
  static const std::vector<std::string_view> literals = [] {
    std::vector<std::string_view> v;
    for (const Sig& sig : kSignatures) v.push_back(sig.text);
    return v;
  }();
  return literals;
}

void detect_code_injection(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  const Sig* best = nullptr;
  size_t at = 0;
  // The prefilter found the markers; each match is mapped back to its row.
  if (s.sigs->has(SigGroup::kCodeSignature)) {
    for (const SigMatch& m : s.sigs->matches) {
      if (m.group != SigGroup::kCodeSignature) continue;
      std::string_view found = t.substr(m.from, m.to - m.from);
      for (const Sig& sig : kSignatures) {
        if (sig.text != found) continue;
        if (sig.text == "require(" && m.from > 0 && is_word_char(t[m.from - 1])) break;
        if (!best || sig.score > best->score) {
          best = &sig;
          at = m.from;
        }
        break;
      }
    }
  }
  // Prototype pollution through argument names: a[__proto__][x]=1, constructor[prototype].
  if (s.is_name && (t.find("__proto__") != std::string_view::npos ||
                    t.find("prototype") != std::string_view::npos)) {
    out.push_back(
        Hit{AttackClass::kCodeInjection, 9, kCertain, 0, t.size(), "prototype pollution"});
    return;
  }
  // Django ORM lookups in argument names ("password__startswith=a"): an application that
  // passes request arguments to filter(**kwargs) lets them query any field.
  if (s.is_name &&
      (s.part == Part::kQuery || s.part == Part::kBodyForm || s.part == Part::kBodyJson)) {
    size_t dd = t.rfind("__");
    if (dd != std::string_view::npos && dd > 0) {
      std::string_view lookup = t.substr(dd + 2);
      constexpr std::string_view kLookups[] = {
          "exact",     "iexact",       "contains",     "icontains",  "in",          "gt",
          "gte",       "lt",           "lte",          "startswith", "istartswith", "endswith",
          "iendswith", "range",        "isnull",       "regex",      "iregex",      "has_key",
          "has_keys",  "has_any_keys", "contained_by", "overlap"};
      for (std::string_view l : kLookups) {
        if (lookup == l) {
          // One field and an operator ("price__gte", "name__icontains") is how django-filter
          // and admin list filters are used; a lookup across a relation ("author__password__")
          // or on a secret reads what the form never offered.
          std::string_view field = t.substr(0, dd);
          bool relation = field.find("__") != std::string_view::npos;
          bool secret = false;
          for (std::string_view w : {"password", "passwd", "secret", "token", "hash", "salt",
                                     "api_key", "apikey", "private"}) {
            if (field.find(w) != std::string_view::npos) secret = true;
          }
          if (relation || secret) {
            out.push_back(
                Hit{AttackClass::kCodeInjection, 6, kLikely, 0, t.size(), "orm lookup in name"});
          } else {
            // Reported at sensitivity 3 only (as CRS flags it at a higher paranoia level).
            out.push_back(Hit{AttackClass::kCodeInjection, 5, kSuspicious, 0, t.size(),
                              "orm lookup in name"});
          }
          break;
        }
      }
    }
  }
  if (best)
    out.push_back(
        Hit{AttackClass::kCodeInjection, best->score, best->level, at, t.size(), best->reason});
  // Ruby interpolation running code: #{`id`}, #{system(...)}.
  size_t p = t.find("#{");
  if (p != std::string_view::npos) {
    std::string_view body = t.substr(p + 2, 60);
    if (body.find('`') != std::string_view::npos || body.find("system") != std::string_view::npos ||
        body.find("exec") != std::string_view::npos ||
        body.find("eval") != std::string_view::npos) {
      out.push_back(
          Hit{AttackClass::kCodeInjection, 8, kCertain, p, t.size(), "ruby interpolation"});
    }
  }
}

}  // namespace rampart::waf
