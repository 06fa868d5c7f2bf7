#include "audit/deps/database.h"

#include <gtest/gtest.h>
#include <zip.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "corpus.h"

namespace rampart::audit::deps {
namespace {

namespace fs = std::filesystem;

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/rampart-db-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    for (const auto& e : fs::directory_iterator(testing::fixture("osv"))) {
      std::ifstream in(e.path());
      std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      auto j = nlohmann::json::parse(doc);
      jsonl_ += j.dump() + "\n";
      docs_.emplace_back(e.path().filename().string(), doc);
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& data) {
    std::string p = dir_ + "/" + name;
    std::ofstream(p, std::ios::binary) << data;
    return p;
  }
  std::string gzip(const std::string& data) {
    std::string p = dir_ + "/tmp.gz";
    gzFile f = gzopen(p.c_str(), "wb");
    gzwrite(f, data.data(), unsigned(data.size()));
    gzclose(f);
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  std::string make_zip(const std::string& name) {
    std::string p = dir_ + "/" + name;
    int err = 0;
    zip_t* z = zip_open(p.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    for (const auto& [n, d] : docs_) {
      zip_source_t* src = zip_source_buffer(z, d.data(), d.size(), 0);
      zip_file_add(z, n.c_str(), src, ZIP_FL_OVERWRITE);
    }
    zip_close(z);
    return p;
  }
  size_t count(const AdvisoryDatabase& db, const std::string& key) {
    auto a = db.for_package(key);
    EXPECT_TRUE(a.ok());
    return a->size();
  }

  std::string dir_;
  std::string jsonl_;
  std::vector<std::pair<std::string, std::string>> docs_;
};

TEST_F(DatabaseTest, ReadsEveryFormatAlike) {
  std::vector<std::string> sources = {testing::fixture("osv"), write("db.jsonl", jsonl_),
                                      write("db.jsonl.gz", gzip(jsonl_)), make_zip("all.zip")};
  for (const auto& src : sources) {
    auto db = AdvisoryDatabase::open(src, dir_ + "/cache");
    ASSERT_TRUE(db.ok()) << src << ": " << db.status().message();
    EXPECT_EQ(db->info().advisories, 6u) << src;
    EXPECT_EQ(db->info().withdrawn, 1u) << src;
    EXPECT_EQ(db->info().packages, 4u) << src;
    EXPECT_EQ(count(*db, "demo-pkg"), 3u) << src;
    EXPECT_EQ(count(*db, "nothing"), 0u) << src;
  }
}

TEST_F(DatabaseTest, IndexIsBuiltOnceAndRebuiltWhenTheSourceChanges) {
  std::string src = write("db.jsonl", jsonl_);
  auto cold = AdvisoryDatabase::open(src, dir_ + "/cache");
  ASSERT_TRUE(cold.ok());
  EXPECT_TRUE(cold->info().index_built);
  auto warm = AdvisoryDatabase::open(src, dir_ + "/cache");
  ASSERT_TRUE(warm.ok());
  EXPECT_FALSE(warm->info().index_built);
  EXPECT_EQ(warm->info().withdrawn, 1u);
  auto a = warm->for_package("demo-pkg");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ((*a)[0].id, "RAMP-2024-0001");
  EXPECT_EQ((*a)[0].aliases, (std::vector<std::string>{"CVE-2024-0001", "GHSA-aaaa-bbbb-cccc"}));
  EXPECT_EQ((*a)[0].summary, "Remote code execution in demo-pkg");
  EXPECT_EQ((*a)[0].references[0], "https://example.com/advisories/RAMP-2024-0001");
  // A changed source (one advisory fewer) is read again.
  write("db.jsonl", jsonl_.substr(jsonl_.find('\n') + 1));
  auto again = AdvisoryDatabase::open(src, dir_ + "/cache");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->info().index_built);
  // A damaged index is rebuilt rather than trusted.
  std::string index = again->info().index_path;
  std::ofstream(index, std::ios::binary) << "rampart-osv-index 1\n{not json";
  auto rebuilt = AdvisoryDatabase::open(src, dir_ + "/cache");
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_TRUE(rebuilt->info().index_built);
}

TEST_F(DatabaseTest, BadDatabasesGiveClearErrors) {
  std::string gz = gzip(jsonl_);
  std::string truncated = write("cut.jsonl.gz", gz.substr(0, gz.size() / 2));
  EXPECT_EQ(AdvisoryDatabase::open(truncated, dir_ + "/cache").status().message(),
            truncated + ": truncated gzip data");
  std::string bad_line = write("bad.jsonl", jsonl_ + "{\"id\": \"X\", \n");
  EXPECT_EQ(AdvisoryDatabase::open(bad_line, dir_ + "/cache").status().message(),
            bad_line + ":8: not valid JSON (corrupt or truncated)");
  std::string no_id = write("noid.jsonl", "{\"affected\": []}\n");
  EXPECT_EQ(AdvisoryDatabase::open(no_id, dir_ + "/cache").status().message(),
            no_id + ":1: advisory has no \"id\"");
  std::string bad_event = write(
      "ev.jsonl",
      R"({"id":"X-1","affected":[{"package":{"ecosystem":"PyPI","name":"a"},"ranges":[{"type":"ECOSYSTEM","events":[{"fixd":"1"}]}]}]})"
      "\n");
  EXPECT_EQ(AdvisoryDatabase::open(bad_event, dir_ + "/cache").status().message(),
            bad_event + ":1: X-1: unknown range event fixd");
  std::string zip = make_zip("all.zip");
  std::ifstream in(zip, std::ios::binary);
  std::string z((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string cut_zip = write("cut.zip", z.substr(0, z.size() - 30));
  auto st = AdvisoryDatabase::open(cut_zip, dir_ + "/cache").status().message();
  EXPECT_TRUE(st.starts_with(cut_zip + ": not a readable zip archive (")) << st;
  EXPECT_EQ(AdvisoryDatabase::open(dir_ + "/absent.zip", dir_ + "/cache").status().message(),
            dir_ + "/absent.zip: advisory database not found");
}

TEST_F(DatabaseTest, UnwritableCacheKeepsTheIndexInMemory) {
  std::string src = write("db.jsonl", jsonl_);
  write("file", "x");
  std::string warning;
  auto db = AdvisoryDatabase::open(src, dir_ + "/file/cache", &warning);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(count(*db, "demo-pkg"), 3u);
  EXPECT_TRUE(
      warning.starts_with("cannot write the advisory index to " + dir_ + "/file/cache/index/osv-"))
      << warning;
}

}  // namespace
}  // namespace rampart::audit::deps
