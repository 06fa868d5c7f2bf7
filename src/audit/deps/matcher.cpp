#include "audit/deps/matcher.h"

#include <algorithm>
#include <map>

#include "audit/deps/specifier.h"

namespace rampart::audit::deps {

namespace {

struct SortedEvent {
  RangeEvent::Kind kind;
  Version version;
  bool zero;  // introduced "0": before every version
};

std::vector<SortedEvent> sorted_events(const std::vector<RangeEvent>& events, bool* legacy) {
  std::vector<SortedEvent> out;
  for (const auto& e : events) {
    bool zero = e.kind == RangeEvent::Kind::kIntroduced && e.version == "0";
    if (e.kind == RangeEvent::Kind::kLimit && e.version == "*") continue;  // no limit
    Version v = Version::parse_lenient(e.version);
    if (v.is_legacy() && legacy) *legacy = true;
    out.push_back({e.kind, std::move(v), zero});
  }
  std::stable_sort(out.begin(), out.end(), [](const SortedEvent& a, const SortedEvent& b) {
    if (a.zero != b.zero) return a.zero;
    if (a.zero) return false;
    return a.version < b.version;
  });
  return out;
}

bool range_affects(const std::vector<SortedEvent>& sorted, const Version& v) {
  bool affected = false;
  bool has_limit = false, below_a_limit = false;
  for (const auto& e : sorted) {
    switch (e.kind) {
      case RangeEvent::Kind::kIntroduced:
        if (e.zero || v >= e.version) affected = true;
        break;
      case RangeEvent::Kind::kFixed:
        if (v >= e.version) affected = false;
        break;
      case RangeEvent::Kind::kLastAffected:
        if (v > e.version) affected = false;
        break;
      case RangeEvent::Kind::kLimit:
        has_limit = true;
        if (v < e.version) below_a_limit = true;
        break;
    }
  }
  if (has_limit && !below_a_limit) return false;
  return affected;
}

// An affected entry with its versions parsed once: matching asks about many candidate versions
// (every fix of every advisory of the package), and the version lists run to hundreds.
struct CompiledPackage {
  std::vector<Version> versions;  // sorted
  bool versions_legacy = false;
  std::vector<std::vector<SortedEvent>> ranges;
  bool ranges_legacy = false;
};

CompiledPackage compile(const AffectedPackage& p) {
  CompiledPackage c;
  for (const auto& s : p.versions) {
    c.versions.push_back(Version::parse_lenient(s));
    c.versions_legacy = c.versions_legacy || c.versions.back().is_legacy();
  }
  std::sort(c.versions.begin(), c.versions.end());
  for (const auto& r : p.ranges) c.ranges.push_back(sorted_events(r, &c.ranges_legacy));
  return c;
}

bool compiled_affects(const CompiledPackage& c, const Version& v, bool* legacy) {
  if (v.is_legacy() && legacy) *legacy = true;
  auto it = std::lower_bound(c.versions.begin(), c.versions.end(), v);
  if (it != c.versions.end() && *it == v) {
    if (it->is_legacy() && legacy) *legacy = true;
    return true;
  }
  for (const auto& r : c.ranges) {
    if (range_affects(r, v)) {
      if (c.ranges_legacy && legacy) *legacy = true;
      return true;
    }
  }
  return false;
}

// An interval of versions, for the overlap of a requirement's range with an affected range.
struct Interval {
  std::optional<Version> lo;  // none: unbounded
  bool lo_incl = true;
  std::optional<Version> hi;
  bool hi_incl = false;

  bool empty() const {
    if (!lo || !hi) return false;
    if (*lo > *hi) return true;
    return *lo == *hi && !(lo_incl && hi_incl);
  }
  void raise_lo(const Version& v, bool incl) {
    if (!lo || v > *lo || (v == *lo && !incl)) {
      lo = v;
      lo_incl = incl;
    }
  }
  void lower_hi(const Version& v, bool incl) {
    if (!hi || v < *hi || (v == *hi && !incl)) {
      hi = v;
      hi_incl = incl;
    }
  }
  void intersect(const Interval& o) {
    if (o.lo) raise_lo(*o.lo, o.lo_incl);
    if (o.hi) lower_hi(*o.hi, o.hi_incl);
  }
  std::string to_string() const {
    if (lo && hi && *lo == *hi) return "==" + lo->to_string();
    std::string s;
    if (lo) s += (lo_incl ? ">=" : ">") + lo->to_string();
    if (hi) {
      // "<X.dev0" and "<X" admit the same versions under PEP 440 (an exclusive bound leaves out
      // X's pre-releases); the short form is the one people write.
      std::string h = hi->to_string();
      if (!hi_incl && hi->dev() == 0u && !hi->pre() && !hi->post() && hi->local().empty()) {
        h = hi->base_version().to_string();
      }
      s += (s.empty() ? "" : ",") + std::string(hi_incl ? "<=" : "<") + h;
    }
    return s.empty() ? "every version" : s;
  }
};

// The first version after every version that starts with `prefix` ("1.4" gives 1.5.dev0).
Version bump(const Version& v, size_t keep) {
  std::string s;
  if (v.epoch()) {
    s += std::to_string(v.epoch());
    s += '!';
  }
  const auto& r = v.release();
  for (size_t i = 0; i < keep && i < r.size(); ++i) {
    if (i) s += '.';
    s += std::to_string(i + 1 == keep ? r[i] + 1 : r[i]);
  }
  s += ".dev0";
  return *Version::parse(s);
}

Interval interval_of(const SpecifierSet& set) {
  Interval iv;
  for (const auto& s : set.specifiers()) {
    const Version& v = s.version();
    switch (s.op()) {
      case Specifier::Op::kGreaterEqual:
        iv.raise_lo(v, true);
        break;
      case Specifier::Op::kGreater:
        iv.raise_lo(v, false);
        break;
      case Specifier::Op::kLessEqual:
        iv.lower_hi(v, true);
        break;
      case Specifier::Op::kLess:
        iv.lower_hi(v, false);
        break;
      case Specifier::Op::kEqual:
        if (s.wildcard()) {
          iv.raise_lo(*Version::parse(v.to_string() + ".dev0"), true);
          iv.lower_hi(bump(v, v.release().size()), false);
        } else {
          iv.raise_lo(v, true);
          iv.lower_hi(v, true);
        }
        break;
      case Specifier::Op::kArbitrary:
        iv.raise_lo(v, true);
        iv.lower_hi(v, true);
        break;
      case Specifier::Op::kCompatible:
        iv.raise_lo(v, true);
        iv.lower_hi(bump(v, v.release().size() - 1), false);
        break;
      case Specifier::Op::kNotEqual:
        break;  // a hole in the range: the overlap is reported without it
    }
  }
  return iv;
}

// The affected intervals of one package entry.
std::vector<Interval> affected_intervals(const AffectedPackage& pkg, bool* legacy) {
  std::vector<Interval> out;
  for (const auto& range : pkg.ranges) {
    auto events = sorted_events(range, legacy);
    std::optional<Version> limit;
    for (const auto& e : events) {
      if (e.kind == RangeEvent::Kind::kLimit && (!limit || e.version > *limit)) limit = e.version;
    }
    std::optional<Interval> open;
    for (const auto& e : events) {
      if (e.kind == RangeEvent::Kind::kIntroduced && !open) {
        open = Interval{};
        if (!e.zero) open->lo = e.version;
      } else if ((e.kind == RangeEvent::Kind::kFixed ||
                  e.kind == RangeEvent::Kind::kLastAffected) &&
                 open) {
        open->hi = e.version;
        open->hi_incl = e.kind == RangeEvent::Kind::kLastAffected;
        out.push_back(*open);
        open.reset();
      }
    }
    if (open) {
      if (limit) open->lower_hi(*limit, false);
      out.push_back(*open);
    }
  }
  for (const auto& s : pkg.versions) {
    Version v = Version::parse_lenient(s);
    if (v.is_legacy() && legacy) *legacy = true;
    out.push_back(Interval{v, true, v, true});
  }
  return out;
}

// The compiled entries of one package's advisories, built on first use.
class CompiledCache {
 public:
  const CompiledPackage& get(const AffectedPackage& p) {
    auto it = cache_.find(&p);
    if (it == cache_.end()) it = cache_.emplace(&p, compile(p)).first;
    return it->second;
  }

 private:
  std::map<const AffectedPackage*, CompiledPackage> cache_;
};

bool advisory_affects(const Advisory& a, std::string_view key, const Version& v, bool* legacy,
                      CompiledCache& cache) {
  for (const auto& p : a.affected) {
    if (p.key == key && compiled_affects(cache.get(p), v, legacy)) return true;
  }
  return false;
}

std::vector<Version> fixed_versions(const Advisory& a, std::string_view key) {
  std::vector<Version> out;
  for (const auto& p : a.affected) {
    if (p.key != key) continue;
    for (const auto& r : p.ranges) {
      for (const auto& e : r) {
        if (e.kind == RangeEvent::Kind::kFixed) out.push_back(Version::parse_lenient(e.version));
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

void set_severity(const Advisory& a, Finding* f) {
  for (const auto& vec : a.cvss_v3) {
    if (auto score = cvss3_base_score(vec); score && (!f->score || *score > *f->score)) {
      f->score = score;
      f->cvss_vector = vec;
    }
  }
  if (f->score) {
    f->severity = severity_of_score(*f->score);
  } else {
    f->severity = severity_from_label(a.severity_label);
  }
}

}  // namespace

bool is_affected(const AffectedPackage& pkg, const Version& v, bool* legacy) {
  return compiled_affects(compile(pkg), v, legacy);
}

std::vector<Finding> match_dependency(const Dependency& dep,
                                      const std::vector<Advisory>& advisories) {
  std::vector<Finding> out;
  CompiledCache cache;
  // The smallest fixed version (above `floor`) that no advisory of the package affects.
  auto clearing_fix = [&](const Version& floor) -> std::string {
    std::vector<Version> all;
    for (const auto& a : advisories) {
      auto f = fixed_versions(a, dep.key);
      all.insert(all.end(), f.begin(), f.end());
    }
    std::sort(all.begin(), all.end());
    for (const auto& cand : all) {
      if (cand <= floor) continue;
      bool clean = true;
      for (const auto& a : advisories)
        clean = clean && !advisory_affects(a, dep.key, cand, nullptr, cache);
      if (clean) return cand.to_string();
    }
    return "";
  };

  if (!dep.version.empty()) {
    Version v = Version::parse_lenient(dep.version);
    std::string package_fix;
    bool package_fix_done = false;
    for (const auto& a : advisories) {
      bool legacy = false;
      if (!advisory_affects(a, dep.key, v, &legacy, cache)) continue;
      Finding f;
      f.dep = dep;
      f.id = a.id;
      f.aliases = a.aliases;
      f.summary = a.summary;
      f.references = a.references;
      f.legacy_comparison = legacy;
      set_severity(a, &f);
      for (const auto& cand : fixed_versions(a, dep.key)) {
        if (cand > v && !advisory_affects(a, dep.key, cand, nullptr, cache)) {
          f.fix_version = cand.to_string();
          bool clears = true;
          for (const auto& other : advisories) {
            clears = clears && !advisory_affects(other, dep.key, cand, nullptr, cache);
          }
          f.fix_clears_all = clears;
          break;
        }
      }
      if (!package_fix_done) {
        package_fix = clearing_fix(v);
        package_fix_done = true;
      }
      f.package_fix = package_fix;
      out.push_back(std::move(f));
    }
    return out;
  }

  // For a range: the smallest fixed version from which on no advisory affects any version, so
  // that raising the lower bound to it leaves nothing vulnerable in the range.
  auto clean_floor = [&]() -> std::string {
    std::vector<Version> all;
    std::vector<Interval> affected;
    for (const auto& a : advisories) {
      auto f = fixed_versions(a, dep.key);
      all.insert(all.end(), f.begin(), f.end());
      for (const auto& p : a.affected) {
        if (p.key != dep.key) continue;
        auto ivs = affected_intervals(p, nullptr);
        affected.insert(affected.end(), ivs.begin(), ivs.end());
      }
    }
    std::sort(all.begin(), all.end());
    for (const auto& cand : all) {
      bool clean = true;
      for (auto iv : affected) {
        iv.raise_lo(cand, true);
        clean = clean && iv.empty();
      }
      if (clean) return cand.to_string();
    }
    return "";
  };
  auto set = SpecifierSet::parse(dep.specifier);
  Interval wanted = set.ok() ? interval_of(*set) : Interval{};
  for (const auto& a : advisories) {
    bool legacy = false;
    std::vector<std::string> overlaps;
    for (const auto& p : a.affected) {
      if (p.key != dep.key) continue;
      for (auto iv : affected_intervals(p, &legacy)) {
        iv.intersect(wanted);
        if (iv.empty()) continue;
        // A point (a listed version) must also pass the != exclusions.
        if (iv.lo && iv.hi && *iv.lo == *iv.hi && set.ok() && !set->contains(*iv.lo)) continue;
        std::string text = iv.to_string();
        if (std::find(overlaps.begin(), overlaps.end(), text) == overlaps.end())
          overlaps.push_back(text);
      }
    }
    if (overlaps.empty()) continue;
    // Listed versions inside a range already reported add nothing; keep ranges first.
    std::stable_partition(overlaps.begin(), overlaps.end(),
                          [](const std::string& s) { return !s.starts_with("=="); });
    if (overlaps.size() > 1 && !overlaps[0].starts_with("==")) {
      overlaps.erase(std::remove_if(overlaps.begin(), overlaps.end(),
                                    [](const std::string& s) { return s.starts_with("=="); }),
                     overlaps.end());
    }
    Finding f;
    f.dep = dep;
    f.id = a.id;
    f.aliases = a.aliases;
    f.summary = a.summary;
    f.references = a.references;
    f.unpinned = true;
    f.legacy_comparison = legacy;
    for (size_t i = 0; i < overlaps.size(); ++i)
      f.vulnerable_range += (i ? " | " : "") + overlaps[i];
    set_severity(a, &f);
    f.package_fix = clean_floor();
    f.fix_version = f.package_fix;
    f.fix_clears_all = !f.package_fix.empty();
    out.push_back(std::move(f));
  }
  return out;
}

StatusOr<std::vector<Finding>> match_inventory(const Inventory& inv, const AdvisoryDatabase& db) {
  std::vector<Finding> out;
  std::map<std::string, std::vector<Advisory>> cache;
  for (const auto& dep : inv.deps) {
    auto it = cache.find(dep.key);
    if (it == cache.end()) {
      auto advisories = db.for_package(dep.key);
      if (!advisories.ok()) return advisories.status();
      it = cache.emplace(dep.key, std::move(*advisories)).first;
    }
    auto found = match_dependency(dep, it->second);
    out.insert(out.end(), std::make_move_iterator(found.begin()),
               std::make_move_iterator(found.end()));
  }
  return out;
}

}  // namespace rampart::audit::deps
