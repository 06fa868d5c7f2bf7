// Code injection in server-side languages other than PHP and SQL: Node.js (child_process,
// process.mainModule, Function constructors), prototype pollution (__proto__,
// constructor.prototype), Python (__import__, os.system, subprocess), Ruby and Perl
// interpolation that runs code, and Java/Spring expression language.

#include "waf/detect/detector.h"
#include "waf/detect/js_tokenizer.h"

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

// Members of Node's process object that read the environment, load native code or run and end
// processes.
constexpr std::string_view kProcessMembers[] = {
    "mainmodule", "binding", "_linkedbinding", "dlopen",     "env",
    "exit",       "kill",    "abort",          "chdir",      "cwd",
    "setuid",     "setgid",  "argv",           "execpath",   "stdout",
    "stdin",      "stderr",  "openstdin",      "reallyexit", "_getactivehandles"};

// Node.js read as JavaScript tokens: the process object reached by member or computed access
// (process.mainModule, process["env"], process[x.y]), and a value that is a call of a console
// method (console.info(1), console["log"](1)), the probe of server-side JavaScript evaluation.
void node_tokens(std::string_view t, Hits& out) {
  std::vector<JsToken> tk = js_tokens(t.substr(0, 4096), 256);
  for (size_t i = 0; i + 1 < tk.size(); ++i) {
    if (tk[i].kind != JsKind::kIdent || (i > 0 && tk[i - 1].is('.'))) continue;
    if (tk[i].text == "process") {
      const JsToken& n = tk[i + 1];
      if (n.is('[') && i + 2 < tk.size()) {
        out.push_back(Hit{AttackClass::kCodeInjection, 8, kCertain, tk[i].from, t.size(),
                          "node process access"});
        return;
      }
      if (n.is('.') && i + 2 < tk.size() && tk[i + 2].kind == JsKind::kIdent) {
        for (std::string_view m : kProcessMembers) {
          if (tk[i + 2].text == m && m != "env") {
            out.push_back(Hit{AttackClass::kCodeInjection, 8, kCertain, tk[i].from, t.size(),
                              "node process access"});
            return;
          }
        }
      }
    }
    if (i == 0 && tk[i].text == "console") {
      size_t j = 1;
      if (tk[j].is('.') && j + 1 < tk.size() && tk[j + 1].kind == JsKind::kIdent) {
        j += 2;
      } else if (tk[j].is('[') && j + 2 < tk.size() && tk[j + 1].literal() && tk[j + 2].is(']')) {
        j += 3;
      } else {
        continue;
      }
      if (j < tk.size() && tk[j].is('(')) {
        out.push_back(
            Hit{AttackClass::kCodeInjection, 6, kLikely, tk[i].from, t.size(), "javascript call"});
        return;
      }
    }
  }
}

// The truthiness of a constant JavaScript operand at tk[*i] (literals, !, unary +/-, parens,
// objects, builtins): 1 true, 0 false, -1 not a constant. Advances *i past it.
int constant_truth(const std::vector<JsToken>& tk, size_t* i, int depth = 0) {
  if (*i >= tk.size() || depth > 16) return -1;
  const JsToken& k = tk[(*i)++];
  if (k.is('!')) {
    int v = constant_truth(tk, i, depth + 1);
    return v < 0 ? -1 : 1 - v;
  }
  if (k.is('-') || k.is('+')) return constant_truth(tk, i, depth + 1);
  if (k.is('(')) {
    int v = constant_truth(tk, i, depth + 1);
    if (*i < tk.size() && tk[*i].is(')')) ++*i;
    return v;
  }
  if (k.is('{') || k.is('[')) {
    char close = k.is('{') ? '}' : ']';
    if (*i < tk.size() && tk[*i].is(close)) {
      ++*i;
      return 1;  // an object or array, even empty, is true
    }
    return -1;
  }
  if (k.literal()) return k.text.size() > 2 ? 1 : 0;
  if (k.kind == JsKind::kNumber) {
    for (char c : k.text) {
      if (c >= '1' && c <= '9') return 1;
    }
    return 0;
  }
  if (k.kind != JsKind::kIdent) return -1;
  std::string_view w = k.text;
  if (w == "true" || w == "infinity" || w == "this") return 1;
  if (w == "false" || w == "null" || w == "undefined" || w == "nan") return 0;
  if (w == "new" && *i < tk.size() && tk[*i].kind == JsKind::kIdent) {
    ++*i;
    return 1;
  }
  for (std::string_view b : {"string", "object", "array", "date", "function", "number", "boolean",
                             "symbol", "math", "json", "globalthis", "window", "process"}) {
    if (w == b) return 1;  // functions and objects
  }
  return -1;
}

// "while(!0);", "while(new Date)", "for(;;)": a loop whose condition is constantly true, which
// hangs a server that evaluates the value (Node's single thread above all).
void infinite_loop(std::string_view t, Hits& out) {
  std::vector<JsToken> tk = js_tokens(t.substr(0, 2048), 128);
  for (size_t i = 0; i + 2 < tk.size(); ++i) {
    if (!tk[i + 1].is('(') || (i > 0 && tk[i - 1].is('.'))) continue;
    bool hit = false;
    if (tk[i].ident("while")) {
      size_t j = i + 2;
      hit = constant_truth(tk, &j) == 1 && j < tk.size() && tk[j].is(')');
    } else if (tk[i].ident("for") && i + 4 < tk.size()) {
      hit = tk[i + 2].is(';') && tk[i + 3].is(';') && tk[i + 4].is(')');
    }
    if (hit) {
      out.push_back(
          Hit{AttackClass::kCodeInjection, 6, kLikely, tk[i].from, t.size(), "javascript loop"});
      return;
    }
  }
}

// Object paths that walk to a prototype with any separator: "constructor:constructor" and
// "$7:Module:prototype" (React Server Components references, CVE-2025-55182), or
// constructor["prototype"].
void prototype_paths(std::string_view t, Hits& out) {
  auto sep = [](char c) {
    return c == ':' || c == '.' || c == '[' || c == ']' || c == '"' || c == '\'' || c == '/' ||
           c == ' ';
  };
  for (size_t p = t.find("constructor"); p != std::string_view::npos;
       p = t.find("constructor", p + 11)) {
    size_t e = p + 11;
    size_t k = e;
    while (k < t.size() && k < e + 6 && sep(t[k])) ++k;
    if (k == e) continue;
    std::string_view next = t.substr(k, 11);
    if (next.substr(0, 11) == "constructor" || next.substr(0, 9) == "prototype") {
      out.push_back(
          Hit{AttackClass::kCodeInjection, 9, kCertain, p, t.size(), "prototype pollution"});
      return;
    }
  }
  // "$<id>:a:b:prototype": a flight reference whose path reaches a prototype.
  for (size_t d = t.find('$'); d != std::string_view::npos; d = t.find('$', d + 1)) {
    size_t i = d + 1;
    while (i < t.size() && ((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f'))) ++i;
    if (i == d + 1 || i >= t.size() || t[i] != ':') continue;
    size_t end = i;
    while (end < t.size() && (is_word_char(t[end]) || t[end] == ':' || t[end] == '$')) ++end;
    std::string_view path = t.substr(i, end - i);
    for (std::string_view seg : {std::string_view(":prototype"), std::string_view(":__proto__"),
                                 std::string_view(":constructor")}) {
      size_t at = path.find(seg);
      if (at != std::string_view::npos &&
          (at + seg.size() == path.size() || path[at + seg.size()] == ':')) {
        out.push_back(
            Hit{AttackClass::kCodeInjection, 9, kCertain, d, t.size(), "prototype pollution"});
        return;
      }
    }
  }
}

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
        // "require(" and "function(" as words: "myfunction(){" is a shell function definition.
        if ((sig.text == "require(" || sig.text.substr(0, 8) == "function") && m.from > 0 &&
            is_word_char(t[m.from - 1]))
          break;
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
  if (s.chars.any("[(.") && (t.find("process") != std::string_view::npos ||
                             t.find("console") != std::string_view::npos)) {
    node_tokens(t, out);
  }
  if ((s.chars.any(":$[") && t.find("constructor") != std::string_view::npos) ||
      (s.chars.has('$') && t.find("prototype") != std::string_view::npos)) {
    prototype_paths(t, out);
  }
  if (s.chars.has('(') &&
      (t.find("while") != std::string_view::npos || t.find("for") != std::string_view::npos)) {
    infinite_loop(t, out);
  }
  // Perl's "@{[ code ]}" runs code inside a string, spaces allowed: "@{   [ system 'id' ] }".
  for (size_t a = t.find("@{"); a != std::string_view::npos; a = t.find("@{", a + 2)) {
    size_t b = skip_spaces(t, a + 2);
    if (b < t.size() && t[b] == '[' && b > a + 2) {
      out.push_back(
          Hit{AttackClass::kCodeInjection, 8, kCertain, a, t.size(), "perl interpolation"});
      break;
    }
  }
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
