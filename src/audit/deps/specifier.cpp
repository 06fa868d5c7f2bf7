#include "audit/deps/specifier.h"

#include "common/strings.h"

namespace rampart::audit::deps {

namespace {

struct OpSpelling {
  std::string_view text;
  Specifier::Op op;
};
// Longest first, so that "===" is not read as "==".
constexpr OpSpelling kOps[] = {
    {"===", Specifier::Op::kArbitrary}, {"~=", Specifier::Op::kCompatible},
    {"==", Specifier::Op::kEqual},      {"!=", Specifier::Op::kNotEqual},
    {"<=", Specifier::Op::kLessEqual},  {">=", Specifier::Op::kGreaterEqual},
    {"<", Specifier::Op::kLess},        {">", Specifier::Op::kGreater},
};

std::string_view op_text(Specifier::Op op) {
  for (const auto& s : kOps) {
    if (s.op == op) return s.text;
  }
  return "";
}

std::string_view trim_ws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// True when the first `prefix.size()` release numbers of v (padded with zeros) equal prefix.
bool release_prefix_matches(const Version& v, const Version& prefix) {
  if (v.epoch() != prefix.epoch()) return false;
  const auto& r = v.release();
  const auto& p = prefix.release();
  for (size_t i = 0; i < p.size(); ++i) {
    uint64_t x = i < r.size() ? r[i] : 0;
    if (x != p[i]) return false;
  }
  return true;
}

}  // namespace

StatusOr<Specifier> Specifier::parse(std::string_view text) {
  std::string_view s = trim_ws(text);
  Specifier spec;
  bool found = false;
  for (const auto& o : kOps) {
    if (s.starts_with(o.text)) {
      spec.op_ = o.op;
      s.remove_prefix(o.text.size());
      found = true;
      break;
    }
  }
  if (!found) {
    return Status::error("version specifier " + quote_for_message(text) +
                         " does not start with an operator (~=, ==, !=, <, <=, >, >=, ===)");
  }
  s = trim_ws(s);
  if (s.empty())
    return Status::error("version specifier " + quote_for_message(text) + " has no version");
  if (spec.op_ == Op::kArbitrary) {
    spec.text_ = std::string(s);
    spec.version_ = Version::parse_lenient(s);
    return spec;
  }
  if (s.ends_with(".*")) {
    if (spec.op_ != Op::kEqual && spec.op_ != Op::kNotEqual) {
      return Status::error("version specifier " + quote_for_message(text) +
                           ": a '.*' wildcard is allowed only with == and !=");
    }
    spec.wildcard_ = true;
    s.remove_suffix(2);
  }
  auto v = Version::parse(s);
  if (!v) {
    return Status::error("version specifier " + quote_for_message(text) + ": " +
                         quote_for_message(s) + " is not a PEP 440 version");
  }
  if (spec.wildcard_ && (v->pre() || v->post() || v->dev() || !v->local().empty())) {
    return Status::error("version specifier " + quote_for_message(text) +
                         ": a '.*' wildcard follows release numbers only");
  }
  if (!v->local().empty() && spec.op_ != Op::kEqual && spec.op_ != Op::kNotEqual) {
    return Status::error("version specifier " + quote_for_message(text) +
                         ": a local version is allowed only with == and !=");
  }
  if (spec.op_ == Op::kCompatible && v->release().size() < 2) {
    return Status::error("version specifier " + quote_for_message(text) +
                         ": ~= needs at least two release numbers (such as ~=2.2)");
  }
  spec.text_ = std::string(s);
  spec.version_ = *v;
  return spec;
}

bool Specifier::contains(const Version& v) const {
  switch (op_) {
    case Op::kArbitrary:
      return iequals(v.to_string(), text_);
    case Op::kEqual:
    case Op::kNotEqual: {
      bool eq;
      if (wildcard_) {
        eq = !v.is_legacy() && release_prefix_matches(v, version_);
      } else if (version_.local().empty()) {
        eq = v.public_version() == version_;
      } else {
        eq = v == version_;
      }
      return op_ == Op::kEqual ? eq : !eq;
    }
    case Op::kCompatible: {
      // ~=V.N is >=V.N together with ==V.* (the release of V.N without its last number).
      if (v.is_legacy() || v.public_version() < version_ || v.epoch() != version_.epoch())
        return false;
      const auto& want = version_.release();
      const auto& have = v.release();
      for (size_t i = 0; i + 1 < want.size(); ++i) {
        if ((i < have.size() ? have[i] : 0) != want[i]) return false;
      }
      return true;
    }
    case Op::kLessEqual:
      return v.public_version() <= version_;
    case Op::kGreaterEqual:
      return v.public_version() >= version_;
    case Op::kLess:
      if (!(v < version_)) return false;
      // "<3" does not admit 3.0rc1 or 3.0.dev1 unless it names a pre-release itself.
      if (!version_.is_prerelease() && v.is_prerelease() &&
          v.base_version() == version_.base_version()) {
        return false;
      }
      return true;
    case Op::kGreater:
      if (!(v > version_)) return false;
      // ">3" does not admit 3.post1 unless it names a post-release, nor 3+local.
      if (!version_.is_postrelease() && v.is_postrelease() &&
          v.base_version() == version_.base_version()) {
        return false;
      }
      if (!v.local().empty() && v.base_version() == version_.base_version()) return false;
      return true;
  }
  return false;
}

std::string Specifier::to_string() const {
  return std::string(op_text(op_)) + text_ + (wildcard_ ? ".*" : "");
}

StatusOr<SpecifierSet> SpecifierSet::parse(std::string_view text) {
  SpecifierSet set;
  std::string_view s = trim_ws(text);
  if (s.empty()) return set;
  for (auto part : split(s, ',')) {
    part = trim_ws(part);
    if (part.empty())
      return Status::error("version specifier set " + quote_for_message(text) +
                           " has an empty entry");
    auto spec = Specifier::parse(part);
    if (!spec.ok()) return spec.status();
    set.specs_.push_back(*spec);
  }
  return set;
}

bool SpecifierSet::contains(const Version& v) const {
  for (const auto& s : specs_) {
    if (!s.contains(v)) return false;
  }
  return true;
}

std::optional<std::string> SpecifierSet::pinned_version() const {
  if (specs_.size() != 1) return std::nullopt;
  const auto& s = specs_[0];
  if (s.op() == Specifier::Op::kArbitrary) return s.version_text();
  if (s.op() == Specifier::Op::kEqual && !s.wildcard()) return s.version_text();
  return std::nullopt;
}

std::string SpecifierSet::to_string() const {
  std::string out;
  for (size_t i = 0; i < specs_.size(); ++i) {
    if (i) out += ",";
    out += specs_[i].to_string();
  }
  return out;
}

}  // namespace rampart::audit::deps
