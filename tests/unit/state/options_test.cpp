// The `state` setting: "memory" or a Redis URL.
#include "state/options.h"

#include <gtest/gtest.h>

namespace rampart::state {
namespace {

struct UrlCase {
  std::string text;
  bool ok;
  std::string host_or_error;
  uint16_t port = 6379;
  int db = 0;
  std::string password = "";
};

TEST(StateUrl, Table) {
  const UrlCase cases[] = {
      {"memory", true, ""},
      {"redis://127.0.0.1:6379/0", true, "127.0.0.1", 6379, 0},
      {"redis://localhost", true, "localhost", 6379, 0},
      {"redis://10.0.0.5:7000/3", true, "10.0.0.5", 7000, 3},
      {"redis://[::1]:6380/1", true, "::1", 6380, 1},
      {"redis://:s3cret@127.0.0.1/2", true, "127.0.0.1", 6379, 2, "s3cret"},
      {"redis://default:pw@127.0.0.1", true, "127.0.0.1", 6379, 0, "pw"},
      {"redis://alice:pw@127.0.0.1", false,
       "expected redis://:PASSWORD@HOST:PORT/DB (only the default user), got "
       "'redis://alice:pw@127.0.0.1'"},
      {"mem", false,
       "expected 'memory' or a Redis URL such as redis://127.0.0.1:6379/0, got 'mem'"},
      {"redis://", false,
       "expected 'memory' or a Redis URL such as redis://127.0.0.1:6379/0, got 'redis://'"},
      {"redis://h:0", false, "expected a port from 1 to 65535 in 'redis://h:0'"},
      {"redis://h:99999", false, "expected a port from 1 to 65535 in 'redis://h:99999'"},
      {"redis://h/x", false, "expected a database number after the '/' in 'redis://h/x'"},
  };
  for (const auto& c : cases) {
    StateOptions o;
    std::string err;
    bool ok = parse_state_url(c.text, o, err);
    ASSERT_EQ(ok, c.ok) << c.text << ": " << err;
    if (!ok) {
      EXPECT_EQ(err, c.host_or_error);
      continue;
    }
    if (c.text == "memory") {
      EXPECT_EQ(o.backend, StateOptions::Backend::kMemory);
      continue;
    }
    EXPECT_EQ(o.backend, StateOptions::Backend::kRedis);
    EXPECT_EQ(o.host, c.host_or_error) << c.text;
    EXPECT_EQ(o.port, c.port) << c.text;
    EXPECT_EQ(o.db, c.db) << c.text;
    EXPECT_EQ(o.password, c.password) << c.text;
  }
}

}  // namespace
}  // namespace rampart::state
