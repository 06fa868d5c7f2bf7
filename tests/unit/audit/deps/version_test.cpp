#include "audit/deps/version.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "corpus.h"

namespace rampart::audit::deps {
namespace {

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

TEST(Pep440Corpus, EveryPairOfOrderedVersionsCompares) {
  std::string dir = testing::corpus_dir("pep440");
  if (dir.empty()) GTEST_SKIP() << "shared corpus ../shared/corpora/pep440 is absent";
  auto lines = read_lines(dir + "/ordered.txt");
  std::vector<Version> versions;
  for (const auto& l : lines) {
    if (l.empty()) continue;
    auto v = Version::parse(l);
    ASSERT_TRUE(v.has_value()) << l;
    versions.push_back(*v);
  }
  ASSERT_EQ(versions.size(), 92u);
  for (size_t i = 0; i < versions.size(); ++i) {
    for (size_t j = 0; j < versions.size(); ++j) {
      auto expected = i <=> j;
      EXPECT_EQ(versions[i] <=> versions[j], expected)
          << versions[i].to_string() << " vs " << versions[j].to_string();
    }
  }
}

// normalized.tsv holds "input TAB output" records; a few inputs hold a tab or a newline
// themselves (whitespace vectors), so a record ends at the first newline after which the text
// since the last tab is a whole normalized version (ASCII, no spaces).
std::vector<std::pair<std::string, std::string>> read_records(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::pair<std::string, std::string>> out;
  std::string pending;
  size_t start = 0;
  while (start < all.size()) {
    size_t nl = all.find('\n', start);
    if (nl == std::string::npos) nl = all.size();
    pending += all.substr(start, nl - start);
    start = nl + 1;
    size_t tab = pending.rfind('\t');
    std::string output = tab == std::string::npos ? "" : pending.substr(tab + 1);
    bool whole = !output.empty();
    for (unsigned char c : output) whole = whole && c > ' ' && c < 0x7f;
    if (whole) {
      out.emplace_back(pending.substr(0, tab), output);
      pending.clear();
    } else {
      pending += '\n';
    }
  }
  return out;
}

TEST(Pep440Corpus, EveryNormalization) {
  std::string dir = testing::corpus_dir("pep440");
  if (dir.empty()) GTEST_SKIP() << "shared corpus ../shared/corpora/pep440 is absent";
  auto records = read_records(dir + "/normalized.tsv");
  for (const auto& [in, want] : records) {
    auto v = Version::parse(in);
    ASSERT_TRUE(v.has_value()) << in;
    EXPECT_EQ(v->to_string(), want) << in;
  }
  EXPECT_EQ(records.size(), 102u);
}

TEST(Pep440Corpus, EveryInvalidStringIsRejectedAndStillComparable) {
  std::string dir = testing::corpus_dir("pep440");
  if (dir.empty()) GTEST_SKIP() << "shared corpus ../shared/corpora/pep440 is absent";
  int n = 0;
  for (const auto& l : read_lines(dir + "/invalid.txt")) {
    if (l.empty()) continue;
    EXPECT_FALSE(Version::parse(l).has_value()) << l;
    Version legacy = Version::parse_lenient(l);
    EXPECT_TRUE(legacy.is_legacy()) << l;
    (void)(legacy <=> *Version::parse("1.0"));
    ++n;
  }
  EXPECT_GT(n, 10);
}

struct NormCase {
  const char* in;
  const char* out;
};

TEST(Version, NormalizesOwnVectors) {
  const NormCase cases[] = {
      {"1.0", "1.0"},
      {"v1.0", "1.0"},
      {" 1.0\n", "1.0"},
      {"1!2.0", "1!2.0"},
      {"0!2.0", "2.0"},
      {"1.0-RC1", "1.0rc1"},
      {"1.0.c2", "1.0rc2"},
      {"1.0pre", "1.0rc0"},
      {"1.0preview3", "1.0rc3"},
      {"1.0alpha_1", "1.0a1"},
      {"1.0BETA", "1.0b0"},
      {"1.0-1", "1.0.post1"},
      {"1.0rev", "1.0.post0"},
      {"1.0.r4", "1.0.post4"},
      {"1.0a1-post2.dev3", "1.0a1.post2.dev3"},
      {"1.0_dev", "1.0.dev0"},
      {"1.0+Ubuntu-1_2", "1.0+ubuntu.1.2"},
      {"1.0+007", "1.0+7"},
      {"01.002.0003", "1.2.3"},
  };
  for (const auto& c : cases) {
    auto v = Version::parse(c.in);
    ASSERT_TRUE(v.has_value()) << c.in;
    EXPECT_EQ(v->to_string(), c.out) << c.in;
  }
}

TEST(Version, RejectsOwnInvalidVectors) {
  for (const char* s : {"", "v", "1.", "1.0+", "1.0+a..b", "1.0a1a", "1.0 .dev", "1!", "!1", "1.0-",
                        "1.0.post-", "99999999999999999999999", "1.0+_x", "1.0\xc3\xa9"}) {
    EXPECT_FALSE(Version::parse(s).has_value()) << s;
  }
}

TEST(Version, OrdersOwnVectors) {
  const char* ascending[] = {
      "1.0.dev1",  "1.0a1.dev1", "1.0a1",     "1.0a1.post1", "1.0b1", "1.0rc1",
      "1.0",       "1.0+abc",    "1.0+abc.2", "1.0+1",       "1.0+2", "1.0.post1.dev1",
      "1.0.post1", "1.0.1",      "1.1.dev0",  "1.1",         "2",     "1!0.1"};
  for (size_t i = 0; i + 1 < std::size(ascending); ++i) {
    EXPECT_LT(*Version::parse(ascending[i]), *Version::parse(ascending[i + 1]))
        << ascending[i] << " < " << ascending[i + 1];
  }
  EXPECT_EQ(*Version::parse("1.0"), *Version::parse("1.0.0.0"));
  EXPECT_EQ(*Version::parse("1.0RC1"), *Version::parse("1.0c1"));
}

TEST(Version, LegacyFallbackOrder) {
  Version p1 = Version::parse_lenient("0.7.10p1");
  ASSERT_TRUE(p1.is_legacy());
  EXPECT_EQ(p1.to_string(), "0.7.10p1");
  EXPECT_GT(p1, *Version::parse("0.7.10"));
  EXPECT_GT(p1, *Version::parse("0.7.10.post5"));
  EXPECT_LT(p1, *Version::parse("0.7.11"));
  EXPECT_LT(p1, Version::parse_lenient("0.7.10p2"));
  EXPECT_LT(Version::parse_lenient("0.7.10p2"), Version::parse_lenient("0.7.10p10"));
  EXPECT_EQ(Version::parse_lenient("0.7.10P1"), p1);
  EXPECT_LT(Version::parse_lenient("french toast"), *Version::parse("0.0.dev0"));
  EXPECT_FALSE(Version::parse_lenient("1.2.3").is_legacy());
}

}  // namespace
}  // namespace rampart::audit::deps
