#include "audit/deps/lockfiles.h"

#include <gtest/gtest.h>

#include "corpus.h"

namespace rampart::audit::deps {
namespace {

using testing::fixture;

std::vector<std::string> describe(const Inventory& inv) {
  std::vector<std::string> out;
  for (const auto& d : inv.deps) {
    out.push_back(d.key + " " + (d.version.empty() ? "range:" + d.specifier : d.version) + " :" +
                  std::to_string(d.where.line) + " " + d.source);
  }
  for (const auto& n : inv.not_auditable) {
    out.push_back("skip " + n.name + " :" + std::to_string(n.where.line) + " " + n.reason);
  }
  return out;
}

std::vector<std::string> read(const std::string& rel) {
  Inventory inv;
  Status st = read_dependency_file(fixture(rel), MarkerEnvironment::for_python("3.11"), &inv);
  EXPECT_TRUE(st.ok()) << st.message();
  return describe(inv);
}

using V = std::vector<std::string>;

TEST(Lockfiles, PipfileLock) {
  EXPECT_EQ(read("lockfiles/Pipfile.lock"),
            (V{"django 3.2.0 :9 Pipfile.lock", "demo-pkg 2.0.1 :24 Pipfile.lock",
               "skip mylib :18 a VCS reference: its version is not known"}));
}

TEST(Lockfiles, PoetryLock) {
  EXPECT_EQ(read("lockfiles/poetry.lock"),
            (V{"demo-pkg 1.1.0 :4 poetry.lock",
               "skip mylib :13 a VCS reference: its version is not the published one"}));
}

TEST(Lockfiles, UvLock) {
  EXPECT_EQ(read("lockfiles/uv.lock"),
            (V{"demo-pkg 2.0.1 :5 uv.lock", "other-pkg 3.2 :19 uv.lock",
               "skip myapp :10 the project itself (editable): not from an index"}));
}

TEST(Lockfiles, Pylock) {
  EXPECT_EQ(read("lockfiles/pylock.toml"),
            (V{"demo-pkg 0.9 :6 pylock.toml",
               "skip mylib :15 a VCS reference: its version is not the published one"}));
}

TEST(Lockfiles, PyprojectRangesExtrasAndGroups) {
  EXPECT_EQ(read("lockfiles/pyproject.toml"),
            (V{"demo-pkg range:>=1.0,<3 :9 pyproject.toml", "listed-pkg 1.0 :10 pyproject.toml",
               "other-pkg range:~=3.0 :17 pyproject.toml [test]",
               "legacy-pkg 0.7.10p2 :22 pyproject.toml",
               "skip mylib :12 a direct URL reference: its version is not known"}));
  Inventory old;
  ASSERT_TRUE(read_dependency_file(fixture("lockfiles/pyproject.toml"),
                                   MarkerEnvironment::for_python("3.10"), &old)
                  .ok());
  EXPECT_EQ(old.deps[2].key, "tomli");
}

TEST(Lockfiles, InstalledEnvironment) {
  Inventory inv;
  ASSERT_TRUE(read_environment(fixture("venv"), &inv).ok());
  ASSERT_EQ(inv.deps.size(), 2u);
  EXPECT_EQ(inv.deps[0].key, "django");
  EXPECT_EQ(inv.deps[0].version, "3.2.0");
  EXPECT_EQ(inv.deps[0].where.line, 3);
  EXPECT_EQ(inv.deps[1].key, "demo-pkg");
  EXPECT_EQ(read_environment(fixture("lockfiles"), &inv).message(),
            fixture("lockfiles") + ": no installed distributions found (no *.dist-info/METADATA)");
}

TEST(Lockfiles, MalformedFilesNameFileAndLine) {
  auto env = MarkerEnvironment::for_python("3.11");
  Inventory inv;
  std::string poetry = fixture("lockfiles/bad/poetry.lock");
  std::string msg = read_dependency_file(poetry, env, &inv).message();
  EXPECT_TRUE(msg.starts_with(poetry + ":3: not valid TOML: ")) << msg;
  std::string pipfile = fixture("lockfiles/bad/Pipfile.lock");
  EXPECT_EQ(read_dependency_file(pipfile, env, &inv).message(),
            pipfile + ":1: default.django must be an object");
  std::string pyproject = fixture("lockfiles/bad/pyproject.toml");
  EXPECT_EQ(read_dependency_file(pyproject, env, &inv).message(),
            pyproject + ":2: version specifier set '>=3.2,' has an empty entry");
  // Found by fuzz_lockfiles: a number too large for a double.
  EXPECT_EQ(read_pipfile_lock("{\"default\": 8888E888888}", "Pipfile.lock", env, &inv).message(),
            "Pipfile.lock: not valid JSON: [json.exception.out_of_range.406] number overflow "
            "parsing '8888E888888'");
  EXPECT_EQ(read_uv_lock("package = 3\n", "uv.lock", env, &inv).message(),
            "uv.lock:1: 'package' must be an array of tables");
  EXPECT_EQ(read_pylock("[[packages]]\nname='a'\n", "pylock.toml", env, &inv).message(),
            "pylock.toml: not a pylock.toml (no 'lock-version')");
}

TEST(Lockfiles, DiscoveryOrder) {
  auto files = discover_dependency_files(fixture("lockfiles"));
  V names;
  for (const auto& f : files) names.push_back(f.substr(f.rfind('/') + 1));
  EXPECT_EQ(names, (V{"Pipfile.lock", "poetry.lock", "uv.lock", "pylock.toml", "pyproject.toml"}));
  auto req = discover_dependency_files(fixture("requirements"));
  names.clear();
  for (const auto& f : req) names.push_back(f.substr(f.rfind('/') + 1));
  EXPECT_EQ(names, (V{"requirements.txt", "constraints.txt"}));
}

}  // namespace
}  // namespace rampart::audit::deps
