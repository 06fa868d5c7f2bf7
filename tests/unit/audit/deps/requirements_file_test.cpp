#include "audit/deps/requirements_file.h"

#include <gtest/gtest.h>

#include "corpus.h"

namespace rampart::audit::deps {
namespace {

using testing::fixture;

std::string describe(const Dependency& d) {
  std::string s = d.key + " " + (d.version.empty() ? "range:" + d.specifier : d.version) + " @" +
                  d.where.file.substr(d.where.file.rfind('/') + 1) + ":" +
                  std::to_string(d.where.line) + "-" + std::to_string(d.where.end_line) + " " +
                  d.source;
  for (const auto& h : d.hashes) s += " " + h;
  return s;
}

TEST(RequirementsFile, ReadsPinsIncludesHashesMarkersAndUnauditables) {
  Inventory inv;
  auto env = MarkerEnvironment::for_python("3.11");
  Status st = read_requirements_file(fixture("requirements/requirements.txt"), env, &inv);
  ASSERT_TRUE(st.ok()) << st.message();
  std::vector<std::string> got;
  for (const auto& d : inv.deps) got.push_back(describe(d));
  EXPECT_EQ(got, (std::vector<std::string>{
                     "pyyaml 5.3 @base.txt:1-1 requirements",
                     "urllib3 1.24.1 @base.txt:2-3 requirements",
                     "pillow 8.0.0 @constraints.txt:1-1 constraints",
                     "django 3.2.0 @requirements.txt:6-6 requirements",
                     "jinja2 2.10 @requirements.txt:7-9 requirements sha256:aaaa sha256:bbbb",
                     "requests range:>=2.19,<3 @requirements.txt:10-10 requirements",
                     "flask-sqlalchemy 2.1 @requirements.txt:13-13 requirements",
                 }));
  EXPECT_EQ(inv.deps[5].extras, (std::vector<std::string>{"security", "socks"}));
  std::vector<std::string> skipped;
  for (const auto& n : inv.not_auditable) {
    skipped.push_back(std::to_string(n.where.line) + " " + n.name + " " + n.reason);
  }
  EXPECT_EQ(skipped, (std::vector<std::string>{
                         "14 project an editable install: its version is not known",
                         "15 other a VCS reference: its version is not known",
                         "16  a local path: its version is not known",
                         "17  a URL: its version is not known",
                         "18 thing2 a direct URL reference: its version is not known",
                     }));
  EXPECT_EQ(inv.files.size(), 3u);
  // On Python 3.7 the importlib-metadata backport applies.
  Inventory old;
  ASSERT_TRUE(read_requirements_file(fixture("requirements/requirements.txt"),
                                     MarkerEnvironment::for_python("3.7"), &old)
                  .ok());
  EXPECT_EQ(old.deps.size(), 8u);
  EXPECT_EQ(old.deps[6].key, "importlib-metadata");
}

TEST(RequirementsFile, ErrorsNameFileAndLine) {
  Inventory inv;
  auto env = MarkerEnvironment::for_python("3.11");
  std::string bad = fixture("requirements/bad.txt");
  EXPECT_EQ(read_requirements_file(bad, env, &inv).message(),
            bad +
                ":2: 'this is not a requirement' is not a requirement (expected a project name "
                "such as 'requests>=2.31')");
  EXPECT_EQ(read_requirements_text("-r missing.txt\n", "/tmp/x/req.txt", env, &inv).message(),
            "/tmp/x/req.txt:1: included file /tmp/x/missing.txt does not exist");
  EXPECT_EQ(read_requirements_text("\n--frobnicate\n", "r.txt", env, &inv).message(),
            "r.txt:2: unknown option '--frobnicate'");
  EXPECT_EQ(
      read_requirements_text("a==1 ; python_version <<< '3'\n", "r.txt", env, &inv).message(),
      "r.txt:1: marker 'python_version <<< '3'': expected a variable or a quoted value, got '<'");
  EXPECT_EQ(read_requirements_text("a==1.0x\n", "r.txt", env, &inv).message(),
            "r.txt:1: version specifier '==1.0x': '1.0x' is not a PEP 440 version");
  EXPECT_EQ(read_requirements_file("/nonexistent/req.txt", env, &inv).message(),
            "/nonexistent/req.txt: no such file");
}

TEST(RequirementsFile, ConstraintPinsReplaceRanges) {
  Inventory inv;
  auto env = MarkerEnvironment::for_python("3.11");
  ASSERT_TRUE(read_requirements_text("pillow==8.0.0\n", "c.txt", env, &inv, true).ok());
  ASSERT_TRUE(
      read_requirements_text("Pillow>=7\nrequests>=2\nurllib3<1\n", "r.txt", env, &inv).ok());
  EXPECT_EQ(apply_constraints(&inv), 1u);
  std::vector<std::string> got;
  for (const auto& d : inv.deps) got.push_back(describe(d));
  EXPECT_EQ(got, (std::vector<std::string>{"pillow 8.0.0 @c.txt:1-1 constraints",
                                           "requests range:>=2 @r.txt:2-2 requirements",
                                           "urllib3 range:<1 @r.txt:3-3 requirements"}));
}

TEST(RequirementsFile, IncludeCycleEnds) {
  // A file that includes itself is read once.
  char tmpl[] = "/tmp/rampart-req-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string path = std::string(tmpl) + "/r.txt";
  FILE* f = fopen(path.c_str(), "w");
  fputs("-r r.txt\nsix==1.0\n", f);
  fclose(f);
  Inventory inv;
  ASSERT_TRUE(read_requirements_file(path, MarkerEnvironment::for_python("3.11"), &inv).ok());
  EXPECT_EQ(inv.deps.size(), 1u);
  std::remove(path.c_str());
  rmdir(tmpl);
}

}  // namespace
}  // namespace rampart::audit::deps
