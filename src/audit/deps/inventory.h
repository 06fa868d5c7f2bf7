#pragma once
// What the readers find: the dependencies of a project, each with where it was written, and the
// entries that cannot be audited (URLs, local paths, VCS references) with the reason.

#include <string>
#include <vector>

namespace rampart::audit::deps {

struct Location {
  std::string file;  // as the user named it, or as found under the project folder
  int line = 0;      // 1-based; 0 when the format has no useful line
  int end_line = 0;  // last physical line of the entry (continuations), 0 when unknown
};

struct Dependency {
  std::string name;       // as written
  std::string key;        // PEP 503 normalized name
  std::string version;    // the exact version in use; "" when the entry is a range
  std::string specifier;  // the specifier set as written ("" for a lockfile pin)
  std::vector<std::string> extras;
  std::string marker;
  std::vector<std::string> hashes;  // "sha256:..." as written
  Location where;
  std::string source;  // "requirements", "constraints", "Pipfile.lock", "environment", ...
};

struct NotAuditable {
  std::string name;  // when one is known
  std::string text;  // the entry as written
  std::string reason;
  Location where;
};

struct Inventory {
  std::vector<Dependency> deps;
  std::vector<NotAuditable> not_auditable;
  std::vector<std::string> files;  // every file read, in order
};

}  // namespace rampart::audit::deps

namespace rampart::audit::deps {

// pip installs a constrained package at the version its constraint pins: a range from a
// requirements file whose package a constraints file pins (to a version the range admits) is
// dropped, and the pin is audited in its place. Returns how many ranges were dropped.
size_t apply_constraints(Inventory* inv);

// Entries read twice (a file included by two others, or found and also included) are kept once.
void remove_duplicates(Inventory* inv);

}  // namespace rampart::audit::deps
