// Google Benchmark of the WAF detection library on the requests of bench/waf.sh: a GET with a
// 137-character query string, browser headers and a cookie, and the same with a 2 KiB
// urlencoded POST body. Reports time per request and MB/s of inspected request bytes.
//   build/src/waf/bench_waf --benchmark_min_time=2

#include <benchmark/benchmark.h>

#include <string>

#include "waf/inspector.h"

namespace {

using rampart::waf::Inspector;
using rampart::waf::Policy;
using rampart::waf::Request;

const Inspector& inspector() {
  static std::unique_ptr<Inspector> instance = [] {
    auto created = Inspector::create();
    if (!created.ok()) std::abort();
    return std::move(created).value();
  }();
  return *instance;
}

// 137 characters after the '?'.
const std::string kTarget =
    "/products/search?q=running+shoes+for+men&category=sports&brand=acme&size=42&color=blue"
    "&sort=price_asc&page=2&per_page=24&utm_source=newsletter";

std::vector<std::pair<std::string_view, std::string_view>> browser_headers() {
  return {
      {"Host", "shop.example.com"},
      {"User-Agent",
       "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/120.0.0.0 Safari/537.36"},
      {"Accept",
       "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"},
      {"Accept-Language", "en-GB,en;q=0.9"},
      {"Accept-Encoding", "gzip, deflate, br"},
      {"Referer", "https://shop.example.com/products?category=sports"},
      {"Connection", "keep-alive"},
      {"Upgrade-Insecure-Requests", "1"},
      {"Sec-Fetch-Dest", "document"},
      {"Sec-Fetch-Mode", "navigate"},
      {"Sec-Fetch-Site", "same-origin"},
      {"Cookie",
       "sessionid=8f14e45fceea167a5a36dedd4bea2543; csrftoken=Xy7aB3kL9mN2pQ4rS6tU8vW0; "
       "theme=dark; _ga=GA1.2.1234567890.1700000000"},
  };
}

size_t request_bytes(const Request& r) {
  size_t n = r.method.size() + r.path.size() + r.query.size() + r.body.size();
  for (const auto& [k, v] : r.headers) n += k.size() + v.size() + 4;
  return n;
}

// A 2 KiB form body: a checkout form with a free-text message.
std::string form_body() {
  std::string body =
      "csrfmiddlewaretoken=Xy7aB3kL9mN2pQ4rS6tU8vW0&first_name=Ann&last_name=O%27Brien"
      "&email=ann.obrien%40example.com&phone=%2B44+20+7946+0958&address1=10+Downing+Street"
      "&address2=Flat+2&city=London&postcode=SW1A+2AA&country=GB&shipping=express"
      "&gift_wrap=on&coupon=SPRING24&message=";
  while (body.size() < 2048) {
    body += "Please+leave+the+parcel+with+the+neighbour+at+number+12+if+nobody+is+home.+";
  }
  body.resize(2048);
  return body;
}

void BM_Get(benchmark::State& state) {
  Request r;
  r.method = "GET";
  r.set_target(kTarget);
  r.headers = browser_headers();
  Policy policy;
  for (auto _ : state) {
    auto result = inspector().inspect(r, policy);
    benchmark::DoNotOptimize(result);
    if (result.attack()) state.SkipWithError("benign request flagged");
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(request_bytes(r)));
}
BENCHMARK(BM_Get);

void BM_Post2KiB(benchmark::State& state) {
  static const std::string body = form_body();
  Request r;
  r.method = "POST";
  r.set_target("/checkout");
  r.headers = browser_headers();
  r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  r.body = body;
  Policy policy;
  for (auto _ : state) {
    auto result = inspector().inspect(r, policy);
    benchmark::DoNotOptimize(result);
    if (result.attack()) state.SkipWithError("benign request flagged");
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(request_bytes(r)));
}
BENCHMARK(BM_Post2KiB);

// Exactly bench/waf.sh's POST: its 137-character query, its headers and cookie (a signed
// session token) and its 2 KiB form (a name with an apostrophe and a long English message).
void BM_PostWafSh(benchmark::State& state) {
  static const std::string body = [] {
    std::string message;
    for (int i = 0; i < 12; ++i) {
      message +=
          "Hello%2C+I+ordered+the+blue+running+shoes+last+week+and+they+arrived+today%2C+but+the+"
          "size+is+a+41+and+I+asked+for+a+42.+Could+you+exchange+them%3F+";
    }
    std::string b =
        "name=Siobhan+O%27Brien&email=siobhan%40example.com&address=12+Harbour+Road%2C+Cork"
        "&subject=Order+4411%3A+wrong+size&message=" +
        message;
    b += "&pad=";
    b.resize(2048, 'x');
    return b;
  }();
  const std::string target =
      "/search?q=running+shoes&category=sports&sort=price_asc&page=2&size=24&color=blue&brand=acme"
      "&utm_source=newsletter&utm_medium=email&ref=home1_main";
  Request r;
  r.method = "POST";
  r.set_target(target);
  r.headers = {
      {"Host", "localhost"},
      {"User-Agent",
       "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 "
       "Safari/537.36"},
      {"Accept",
       "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"},
      {"Accept-Language", "en-GB,en;q=0.9"},
      {"Accept-Encoding", "gzip, deflate, br"},
      {"Referer", "http://localhost/shop/sports"},
      {"Cookie",
       "session=eyJ1c2VyIjo0MiwiY2FydCI6WzEsMiwzXX0.ZmFrZQ.c2lnbmF0dXJl; theme=dark; "
       "consent=yes"},
      {"Content-Type", "application/x-www-form-urlencoded"},
      {"Content-Length", "2048"},
  };
  r.body = body;
  Policy policy;
  for (auto _ : state) {
    auto result = inspector().inspect(r, policy);
    benchmark::DoNotOptimize(result);
    if (result.attack()) state.SkipWithError("benign request flagged");
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(request_bytes(r)));
}
BENCHMARK(BM_PostWafSh);

void BM_GetAttack(benchmark::State& state) {
  const std::string target = "/search?q=1%27%20union%20select%20password%20from%20users--&page=2";
  Request r;
  r.method = "GET";
  r.set_target(target);
  r.headers = browser_headers();
  Policy policy;
  for (auto _ : state) {
    auto result = inspector().inspect(r, policy);
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(request_bytes(r)));
}
BENCHMARK(BM_GetAttack);

}  // namespace

BENCHMARK_MAIN();
