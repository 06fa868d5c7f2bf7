// Server-side template injection: Jinja2 and Django ({{ }}, {% %}), Mako (${ }, <% %>) and the
// Python object walks every SSTI payload needs (__class__, __mro__, __subclasses__,
// __globals__, __builtins__). Plain "{{ name }}" (client-side templates in text) is only
// suspicious; expressions, filters, calls and dunder chains are attacks.

#include "waf/detect/detector.h"

namespace rampart::waf {
namespace {

constexpr std::string_view kDunders[] = {
    "__class__",  "__mro__",  "__subclasses__", "__globals__", "__builtins__",
    "__import__", "__base__", "__bases__",      "__init__",    "__getattribute__",
    "__dict__",   "__code__", "__reduce__",     "__loader__",  "__spec__"};

constexpr std::string_view kTemplateObjects[] = {"config",
                                                 "self",
                                                 "request",
                                                 "lipsum",
                                                 "cycler",
                                                 "joiner",
                                                 "namespace",
                                                 "url_for",
                                                 "get_flashed_messages",
                                                 "range",
                                                 "settings",
                                                 "g.",
                                                 "session",
                                                 "os.",
                                                 "subprocess",
                                                 "application",
                                                 "popen",
                                                 "import",
                                                 "getattr",
                                                 "attr(",
                                                 "constructor",
                                                 "_templatereference",
                                                 "module",
                                                 "runtime",
                                                 "caller",
                                                 "context",
                                                 "freemarker",
                                                 "execute",
                                                 "class.forname"};

bool expression_inside(std::string_view body) {
  for (char c : body) {
    if (c == '(' || c == '*' || c == '+' || c == '[' || c == '|' || c == '%' || c == '~' ||
        c == '\'' || c == '"' || c == '<' || c == '>')
      return true;
  }
  return false;
}

}  // namespace

void detect_template_injection(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  // Every template syntax and every dunder needs one of these.
  if (!s.chars.any("{<$#*@") && t.find("__") == std::string_view::npos) {
    return;
  }
  size_t p;
  for (std::string_view d : kDunders) {
    if ((p = t.find(d)) != std::string_view::npos) {
      // Two dunders, or one reached through an attribute, is an object walk.
      bool chain = p > 0 && (t[p - 1] == '.' || t[p - 1] == '[' || t[p - 1] == '\'' ||
                             t[p - 1] == '"' || t[p - 1] == '(');
      size_t second = t.find("__", p + d.size());
      if (chain || second != std::string_view::npos) {
        out.push_back(Hit{AttackClass::kTemplateInjection, 9, kCertain, p, t.size(),
                          "python object traversal"});
        return;
      }
    }
  }
  struct Delim {
    std::string_view open, close, reason;
  };
  for (const Delim& d :
       {Delim{"{{", "}}", "template expression"}, Delim{"{%", "%}", "template statement"},
        Delim{"${", "}", "template expression"}, Delim{"<%", "%>", "template code block"},
        Delim{"#{", "}", "template expression"}, Delim{"*{", "}", "template expression"},
        Delim{"@(", ")", "template expression"}}) {
    p = t.find(d.open);
    if (p == std::string_view::npos) continue;
    size_t e = t.find(d.close, p + d.open.size());
    std::string_view body = t.substr(
        p + d.open.size(), (e == std::string_view::npos ? t.size() : e) - p - d.open.size());
    if (d.open == "${" && body.substr(0, 5) == "jndi:") continue;  // the JNDI detector's
    bool known = false;
    for (std::string_view o : kTemplateObjects) {
      size_t q = body.find(o);
      if (q != std::string_view::npos && (q == 0 || !is_word_char(body[q - 1]))) known = true;
    }
    bool expr = expression_inside(body);
    if (d.open == "{%") {
      size_t w = skip_spaces(body, 0);
      std::string_view kw = body.substr(w, 8);
      bool stmt = kw.substr(0, 6) == "import" || kw.substr(0, 3) == "for" ||
                  kw.substr(0, 3) == "set" || kw.substr(0, 7) == "include" ||
                  kw.substr(0, 7) == "extends" || kw.substr(0, 5) == "debug" ||
                  kw.substr(0, 4) == "load" || kw.substr(0, 2) == "if" ||
                  kw.substr(0, 5) == "macro" || kw.substr(0, 4) == "with";
      if (stmt && e != std::string_view::npos) {
        out.push_back(Hit{AttackClass::kTemplateInjection, 8, kCertain, p, e + 2, d.reason});
        return;
      }
      continue;
    }
    if (d.open == "<%" && e != std::string_view::npos) {
      // ERB, EJS, JSP, ASP and Mako code blocks holding a statement. An output tag printing a
      // name ("<%= title %>") is template text, like "{{ name }}"; with an expression inside,
      // the rules below judge it.
      size_t w = skip_spaces(body, 0);
      if (w < body.size() && (body[w] == '=' || body[w] == '-')) w = skip_spaces(body, w + 1);
      std::string_view kw = body.substr(w, 8);
      bool stmt = false;
      for (std::string_view k : {"if ", "for ", "end", "while ", "import ", "include", "page ",
                                 "def ", "set ", "unless ", "each", "eval", "exec", "system"}) {
        stmt = stmt || kw.substr(0, k.size()) == k;
      }
      if (stmt) {
        out.push_back(Hit{AttackClass::kTemplateInjection, 8, kCertain, p, e + 2, d.reason});
        return;
      }
    }
    if (e == std::string_view::npos && d.open != "{{") continue;
    if (known && (expr || body.find('.') != std::string_view::npos)) {
      out.push_back(Hit{AttackClass::kTemplateInjection, 9, kCertain, p, t.size(), d.reason});
      return;
    }
    // Arithmetic probes: {{7*7}}, ${7*7}, #{7*7}.
    bool digits_op = false;
    for (size_t i = 0; i + 2 < body.size(); ++i) {
      if (body[i] >= '0' && body[i] <= '9' && (body[i + 1] == '*' || body[i + 1] == '+') &&
          ((body[i + 2] >= '0' && body[i + 2] <= '9') || body[i + 2] == ' ')) {
        digits_op = true;
      }
    }
    if (digits_op) {
      out.push_back(
          Hit{AttackClass::kTemplateInjection, 8, kCertain, p, t.size(), "template probe"});
      return;
    }
    if (expr && (d.open == "{{" || d.open == "<%")) {
      out.push_back(Hit{AttackClass::kTemplateInjection, 6, kLikely, p, t.size(), d.reason});
      return;
    }
    if (d.open == "{{" && e != std::string_view::npos) {
      out.push_back(Hit{AttackClass::kTemplateInjection, 3, kSuspicious, p, e + 2, d.reason});
    }
  }
}

}  // namespace rampart::waf
