// Cross-site scripting: tags read by the HTML tokenizer (dangerous elements, event-handler
// attributes, script URLs in any attribute, CSS expressions), then the contexts a value can land
// in without a tag: an attribute it breaks out of ("\" onfocus=..."), a javascript: URL, or a
// script string it closes ("';alert(1)//"). The rules that read the value as JavaScript tokens
// are in xss_script.cpp.

#include <algorithm>
#include <string>

#include "waf/detect/detector.h"
#include "waf/detect/html_tokenizer.h"
#include "waf/detect/xss_rules.h"

namespace rampart::waf {
namespace {

using xss::has_sink;
using xss::in_list;
using xss::script_tokens;
using xss::string_breakout_assignment;

// Elements that run script or load active content by themselves.
constexpr std::string_view kScriptTags[] = {
    "script",  "iframe",   "frame",  "frameset", "object",    "embed",    "applet",  "base",
    "xml",     "import",   "svg",    "math",     "meta",      "link",     "style",   "isindex",
    "xss",     "layer",    "ilayer", "bgsound",  "portal",    "template", "animate", "set",
    "handler", "listener", "xmp",    "noscript", "plaintext", "vmlframe", "x"};

// Elements that end a context an injected value may sit in.
constexpr std::string_view kBreakoutClosers[] = {"script",   "title",  "textarea", "style",
                                                 "noscript", "iframe", "xmp",      "noembed"};

// Elements that take input or submit it: injected with attributes, they phish or redirect.
constexpr std::string_view kFormTags[] = {"form",   "input",  "button", "textarea",
                                          "select", "keygen", "dialog", "isindex"};

// Elements an evasion spells with separators between the letters ("<f o r m", "< x: script").
constexpr std::string_view kSpelledTags[] = {
    "script",  "form",     "dialog",   "iframe", "frame",     "frameset", "object",   "embed",
    "applet",  "svg",      "math",     "style",  "link",      "meta",     "base",     "img",
    "image",   "input",    "button",   "video",  "audio",     "body",     "marquee",  "isindex",
    "details", "template", "textarea", "select", "keygen",    "import",   "vmlframe", "animate",
    "handler", "listener", "portal",   "xmp",    "plaintext", "noscript", "bgsound",  "layer"};

// DOM event names (after "on"): a value that starts with one and '=' is the start of a handler
// even where no tag or quote is in sight.
constexpr std::string_view kEventNames[] = {"abort",
                                            "activate",
                                            "afterprint",
                                            "animationend",
                                            "animationiteration",
                                            "animationstart",
                                            "auxclick",
                                            "beforecopy",
                                            "beforecut",
                                            "beforeinput",
                                            "beforeprint",
                                            "beforeunload",
                                            "beforetoggle",
                                            "begin",
                                            "blur",
                                            "bounce",
                                            "canplay",
                                            "canplaythrough",
                                            "change",
                                            "click",
                                            "close",
                                            "contextmenu",
                                            "copy",
                                            "cuechange",
                                            "cut",
                                            "dblclick",
                                            "drag",
                                            "dragend",
                                            "dragenter",
                                            "dragleave",
                                            "dragover",
                                            "dragstart",
                                            "drop",
                                            "durationchange",
                                            "end",
                                            "ended",
                                            "error",
                                            "focus",
                                            "focusin",
                                            "focusout",
                                            "formdata",
                                            "fullscreenchange",
                                            "hashchange",
                                            "input",
                                            "invalid",
                                            "keydown",
                                            "keypress",
                                            "keyup",
                                            "load",
                                            "loadeddata",
                                            "loadedmetadata",
                                            "loadstart",
                                            "message",
                                            "mousedown",
                                            "mouseenter",
                                            "mouseleave",
                                            "mousemove",
                                            "mouseout",
                                            "mouseover",
                                            "mouseup",
                                            "mousewheel",
                                            "pagehide",
                                            "pageshow",
                                            "paste",
                                            "pause",
                                            "play",
                                            "playing",
                                            "pointerdown",
                                            "pointerenter",
                                            "pointerleave",
                                            "pointermove",
                                            "pointerout",
                                            "pointerover",
                                            "pointerup",
                                            "popstate",
                                            "progress",
                                            "readystatechange",
                                            "repeat",
                                            "reset",
                                            "resize",
                                            "scroll",
                                            "scrollend",
                                            "search",
                                            "seeked",
                                            "seeking",
                                            "select",
                                            "selectstart",
                                            "show",
                                            "start",
                                            "submit",
                                            "suspend",
                                            "timeupdate",
                                            "toggle",
                                            "touchend",
                                            "touchmove",
                                            "touchstart",
                                            "transitionend",
                                            "transitionrun",
                                            "transitionstart",
                                            "unload",
                                            "volumechange",
                                            "waiting",
                                            "webkitanimationend",
                                            "webkittransitionend",
                                            "wheel",
                                            "zoom"};

constexpr std::string_view kScriptSchemes[] = {"javascript:",          "vbscript:",
                                               "livescript:",          "mocha:",
                                               "data:text/html",       "data:image/svg",
                                               "data:application/",    "data:text/xml",
                                               "data:text/javascript", "jar:"};

// Functions and objects an XSS proof or payload reaches for.
constexpr std::string_view kJsSinks[] = {
    "alert(",
    "alert`",
    "prompt(",
    "prompt`",
    "confirm(",
    "confirm`",
    "eval(",
    "settimeout(",
    "setinterval(",
    "function(",
    "document.cookie",
    "document.domain",
    "document.body",
    "document.queryselector",
    "document.getelementby",
    "document.createelement",
    "document.write",
    "document.location",
    "window.location",
    "location.href",
    "fromcharcode",
    "innerhtml",
    "outerhtml",
    "atob(",
    "import(",
    ".constructor(",
    "top[",
    "self[",
    "window[",
    "this[",
    "parent[",
    "frames[",
    "globalthis[",
    "fetch(",
    "xmlhttprequest",
    "navigator.sendbeacon",
    "print(",
    "open(",
    "onerror=",
    "throw ",
};

// Attribute values and URLs: browsers ignore control characters and whitespace inside the
// scheme ("java\tscript:"), so they are removed before comparing.
std::string compact_scheme(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (static_cast<unsigned char>(c) <= 0x20) continue;
    out.push_back(c);
    if (out.size() >= 40) break;
  }
  return out;
}

bool script_scheme(std::string_view v) {
  std::string c = compact_scheme(v);
  for (std::string_view s : kScriptSchemes) {
    if (c.compare(0, s.size(), s) == 0) return true;
  }
  return false;
}

bool event_attribute(std::string_view name) {
  if (name.size() < 5 || name.substr(0, 2) != "on") return false;
  for (char c : name.substr(2)) {
    if (!(c >= 'a' && c <= 'z') && c != '-' && c != '_') return false;
  }
  return true;
}

// JavaScript as the engine reads it for property access: comments and whitespace dropped,
// obj["name"] and obj['name'] written obj.name, so that `document /*x*/ . cookie` and
// `window["alert"](1)` meet the sink list.
std::string js_normalize(std::string_view t) {
  std::string out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '/' && i + 1 < t.size() && t[i + 1] == '*') {
      size_t e = t.find("*/", i + 2);
      if (e == std::string_view::npos) break;
      i = e + 1;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c == '[' && i + 1 < t.size() && (t[i + 1] == '"' || t[i + 1] == '\'')) {
      char q = t[i + 1];
      size_t e = t.find(q, i + 2);
      if (e != std::string_view::npos && e + 1 < t.size() && t[e + 1] == ']') {
        std::string_view name = t.substr(i + 2, e - i - 2);
        bool ident = !name.empty();
        for (char ch : name) ident = ident && (is_word_char(ch) || ch == '$');
        if (ident) {
          out.push_back('.');
          out.append(name);
          i = e + 1;
          continue;
        }
      }
    }
    out.push_back(c);
  }
  return out;
}

// Browsers drop tabs and newlines anywhere in a URL; lenient decoders also let their entity
// spellings through ("ja&tab;vascript:"). Returns the length of such junk at t[i], or 0.
size_t scheme_junk(std::string_view t, size_t i) {
  if (i >= t.size()) return 0;
  if (t[i] == '\t' || t[i] == '\n' || t[i] == '\r') return 1;
  if (t[i] != '&') return 0;
  for (std::string_view e : {std::string_view("&tab;"), std::string_view("&newline;")}) {
    if (t.compare(i, e.size(), e) == 0) return e.size();
  }
  return 0;
}

// `word` and a colon at t[p], with scheme junk allowed between the letters: the offset after
// the colon, or npos. *junk says whether any was skipped inside the word. With `soft`, spaces and
// other control characters are skipped too (old IE ignored them; "javasc ript:" must then be
// followed by code to count, which the caller checks).
size_t match_scheme(std::string_view t, size_t p, std::string_view word, bool* junk,
                    bool soft = false) {
  size_t i = p;
  *junk = false;
  for (size_t k = 0; k <= word.size(); ++k) {
    if (k > 0) {
      for (size_t j = scheme_junk(t, i); j > 0; j = scheme_junk(t, i)) {
        i += j;
        *junk = true;
      }
      while (soft && i < t.size() && static_cast<unsigned char>(t[i]) <= 0x20) ++i;
    }
    char want = k < word.size() ? word[k] : ':';
    if (i >= t.size() || t[i] != want) return std::string_view::npos;
    ++i;
  }
  return i;
}

// What follows "javascript:" reads as code: a call, an assignment, an escape, an index, markup,
// or a member access ("a.b" without a space, unlike a sentence's full stop).
bool code_like(std::string_view rest) {
  size_t at;
  if (has_sink(rest, &at) || find_any(rest, "(`=\\[<") != std::string_view::npos) return true;
  for (size_t i = rest.find('.'); i != std::string_view::npos; i = rest.find('.', i + 1)) {
    if (i > 0 && i + 1 < rest.size() && is_word_char(rest[i - 1]) && is_word_char(rest[i + 1]))
      return true;
  }
  return false;
}

// "<f o r m", "<d/i/a/l/o/g", "< x: script": a tag name spelled one letter at a time with
// separators between, or after a namespace prefix (with or without spaces), which filters that
// look for "<form" or "<script" miss and lenient parsers (old IE, XML) still read as the element.
void spelled_tags(std::string_view t, Hits& out) {
  auto letter = [&](size_t i) { return i < t.size() && t[i] >= 'a' && t[i] <= 'z'; };
  for (size_t lt = t.find('<'); lt != std::string_view::npos; lt = t.find('<', lt + 1)) {
    size_t i = lt + 1;
    while (i < t.size() && (t[i] == ' ' || t[i] == '/' || t[i] == '\t' || t[i] == '?')) ++i;
    // Namespace form: prefix ':' name.
    size_t w = i;
    while (letter(i)) ++i;
    size_t c = i;
    while (c < t.size() && (t[c] == ' ' || t[c] == '\t')) ++c;
    if (i > w && c < t.size() && t[c] == ':') {
      size_t n = c + 1;
      while (n < t.size() && (t[n] == ' ' || t[n] == '\t')) ++n;
      size_t ne = n;
      while (letter(ne)) ++ne;
      if (ne > n && in_list(kSpelledTags, t.substr(n, ne - n))) {
        out.push_back(Hit{AttackClass::kXss, 7, kCertain, lt, ne, "namespaced tag"});
        return;
      }
      continue;
    }
    // Letter-by-letter form: single letters with one to three separators between them.
    std::string joined;
    i = w;
    while (letter(i) && !letter(i + 1) && joined.size() < 12) {
      joined.push_back(t[i]);
      size_t next = i + 1;
      while (next < t.size() && next - i <= 3 && !letter(next) && t[next] != '<' && t[next] != '>')
        ++next;
      bool last = !letter(next) || letter(next + 1);
      if (joined.size() >= 3 && in_list(kSpelledTags, joined)) {
        out.push_back(Hit{AttackClass::kXss, 7, kCertain, lt, i + 1, "spelled-out tag"});
        return;
      }
      if (last) break;
      i = next;
    }
  }
}

// "-->" that ends an HTML comment an injected value sits in, and server-side include
// directives ("<!--#exec cmd=...-->").
void comment_rules(std::string_view t, Hits& out) {
  size_t ssi = t.find("<!--#");
  if (ssi != std::string_view::npos) {
    std::string_view d = t.substr(ssi + 5, 9);
    for (std::string_view w :
         {"exec", "include", "echo", "set", "config", "fsize", "flastmod", "printenv"}) {
      if (d.substr(0, w.size()) == w) {
        out.push_back(Hit{AttackClass::kXss, 8, kCertain, ssi, ssi + kMaxFragment,
                          "server-side include directive"});
        return;
      }
    }
  }
  for (size_t c = t.find("-->"); c != std::string_view::npos; c = t.find("-->", c + 3)) {
    // Prose arrows ("a --> b") have words on both sides; a breakout is the whole value, follows
    // a quote, or is followed by markup.
    size_t b = c;
    while (b > 0 && t[b - 1] == '-') --b;
    bool alone = skip_spaces(t, 0) == b && skip_spaces(t, c + 3) == t.size();
    bool after_quote = b > 0 && (t[b - 1] == '"' || t[b - 1] == '\'' || t[b - 1] == '`');
    size_t n = skip_spaces(t, c + 3);
    bool markup = n < t.size() && t[n] == '<';
    if (alone || after_quote || markup) {
      out.push_back(Hit{AttackClass::kXss, alone ? 6 : 7, kLikely, b, c + 3 + kMaxFragment,
                        "comment breakout"});
      return;
    }
  }
}

// A value that starts with a DOM event handler and '=' ("onload=", " onerror= "), or that
// leaves a quoted attribute for formaction or srcdoc ("'formaction=").
void handler_start(std::string_view t, Hits& out) {
  size_t p = skip_spaces(t, 0);
  if (t.compare(p, 2, "on") == 0) {
    size_t e = p + 2;
    while (e < t.size() && t[e] >= 'a' && t[e] <= 'z') ++e;
    size_t eq = skip_spaces(t, e);
    if (eq < t.size() && t[eq] == '=' && in_list(kEventNames, t.substr(p + 2, e - p - 2))) {
      out.push_back(Hit{AttackClass::kXss, 7, kLikely, p, eq + kMaxFragment, "event handler"});
      return;
    }
  }
  for (std::string_view a : {std::string_view("formaction"), std::string_view("srcdoc")}) {
    for (size_t f = t.find(a); f != std::string_view::npos; f = t.find(a, f + 1)) {
      size_t b = f;
      while (b > 0 && (t[b - 1] == ' ' || t[b - 1] == '/' || t[b - 1] == '\t')) --b;
      size_t eq = skip_spaces(t, f + a.size());
      if (b > 0 && (t[b - 1] == '"' || t[b - 1] == '\'' || t[b - 1] == '`') && eq < t.size() &&
          t[eq] == '=') {
        out.push_back(
            Hit{AttackClass::kXss, 7, kLikely, b - 1, eq + kMaxFragment, "attribute breakout"});
        return;
      }
    }
  }
}

void tag_rules(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  for (const HtmlTag& tag : html_tags(t)) {
    size_t to = std::min(tag.to, tag.from + kMaxFragment);
    if (tag.closing) {
      if (in_list(kBreakoutClosers, tag.name)) {
        out.push_back(Hit{AttackClass::kXss, 7, kCertain, tag.from, to, "closing tag breakout"});
      }
      continue;
    }
    // Namespaced names ("svg:svg", "xsl:stylesheet") act as their namespace's elements; junk
    // glued to a name ("<noscript#") does not change the element a lenient parser sees.
    std::string_view name = tag.name;
    size_t alpha = 0;
    while (alpha < name.size() &&
           ((name[alpha] >= 'a' && name[alpha] <= 'z') ||
            (name[alpha] >= '0' && name[alpha] <= '9') || name[alpha] == ':'))
      ++alpha;
    name = name.substr(0, alpha);
    if (!name.empty() && name[0] == ':') name.remove_prefix(1);
    // IE's <import implementation="..."> with the attribute glued to the name.
    if (name.substr(0, 6) == "import" &&
        t.find("implementation", tag.from) != std::string_view::npos) {
      name = "import";
    }
    size_t colon = name.find(':');
    if (colon != std::string_view::npos && colon > 0) {
      std::string_view ns = name.substr(0, colon);
      if (ns == "svg" || ns == "xsl" || ns == "xml" || ns == "html" || ns == "math" || ns == "t" ||
          ns == "v") {
        name = ns == "xsl" || ns == "t" || ns == "v" ? std::string_view("xml") : ns;
      }
    }
    bool script_tag = in_list(kScriptTags, name);
    if ((name == "svg" || name == "math") && tag.attrs.empty()) {
      // A bare <svg> or <math> runs nothing (an SVG upload starts so); its script children and
      // handlers are reported as tags of their own.
      out.push_back(Hit{AttackClass::kXss, 3, kSuspicious, tag.from, to, "html tag"});
      continue;
    }
    if (!tag.attrs.empty() && in_list(kFormTags, name)) {
      // Injected form controls capture what a user types (credential phishing) or submit
      // elsewhere, with no script at all.
      out.push_back(Hit{AttackClass::kXss, 6, kLikely, tag.from, to, "form element injection"});
    }
    if (script_tag &&
        (name == "script" || name == "iframe" || name == "object" || name == "embed" ||
         name == "applet" || name == "frameset" || name == "frame" || name == "svg" ||
         name == "base" || name == "import" || name == "xml" || name == "meta" ||
         name == "isindex" || name == "math" || name == "style")) {
      out.push_back(Hit{AttackClass::kXss, 9, kCertain, tag.from, to, "script-capable tag"});
    } else if (script_tag) {
      out.push_back(Hit{AttackClass::kXss, 6, kLikely, tag.from, to, "active content tag"});
    }
    for (const HtmlAttr& a : tag.attrs) {
      if (event_attribute(a.name)) {
        out.push_back(Hit{AttackClass::kXss, 9, kCertain, tag.from, to, "event handler attribute"});
      } else if (a.has_value && script_scheme(a.value)) {
        out.push_back(Hit{AttackClass::kXss, 9, kCertain, tag.from, to, "script URL in attribute"});
      } else if (a.name == "style" && (a.value.find("expression") != std::string_view::npos ||
                                       a.value.find("javascript") != std::string_view::npos ||
                                       a.value.find("binding") != std::string_view::npos ||
                                       a.value.find("behavio") != std::string_view::npos)) {
        out.push_back(Hit{AttackClass::kXss, 8, kCertain, tag.from, to, "script in style"});
      } else if (a.name == "style" && find_any(a.value, "\\{}[(") != std::string_view::npos) {
        // CSS that loads resources or escapes out of the declaration: injected styling.
        out.push_back(Hit{AttackClass::kXss, 7, kCertain, tag.from, to, "css injection"});
      } else if (a.name == "srcdoc" || a.name == "formaction" || a.name == "xlink:href" ||
                 a.name == "datasrc" || a.name == "dataformatas") {
        out.push_back(Hit{AttackClass::kXss, 7, kCertain, tag.from, to, "active attribute"});
      } else if (a.name == "xsi:schemalocation" ||
                 ((a.name == "xmlns" || a.name.substr(0, 6) == "xmlns:") &&
                  (a.value.find("w3.org/1999/xhtml") != std::string_view::npos ||
                   a.value.find("w3.org/2000/svg") != std::string_view::npos ||
                   a.value.find("x-schema:") != std::string_view::npos ||
                   a.value.find("xsl/transform") != std::string_view::npos))) {
        // Namespaces turn a fragment into XML/SVG/XSLT the browser may fetch and run.
        out.push_back(Hit{AttackClass::kXss, 6, kLikely, tag.from, to, "namespace attribute"});
      } else if (a.name.find("on") != std::string_view::npos && a.has_value) {
        // "src=x/onerror=alert(1)": a handler hidden inside an unquoted value or name.
        std::string_view whole =
            t.substr(a.from, (a.value.data() + a.value.size()) - (t.data() + a.from));
        size_t p = whole.find("on", 1);
        while (p != std::string_view::npos) {
          size_t e = p + 2;
          while (e < whole.size() && whole[e] >= 'a' && whole[e] <= 'z') ++e;
          if (e - p >= 5 && e < whole.size() && whole[e] == '=' && !is_word_char(whole[p - 1])) {
            out.push_back(
                Hit{AttackClass::kXss, 8, kCertain, tag.from, to, "event handler attribute"});
            break;
          }
          p = whole.find("on", p + 1);
        }
      }
    }
    if (tag.attrs.empty() && !script_tag && tag.to > tag.from) {
      out.push_back(Hit{AttackClass::kXss, 3, kSuspicious, tag.from, to, "html tag"});
    }
  }
}

// A value that closes an attribute and opens a handler: `" onmouseover="alert(1)`.
// Bounded: at most kMaxCandidates handler-like words are examined, each with a window of the
// text after it, and the first verdict ends the search (a value full of "onxxx=(" stays linear).
void attribute_breakout(const Scan& s, Hits& out) {
  constexpr int kMaxCandidates = 64;
  constexpr size_t kWindow = 256;
  std::string_view t = s.lower;
  size_t p = t.find("on");
  for (int candidates = 0; p != std::string_view::npos; p = t.find("on", p + 2)) {
    size_t e = p + 2;
    while (e < t.size() && t[e] >= 'a' && t[e] <= 'z') ++e;
    size_t eq = skip_spaces(t, e);
    // Handler names run from "onblur" to some 45 letters; longer words are not handlers.
    if (e - p < 6 || e - p > 48 || eq >= t.size() || t[eq] != '=' ||
        (p > 0 && is_word_char(t[p - 1]))) {
      continue;
    }
    if (++candidates > kMaxCandidates) return;
    // Preceded (after spaces) by a quote or '/': an attribute context was left.
    size_t b = p;
    while (b > 0 && (t[b - 1] == ' ' || t[b - 1] == '\t' || t[b - 1] == '\n' || t[b - 1] == '\r' ||
                     t[b - 1] == '\f' || t[b - 1] == '/'))
      --b;
    bool quote = b > 0 && (t[b - 1] == '"' || t[b - 1] == '\'' || t[b - 1] == '`');
    std::string_view val = t.substr(eq + 1, kWindow);
    size_t at;
    bool code = has_sink(val, &at) || val.find('(') != std::string_view::npos ||
                val.find('`') != std::string_view::npos;
    if (quote && code) {
      out.push_back(Hit{AttackClass::kXss, 9, kCertain, b - 1, b - 1 + kMaxFragment,
                        "attribute breakout to event handler"});
    } else if (s.is_name && (b < p || p == 0)) {
      // An argument *named* "onload=": reflected into markup, it is a handler.
      out.push_back(Hit{AttackClass::kXss, 6, kLikely, p, t.size(), "event handler in name"});
    } else if (quote && eq + 1 >= t.size()) {
      // `"onzoom=`: the start of a handler after leaving an attribute value.
      out.push_back(Hit{AttackClass::kXss, 6, kLikely, b - 1, t.size(), "attribute breakout"});
    } else if (p == 0 && eq + 1 < t.size() && (t[eq + 1] == '\'' || t[eq + 1] == '"')) {
      out.push_back(Hit{AttackClass::kXss, 7, kLikely, p, p + kMaxFragment, "event handler"});
    } else if (code && (b < p || p == 0)) {
      out.push_back(Hit{AttackClass::kXss, 7, kLikely, p, p + kMaxFragment, "event handler"});
    } else {
      continue;
    }
    return;
  }
}

void url_and_script_rules(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  for (std::string_view scheme : {std::string_view("javascript"), std::string_view("vbscript"),
                                  std::string_view("livescript")}) {
    for (size_t p = t.find(scheme[0]); p != std::string_view::npos; p = t.find(scheme[0], p + 1)) {
      bool junk = false;
      size_t end = match_scheme(t, p, scheme, &junk, true);
      if (end == std::string_view::npos) continue;
      bool hard = false;
      if (junk && match_scheme(t, p, scheme, &hard) != std::string_view::npos && hard) {
        // Tabs, newlines or their entity spellings inside the scheme: browsers drop them, and
        // nothing but an evasion writes them there.
        out.push_back(
            Hit{AttackClass::kXss, 8, kCertain, p, p + kMaxFragment, "obfuscated script URL"});
        return;
      }
      std::string_view rest = t.substr(end);
      if (code_like(rest)) {
        bool starts = p == 0 || t[p - 1] == '"' || t[p - 1] == '\'' || t[p - 1] == '=' ||
                      t[p - 1] == ' ' || t[p - 1] == '(' ||
                      static_cast<unsigned char>(t[p - 1]) < 0x20;
        out.push_back(
            Hit{AttackClass::kXss, starts ? 9 : 8, kCertain, p, p + kMaxFragment, "script URL"});
        return;
      }
      // The whole value one script URL ("javascript:\u0061lert", "javascript:x"): whatever
      // follows the colon is script source where the value becomes a link. A space ends the
      // case ("JavaScript: the good parts" is a title).
      if (p == skip_spaces(t, 0) && !rest.empty() && rest[0] != ' ' && rest[0] != '\t' &&
          t.find(' ', end) == std::string_view::npos) {
        out.push_back(Hit{AttackClass::kXss, 7, kLikely, p, p + kMaxFragment, "script URL"});
        return;
      }
    }
  }
  // CSS url() naming a script scheme: "x:url(javascript:...)", even cut short before the colon.
  for (size_t u = t.find("url("); u != std::string_view::npos; u = t.find("url(", u + 4)) {
    size_t q = u + 4;
    while (q < t.size() && (t[q] == ' ' || t[q] == '"' || t[q] == '\'' || t[q] == '\t')) ++q;
    for (std::string_view scheme : {std::string_view("javascript"), std::string_view("vbscript")}) {
      bool junk = false;
      bool cut_short = t.compare(q, scheme.size(), scheme) == 0 &&
                       (q + scheme.size() == t.size() || !is_word_char(t[q + scheme.size()]));
      if (cut_short || match_scheme(t, q, scheme, &junk) != std::string_view::npos) {
        out.push_back(
            Hit{AttackClass::kXss, 8, kCertain, u, u + kMaxFragment, "script URL in css"});
        return;
      }
    }
  }
  size_t d = t.find("data:");
  if (d != std::string_view::npos && script_scheme(t.substr(d)) &&
      (d == 0 || !is_word_char(t[d - 1]))) {
    out.push_back(Hit{AttackClass::kXss, 8, kCertain, d, d + kMaxFragment, "data URL with markup"});
  }
  // Breaking out of a script string: a quote, then an operator or ';', then a sink call.
  size_t at;
  std::string js;
  if (t.find("/*") != std::string_view::npos || t.find('[') != std::string_view::npos ||
      t.find(" .") != std::string_view::npos || t.find(". ") != std::string_view::npos) {
    js = js_normalize(t);
    size_t jat;
    if (js != t && has_sink(js, &jat) &&
        (js.find("document.cookie") != std::string::npos ||
         js.find(".alert(") != std::string::npos || js.find(".eval(") != std::string::npos ||
         js.find(".prompt(") != std::string::npos || js.find(".confirm(") != std::string::npos ||
         js.find("document.domain") != std::string::npos)) {
      out.push_back(
          Hit{AttackClass::kXss, 8, kCertain, 0, kMaxFragment, "obfuscated script access"});
      return;
    }
  }
  if (has_sink(t, &at)) {
    size_t b = at;
    while (b > 0 && (t[b - 1] == ' ' || t[b - 1] == '\t' || t[b - 1] == '(' || t[b - 1] == '[' ||
                     t[b - 1] == '!' || t[b - 1] == '{'))
      --b;
    bool op = b > 0 && (t[b - 1] == ';' || t[b - 1] == '+' || t[b - 1] == '-' || t[b - 1] == '*' ||
                        t[b - 1] == '|' || t[b - 1] == '&' || t[b - 1] == ',' || t[b - 1] == '=' ||
                        t[b - 1] == '}' || t[b - 1] == ':' || t[b - 1] == '?' || t[b - 1] == '/' ||
                        t[b - 1] == '>');
    // Backticks are Markdown's code spans far more often than template strings to leave.
    bool quote_before = find_any(t.substr(0, at), "'\"") != std::string_view::npos;
    if (op && quote_before) {
      out.push_back(Hit{AttackClass::kXss, 8, kCertain, 0, at + 20, "script string breakout"});
    } else if (t.compare(at, 9, "document.") == 0 || t.compare(at, 15, "window.location") == 0) {
      // A URL path naming them is documentation ("/manual/document.cookie"), not script.
      if (s.part == Part::kPath) return;
      out.push_back(Hit{AttackClass::kXss, 6, kLikely, at, at + 40, "script object access"});
    } else if (t.compare(at, 5, "alert") == 0 || t.compare(at, 6, "prompt") == 0 ||
               t.compare(at, 7, "confirm") == 0 || t.compare(at, 5, "eval(") == 0 ||
               t.compare(at, 15, "document.cookie") == 0 ||
               t.compare(at, 12, "fromcharcode") == 0) {
      out.push_back(Hit{AttackClass::kXss, 6, kLikely, at, at + 40, "script call"});
    }
  }
  size_t ex = t.find("expression");
  if (ex != std::string_view::npos && ex + 10 < t.size() &&
      (t[ex + 10] == '(' || t[ex + 10] == '\\') && ex > 0 &&
      t.substr(0, ex).find(':') != std::string_view::npos) {
    out.push_back(Hit{AttackClass::kXss, 7, kCertain, ex, ex + 40, "css expression"});
  }
  if (t.find("-moz-binding") != std::string_view::npos ||
      t.find("behavior:url(") != std::string_view::npos) {
    out.push_back(Hit{AttackClass::kXss, 7, kCertain, 0, 60, "css binding"});
  }
}

}  // namespace

namespace xss {

bool has_sink(std::string_view s, size_t* at) {
  for (std::string_view k : kJsSinks) {
    size_t p = s.find(k);
    if (p != std::string_view::npos && (p == 0 || !is_word_char(s[p - 1]) || k[0] == '.')) {
      *at = p;
      return true;
    }
  }
  return false;
}

}  // namespace xss

void detect_xss(const Scan& s, Hits& out) {
  std::string_view t = s.lower;
  bool lt = t.find('<') != std::string_view::npos;
  // UTF-7 markup ("+ADw-script+AD4-"), which old browsers decode when a page has no charset.
  size_t u7 = t.find("+adw-");
  if (u7 != std::string_view::npos) {
    out.push_back(Hit{AttackClass::kXss, 8, kCertain, u7, u7 + kMaxFragment, "utf-7 markup"});
    return;
  }
  // Legacy IE processing instructions that import behaviours: <?import ...>, <?xml:namespace>;
  // and stylesheets that an XML document pulls from elsewhere (a relative href is the site's own).
  for (std::string_view pi : {std::string_view("<?import"), std::string_view("<?xml:namespace"),
                              std::string_view("<?xml-stylesheet")}) {
    size_t p = t.find(pi);
    if (p == std::string_view::npos) continue;
    if (pi == "<?xml-stylesheet") {
      std::string_view body = t.substr(p, t.find("?>", p) - p);
      if (body.find("//") == std::string_view::npos &&
          body.find("script") == std::string_view::npos &&
          body.find("data:") == std::string_view::npos)
        continue;
    }
    out.push_back(Hit{AttackClass::kXss, 8, kCertain, p, p + kMaxFragment, "behaviour import"});
    return;
  }
  bool colon = t.find(':') != std::string_view::npos;
  bool paren = s.chars.any("(`=");
  if (lt) {
    tag_rules(s, out);
    spelled_tags(t, out);
  }
  if (paren) attribute_breakout(s, out);
  if (s.chars.has('=')) {
    handler_start(t, out);
    if (s.chars.any("\"'`")) string_breakout_assignment(t, out);
  }
  if (s.chars.has('>') && t.find("--") != std::string_view::npos) comment_rules(t, out);
  // The token rules need a call, an index or an import, and one of the names they look for:
  // the prefilter's script markers, or a global that prose also uses ("top", "this", ...).
  bool named =
      s.sigs->has(SigGroup::kScriptMarker) ||
      (s.chars.has('[') &&
       (t.find("top") != std::string_view::npos || t.find("this") != std::string_view::npos ||
        t.find("parent") != std::string_view::npos || t.find("content") != std::string_view::npos));
  if (named && (s.chars.any("([") || t.find("import") != std::string_view::npos)) {
    script_tokens(s, out);
  }
  bool access = s.chars.has('[') || t.find("/*") != std::string_view::npos || s.chars.has('.');
  if ((colon || paren || access) && s.sigs->has(SigGroup::kScriptMarker)) {
    url_and_script_rules(s, out);
  }
  // A tagged template call through call/apply ("[].sort.call`${alert}1`"): calling a function
  // without parentheses is JavaScript only, and only evasion needs it.
  if (s.chars.has('`')) {
    for (std::string_view m : {std::string_view("call"), std::string_view("apply")}) {
      for (size_t p = t.find(m); p != std::string_view::npos; p = t.find(m, p + 1)) {
        // ".call`", ". call `", "./**/call`": the member, then the template.
        size_t b = p;
        while (b > 0 && (t[b - 1] == ' ' || t[b - 1] == '\t')) --b;
        while (b > 3 && t.compare(b - 2, 2, "*/") == 0) {
          size_t open = t.rfind("/*", b - 2);
          if (open == std::string_view::npos) break;
          b = open;
          while (b > 0 && (t[b - 1] == ' ' || t[b - 1] == '\t')) --b;
        }
        if (b == 0 || t[b - 1] != '.') continue;
        size_t q = skip_spaces(t, p + m.size());
        if (q < t.size() && t[q] == '`') {
          out.push_back(
              Hit{AttackClass::kXss, 8, kCertain, p, p + kMaxFragment, "tagged template call"});
          return;
        }
      }
    }
  }
  // JSFuck: JavaScript written with []()!+ only.
  if (t.size() >= 4 && s.chars.has('[') && s.chars.has('!')) {
    // Spaces do not count either way: a form's '+' arrives as a space. Four characters suffice
    // ("!![]" is true); Markdown's "![](url)" fails the proportion.
    size_t js_chars = 0, spaces = 0;
    for (char c : t) {
      js_chars += (c == '[' || c == ']' || c == '(' || c == ')' || c == '!' || c == '+');
      spaces += (c == ' ');
    }
    if (js_chars >= 4 && js_chars * 10 >= (t.size() - spaces) * 9) {
      out.push_back(Hit{AttackClass::kXss, 8, kCertain, 0, t.size(), "jsfuck"});
    }
  }
}

}  // namespace rampart::waf
