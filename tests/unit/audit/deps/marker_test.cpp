#include "audit/deps/marker.h"

#include <gtest/gtest.h>

namespace rampart::audit::deps {
namespace {

struct Case {
  const char* marker;
  bool holds;
};

TEST(Marker, EvaluatesForTargetPython) {
  auto env = MarkerEnvironment::for_python("3.11");
  const Case cases[] = {
      {"python_version < '3.8'", false},
      {"python_version >= '3.8'", true},
      {"python_version == '3.11'", true},
      {"python_version == '3.1'", false},
      {"python_full_version >= '3.11.0'", true},
      {"'3.10' < python_version", true},
      {"python_version ~= '3.9'", true},
      {"sys_platform == 'win32'", false},
      {"sys_platform == 'linux' and python_version > '3.6'", true},
      {"sys_platform == 'win32' or os_name == 'posix'", true},
      {"(sys_platform == 'win32' or python_version < '3') and os_name == 'posix'", false},
      {"'linux' in sys_platform", true},
      {"'win' not in sys_platform", true},
      {"platform_python_implementation == \"CPython\"", true},
      {"sys.platform == 'linux'", true},
      {"extra == 'security'", false},
      {"python_version in '3.10 3.11'", true},
  };
  for (const auto& c : cases) {
    auto v = evaluate_marker(c.marker, env);
    ASSERT_TRUE(v.ok()) << c.marker << ": " << v.status().message();
    EXPECT_EQ(*v, c.holds) << c.marker;
  }
  EXPECT_FALSE(*evaluate_marker("python_version < '3.8'", MarkerEnvironment::for_python("3.12.1")));
  EXPECT_TRUE(*evaluate_marker("python_version < '3.8'", MarkerEnvironment::for_python("3.7")));
  EXPECT_TRUE(*evaluate_marker("extra == 'Security_X'", env, "security-x"));
}

TEST(Marker, PythonVersionIsProbedOnlyWhenNeeded) {
  int probes = 0;
  auto env = MarkerEnvironment::with_python_probe([&] {
    ++probes;
    return std::string("3.7");
  });
  EXPECT_TRUE(*evaluate_marker("sys_platform == 'linux'", env));
  EXPECT_EQ(probes, 0);
  EXPECT_TRUE(*evaluate_marker("python_version < '3.8'", env));
  EXPECT_TRUE(*evaluate_marker("python_full_version == '3.7.0'", env));
  EXPECT_EQ(probes, 1);
}

TEST(Marker, ReportsBadMarkers) {
  auto env = MarkerEnvironment::for_python("3.11");
  EXPECT_EQ(evaluate_marker("python_version <", env).status().message(),
            "marker 'python_version <': expected a variable or a quoted value, got 'end'");
  EXPECT_EQ(evaluate_marker("pyversion == '3'", env).status().message(),
            "marker 'pyversion == '3'': unknown variable 'pyversion'");
  EXPECT_EQ(evaluate_marker("python_version == '3", env).status().message(),
            "marker 'python_version == '3': a quoted string is not closed");
  EXPECT_EQ(evaluate_marker("(os_name == 'posix'", env).status().message(),
            "marker '(os_name == 'posix'': expected ')'");
  EXPECT_FALSE(*evaluate_marker("'a' == 'b'", env));
  std::string deep(500, '(');
  EXPECT_FALSE(evaluate_marker(deep, env).ok());
}

}  // namespace
}  // namespace rampart::audit::deps
