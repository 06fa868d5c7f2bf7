#include <gtest/gtest.h>

#include "waf/inspector.h"

namespace rampart::waf {
namespace {

TEST(InspectorSmoke, Builds) {
  auto inspector = Inspector::create();
  ASSERT_TRUE(inspector.ok());
}

}  // namespace
}  // namespace rampart::waf
