#include "audit/deps/marker.h"

#include <sys/utsname.h>

#include <memory>
#include <optional>
#include <vector>

#include "audit/deps/name.h"
#include "audit/deps/specifier.h"
#include "common/strings.h"

namespace rampart::audit::deps {

namespace {

// Old spellings that packaging still accepts, mapped to their PEP 508 names.
constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
    {"os.name", "os_name"},
    {"sys.platform", "sys_platform"},
    {"platform.version", "platform_version"},
    {"platform.machine", "platform_machine"},
    {"platform.python_implementation", "platform_python_implementation"},
    {"python_implementation", "platform_python_implementation"},
};

constexpr std::string_view kVariables[] = {
    "python_version",      "python_full_version",    "os_name",
    "sys_platform",        "platform_release",       "platform_system",
    "platform_version",    "platform_machine",       "platform_python_implementation",
    "implementation_name", "implementation_version", "extra"};

struct Token {
  enum Kind { kWord, kString, kOp, kOpen, kClose, kEnd } kind;
  std::string text;
};

class Parser {
 public:
  Parser(std::string_view s, const MarkerEnvironment& env, std::string_view extra)
      : s_(s), env_(env), extra_(extra) {}

  StatusOr<bool> run() {
    if (auto st = next(); !st.ok()) return st;
    auto v = parse_or();
    if (!v.ok()) return v;
    if (tok_.kind != Token::kEnd) return fail("unexpected " + quote_for_message(tok_.text));
    return v;
  }

 private:
  Status fail(const std::string& what) const {
    return Status::error("marker " + quote_for_message(s_) + ": " + what);
  }

  Status next() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
    if (pos_ >= s_.size()) {
      tok_ = {Token::kEnd, "end"};
      return Status();
    }
    char c = s_[pos_];
    if (c == '(' || c == ')') {
      tok_ = {c == '(' ? Token::kOpen : Token::kClose, std::string(1, c)};
      ++pos_;
      return Status();
    }
    if (c == '\'' || c == '"') {
      size_t end = s_.find(c, pos_ + 1);
      if (end == std::string_view::npos) return fail("a quoted string is not closed");
      tok_ = {Token::kString, std::string(s_.substr(pos_ + 1, end - pos_ - 1))};
      pos_ = end + 1;
      return Status();
    }
    for (std::string_view op : {"===", "==", "!=", "~=", "<=", ">=", "<", ">"}) {
      if (s_.substr(pos_).starts_with(op)) {
        tok_ = {Token::kOp, std::string(op)};
        pos_ += op.size();
        return Status();
      }
    }
    size_t start = pos_;
    auto word_char = [](char ch) {
      return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
             ch == '_' || ch == '.';
    };
    while (pos_ < s_.size() && word_char(s_[pos_])) ++pos_;
    if (pos_ == start) return fail("unexpected character " + quote_for_message(s_.substr(pos_, 1)));
    tok_ = {Token::kWord, std::string(s_.substr(start, pos_ - start))};
    return Status();
  }

  StatusOr<bool> parse_or() {
    auto left = parse_and();
    if (!left.ok()) return left;
    bool v = *left;
    while (tok_.kind == Token::kWord && tok_.text == "or") {
      if (auto st = next(); !st.ok()) return st;
      auto right = parse_and();
      if (!right.ok()) return right;
      v = v || *right;
    }
    return v;
  }

  StatusOr<bool> parse_and() {
    auto left = parse_atom();
    if (!left.ok()) return left;
    bool v = *left;
    while (tok_.kind == Token::kWord && tok_.text == "and") {
      if (auto st = next(); !st.ok()) return st;
      auto right = parse_atom();
      if (!right.ok()) return right;
      v = v && *right;
    }
    return v;
  }

  StatusOr<bool> parse_atom() {
    if (++depth_ > 64) return fail("too deeply nested");
    struct Leave {
      int* d;
      ~Leave() { --*d; }
    } leave{&depth_};
    if (tok_.kind == Token::kOpen) {
      if (auto st = next(); !st.ok()) return st;
      auto v = parse_or();
      if (!v.ok()) return v;
      if (tok_.kind != Token::kClose) return fail("expected ')'");
      if (auto st = next(); !st.ok()) return st;
      return v;
    }
    auto lhs = operand();
    if (!lhs.ok()) return lhs.status();
    std::string op;
    if (tok_.kind == Token::kOp) {
      op = tok_.text;
    } else if (tok_.kind == Token::kWord && tok_.text == "in") {
      op = "in";
    } else if (tok_.kind == Token::kWord && tok_.text == "not") {
      if (auto st = next(); !st.ok()) return st;
      if (!(tok_.kind == Token::kWord && tok_.text == "in"))
        return fail("expected 'in' after 'not'");
      op = "not in";
    } else {
      return fail("expected a comparison operator, got " + quote_for_message(tok_.text));
    }
    if (auto st = next(); !st.ok()) return st;
    auto rhs = operand();
    if (!rhs.ok()) return rhs.status();
    bool extra_cmp =
        (lhs->second && lhs->first == "extra") || (rhs->second && rhs->first == "extra");
    std::string l = resolve(*lhs), r = resolve(*rhs);
    if (extra_cmp) {
      l = normalize_name(l);
      r = normalize_name(r);
    }
    return compare(l, op, r);
  }

  // An operand: (text, is_variable). Variables are resolved later.
  StatusOr<std::pair<std::string, bool>> operand() {
    if (tok_.kind == Token::kString) {
      std::string v = tok_.text;
      if (auto st = next(); !st.ok()) return st;
      return std::pair{v, false};
    }
    if (tok_.kind == Token::kWord) {
      std::string name = tok_.text;
      for (const auto& [alias, real] : kAliases) {
        if (name == alias) name = real;
      }
      bool known = false;
      for (auto v : kVariables) known = known || v == name;
      if (!known) return fail("unknown variable " + quote_for_message(tok_.text));
      if (auto st = next(); !st.ok()) return st;
      return std::pair{name, true};
    }
    return fail("expected a variable or a quoted value, got " + quote_for_message(tok_.text));
  }

  std::string resolve(const std::pair<std::string, bool>& operand) const {
    if (!operand.second) return operand.first;
    const std::string& name = operand.first;
    if (name == "extra") return std::string(extra_);
    return env_.get(name);
  }

  static bool compare(const std::string& l, const std::string& op, const std::string& r) {
    if (op == "in") return r.find(l) != std::string::npos;
    if (op == "not in") return r.find(l) == std::string::npos;
    if (auto spec = Specifier::parse(op + r); spec.ok()) {
      if (auto v = Version::parse(l)) return spec->contains(*v);
    }
    if (op == "==" || op == "===") return l == r;
    if (op == "!=") return l != r;
    if (op == "<") return l < r;
    if (op == "<=") return l <= r;
    if (op == ">") return l > r;
    if (op == ">=") return l >= r;
    return false;  // "~=" between strings that are not versions: nothing is compatible
  }

  std::string_view s_;
  const MarkerEnvironment& env_;
  std::string_view extra_;
  size_t pos_ = 0;
  int depth_ = 0;
  Token tok_{Token::kEnd, ""};
};

}  // namespace

MarkerEnvironment MarkerEnvironment::for_python(std::string_view python_version) {
  MarkerEnvironment env;
  std::string full(python_version);
  auto parts = split(full, '.');
  std::string short_version = full;
  if (parts.size() >= 2) short_version = std::string(parts[0]) + "." + std::string(parts[1]);
  if (parts.size() == 2) full += ".0";
  struct utsname u {};
  std::string machine = "x86_64", release, version;
  if (uname(&u) == 0) {
    machine = u.machine;
    release = u.release;
    version = u.version;
  }
  env.values = {{"python_version", short_version},
                {"python_full_version", full},
                {"os_name", "posix"},
                {"sys_platform", "linux"},
                {"platform_system", "Linux"},
                {"platform_machine", machine},
                {"platform_release", release},
                {"platform_version", version},
                {"platform_python_implementation", "CPython"},
                {"implementation_name", "cpython"},
                {"implementation_version", full}};
  return env;
}

MarkerEnvironment MarkerEnvironment::with_python_probe(std::function<std::string()> probe) {
  MarkerEnvironment env = for_python("");
  for (const char* k : {"python_version", "python_full_version", "implementation_version"})
    env.values.erase(k);
  env.lazy_ = std::make_shared<Lazy>();
  env.lazy_->probe = std::move(probe);
  return env;
}

std::string MarkerEnvironment::get(std::string_view name) const {
  auto it = values.find(name);
  if (it != values.end()) return it->second;
  if (lazy_) {
    if (!lazy_->resolved)
      lazy_->resolved = std::make_shared<const MarkerEnvironment>(for_python(lazy_->probe()));
    return lazy_->resolved->get(name);
  }
  return "";
}

StatusOr<bool> evaluate_marker(std::string_view marker, const MarkerEnvironment& env,
                               std::string_view extra) {
  return Parser(marker, env, extra).run();
}

}  // namespace rampart::audit::deps
