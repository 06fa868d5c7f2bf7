#include "audit/deps/version.h"

#include <algorithm>
#include <tuple>

#include "common/strings.h"

namespace rampart::audit::deps {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z'); }
bool is_sep(char c) { return c == '-' || c == '_' || c == '.'; }
// Whitespace at either end is allowed, as in packaging (Python's str.isspace: ASCII and the
// Unicode spaces, in UTF-8).
size_t space_len_at(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f)) return 1;
  auto at = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
  if (c == 0xc2 && (at(1) == 0x85 || at(1) == 0xa0)) return 2;
  if (c == 0xe1 && at(1) == 0x9a && at(2) == 0x80) return 3;
  if (c == 0xe2 && at(1) == 0x80 &&
      ((at(2) >= 0x80 && at(2) <= 0x8a) || at(2) == 0xa8 || at(2) == 0xa9 || at(2) == 0xaf)) {
    return 3;
  }
  if (c == 0xe2 && at(1) == 0x81 && at(2) == 0x9f) return 3;
  if (c == 0xe3 && at(1) == 0x80 && at(2) == 0x80) return 3;
  return 0;
}

std::string_view trim_space(std::string_view s) {
  while (!s.empty()) {
    size_t n = space_len_at(s, 0);
    if (n == 0) break;
    s.remove_prefix(n);
  }
  for (bool trimmed = true; trimmed && !s.empty();) {
    trimmed = false;
    for (size_t n = 1; n <= 3 && n <= s.size(); ++n) {
      if (space_len_at(s, s.size() - n) == n) {
        s.remove_suffix(n);
        trimmed = true;
        break;
      }
    }
  }
  return s;
}

// A scanner over the lowercased text. Each optional part of the PEP 440 grammar either consumes
// its whole match or nothing, which gives the same result as the backtracking regex.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool done() const { return pos_ >= s_.size(); }
  char peek(size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
  size_t pos() const { return pos_; }
  void reset(size_t p) { pos_ = p; }
  void advance(size_t n) { pos_ += n; }
  bool literal(std::string_view word) {
    if (s_.substr(pos_).starts_with(word)) {
      pos_ += word.size();
      return true;
    }
    return false;
  }
  // Digits as a number; false (consuming nothing) when there are none or they overflow.
  bool number(uint64_t* out) {
    size_t p = pos_;
    uint64_t v = 0;
    while (p < s_.size() && is_digit(s_[p])) {
      uint64_t d = uint64_t(s_[p] - '0');
      if (v > (UINT64_MAX - d) / 10) return false;
      v = v * 10 + d;
      ++p;
    }
    if (p == pos_) return false;
    pos_ = p;
    *out = v;
    return true;
  }
  // An optional separator followed by digits; consumes nothing when no digits follow.
  std::optional<uint64_t> sep_number() {
    size_t start = pos_;
    if (is_sep(peek())) ++pos_;
    uint64_t v;
    if (number(&v)) return v;
    pos_ = start;
    return std::nullopt;
  }
  // An optional separator followed by one of `labels` (tried in order).
  std::optional<std::string_view> sep_label(std::initializer_list<std::string_view> labels) {
    size_t start = pos_;
    if (is_sep(peek())) ++pos_;
    for (auto l : labels) {
      if (literal(l)) return l;
    }
    pos_ = start;
    return std::nullopt;
  }
  std::string_view rest() const { return s_.substr(std::min(pos_, s_.size())); }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

int compare_release(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    uint64_t x = i < a.size() ? a[i] : 0;
    uint64_t y = i < b.size() ? b[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

// Natural order: runs of digits compare as numbers, everything else byte by byte.
int compare_natural(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      size_t i2 = i, j2 = j;
      while (i2 < a.size() && a[i2] == '0') ++i2;
      while (j2 < b.size() && b[j2] == '0') ++j2;
      size_t ie = i2, je = j2;
      while (ie < a.size() && is_digit(a[ie])) ++ie;
      while (je < b.size() && is_digit(b[je])) ++je;
      if (ie - i2 != je - j2) return (ie - i2) < (je - j2) ? -1 : 1;
      int c = a.substr(i2, ie - i2).compare(b.substr(j2, je - j2));
      if (c != 0) return c < 0 ? -1 : 1;
      i = ie;
      j = je;
      continue;
    }
    if (a[i] != b[j])
      return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]) ? -1 : 1;
    ++i;
    ++j;
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

template <typename T>
std::strong_ordering cmp(const T& a, const T& b) {
  return a <=> b;
}

}  // namespace

std::optional<Version> Version::parse(std::string_view text) {
  std::string lowered = to_lower(trim_space(text));
  Scanner sc(lowered);
  Version v;
  if (sc.peek() == 'v') sc.advance(1);
  uint64_t n;
  if (!sc.number(&n)) return std::nullopt;
  if (sc.peek() == '!') {
    sc.advance(1);
    v.epoch_ = n;
    if (!sc.number(&n)) return std::nullopt;
  }
  v.release_.push_back(n);
  while (sc.peek() == '.' && is_digit(sc.peek(1))) {
    sc.advance(1);
    if (!sc.number(&n)) return std::nullopt;
    v.release_.push_back(n);
  }
  if (auto l = sc.sep_label({"alpha", "a", "beta", "b", "preview", "pre", "c", "rc"})) {
    PreKind kind = PreKind::kRc;
    if (*l == "alpha" || *l == "a") kind = PreKind::kAlpha;
    if (*l == "beta" || *l == "b") kind = PreKind::kBeta;
    v.pre_ = Pre{kind, sc.sep_number().value_or(0)};
  }
  if (sc.peek() == '-' && is_digit(sc.peek(1))) {
    sc.advance(1);
    if (!sc.number(&n)) return std::nullopt;
    v.post_ = n;
  } else if (sc.sep_label({"post", "rev", "r"})) {
    v.post_ = sc.sep_number().value_or(0);
  }
  if (sc.sep_label({"dev"})) v.dev_ = sc.sep_number().value_or(0);
  if (sc.peek() == '+') {
    sc.advance(1);
    std::string_view rest = sc.rest();
    if (rest.empty() || !is_alnum(rest.front()) || !is_alnum(rest.back())) return std::nullopt;
    size_t start = 0;
    for (size_t i = 0; i <= rest.size(); ++i) {
      if (i < rest.size() && is_alnum(rest[i])) continue;
      if (i < rest.size() && !is_sep(rest[i])) return std::nullopt;
      std::string_view part = rest.substr(start, i - start);
      if (part.empty()) return std::nullopt;
      if (std::all_of(part.begin(), part.end(), is_digit)) {
        Scanner ps(part);
        uint64_t pn;
        if (!ps.number(&pn)) return std::nullopt;
        v.local_.emplace_back(pn);
      } else {
        v.local_.emplace_back(std::string(part));
      }
      start = i + 1;
    }
    sc.advance(rest.size());
  }
  if (!sc.done()) return std::nullopt;
  return v;
}

Version Version::parse_lenient(std::string_view text) {
  if (auto v = parse(text)) return *v;
  Version v;
  v.legacy_ = true;
  v.original_ = std::string(trim_space(text));
  std::string lowered = to_lower(v.original_);
  Scanner sc(lowered);
  if (sc.peek() == 'v' && is_digit(sc.peek(1))) sc.advance(1);
  uint64_t n;
  if (sc.number(&n)) {
    v.release_.push_back(n);
    while (sc.peek() == '.' && is_digit(sc.peek(1))) {
      size_t at = sc.pos();
      sc.advance(1);
      if (!sc.number(&n)) {
        sc.reset(at);
        break;
      }
      v.release_.push_back(n);
    }
  }
  v.legacy_text_ = std::string(sc.rest());
  return v;
}

Version Version::public_version() const {
  Version v = *this;
  v.local_.clear();
  return v;
}

Version Version::base_version() const {
  Version v;
  v.epoch_ = epoch_;
  v.release_ = release_;
  v.legacy_ = legacy_;
  if (legacy_) v.original_ = original_;
  return v;
}

std::string Version::to_string() const {
  if (legacy_) return original_;
  std::string out;
  if (epoch_ != 0) out += std::to_string(epoch_) + "!";
  for (size_t i = 0; i < release_.size(); ++i) {
    if (i) out += '.';
    out += std::to_string(release_[i]);
  }
  if (pre_) {
    static constexpr const char* kLabels[] = {"a", "b", "rc"};
    out += kLabels[static_cast<int>(pre_->kind)];
    out += std::to_string(pre_->number);
  }
  if (post_) out += ".post" + std::to_string(*post_);
  if (dev_) out += ".dev" + std::to_string(*dev_);
  if (!local_.empty()) {
    out += '+';
    for (size_t i = 0; i < local_.size(); ++i) {
      if (i) out += '.';
      if (auto* num = std::get_if<uint64_t>(&local_[i])) {
        out += std::to_string(*num);
      } else {
        out += std::get<std::string>(local_[i]);
      }
    }
  }
  return out;
}

std::strong_ordering operator<=>(const Version& a, const Version& b) {
  // Legacy versions without a leading number sort before everything else.
  bool a_bare = a.legacy_ && a.release_.empty();
  bool b_bare = b.legacy_ && b.release_.empty();
  if (a_bare != b_bare) return a_bare ? std::strong_ordering::less : std::strong_ordering::greater;
  if (auto c = cmp(a.epoch_, b.epoch_); c != 0) return c;
  if (int c = compare_release(a.release_, b.release_); c != 0) {
    return c < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
  }
  if (a.legacy_ || b.legacy_) {
    if (a.legacy_ != b.legacy_)
      return a.legacy_ ? std::strong_ordering::greater : std::strong_ordering::less;
    int c = compare_natural(to_lower(a.legacy_text_), to_lower(b.legacy_text_));
    if (c != 0) return c < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
    return std::strong_ordering::equal;
  }
  // Pre-release key: a dev release of a final (1.0.dev0) sorts before its pre-releases.
  auto pre_key = [](const Version& v) -> std::tuple<int, int, uint64_t> {
    if (!v.pre_ && !v.post_ && v.dev_) return {0, 0, 0};
    if (!v.pre_) return {2, 0, 0};
    return {1, static_cast<int>(v.pre_->kind), v.pre_->number};
  };
  if (auto c = cmp(pre_key(a), pre_key(b)); c != 0) return c;
  if (auto c = cmp(a.post_, b.post_); c != 0) return c;  // no post sorts first
  if (a.dev_.has_value() != b.dev_.has_value()) {
    return a.dev_ ? std::strong_ordering::less : std::strong_ordering::greater;
  }
  if (a.dev_) {
    if (auto c = cmp(*a.dev_, *b.dev_); c != 0) return c;
  }
  // Local: none first; segment by segment, a string before a number; a prefix first.
  size_t n = std::min(a.local_.size(), b.local_.size());
  for (size_t i = 0; i < n; ++i) {
    const auto& x = a.local_[i];
    const auto& y = b.local_[i];
    if (x.index() != y.index()) {
      return x.index() == 1 ? std::strong_ordering::less : std::strong_ordering::greater;
    }
    if (auto c = cmp(x, y); c != 0) return c;
  }
  return cmp(a.local_.size(), b.local_.size());
}

}  // namespace rampart::audit::deps
