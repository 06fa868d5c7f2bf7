// Google Benchmark of the WAF detection library: time per request and MB/s, both of the request's
// bytes (bytes_per_second) and of the bytes the detectors read (inspected, Result's
// inspected_bytes), on
//   Get, Post2KiB:        a shop's search GET and checkout form (browser headers, a cookie);
//   GetWafSh, PostWafSh:  exactly the GET and the 2 KiB urlencoded POST of bench/waf.sh;
//   GetAttack:            a GET with a UNION SELECT in its query;
//   Json64KiB:            a 64 KiB JSON API body (an array of records with prose fields);
//   ProseForm1MiB:        1 MiB of English prose in 16 urlencoded fields of 64 KiB;
//   Prose1MiB:            1 MiB of English prose as a text/plain body (one value: the inspector
//                         reads its first max_argument_length bytes and reports the rest).
//
//   ninja -C build bench_waf && build/src/waf/bench_waf --benchmark_min_time=2
//
// Instruction counts (load-independent, for A/B comparisons on a busy machine):
//   valgrind --tool=callgrind --toggle-collect='rampart::waf::Inspector::inspect(*'
//     build/src/waf/bench_waf --calls=PostWafSh:200   (one command line)
// runs inspect() 200 times on one request (after one untimed warm-up call) and nothing else;
// callgrind's total divided by 201 is the instructions per request.

#include <benchmark/benchmark.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "waf/inspector.h"

namespace {

using rampart::waf::Inspector;
using rampart::waf::Policy;
using rampart::waf::Request;
using rampart::waf::Result;

const Inspector& inspector() {
  static std::unique_ptr<Inspector> instance = [] {
    auto created = Inspector::create();
    if (!created.ok()) {
      std::fprintf(stderr, "bench_waf: %s\n", created.status().message().c_str());
      std::exit(1);
    }
    return std::move(created).value();
  }();
  return *instance;
}

// A request that owns its bytes (waf::Request only views them).
struct Sample {
  std::string method, target, body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool benign = true;

  Request view() const {
    Request r;
    r.method = method;
    r.set_target(target);
    for (const auto& [k, v] : headers) r.headers.emplace_back(k, v);
    r.body = body;
    return r;
  }
  size_t bytes() const {
    size_t n = method.size() + target.size() + body.size();
    for (const auto& [k, v] : headers) n += k.size() + v.size() + 4;
    return n;
  }
};

std::vector<std::pair<std::string, std::string>> browser_headers() {
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

// bench/waf.sh's headers, as wrk sends them.
std::vector<std::pair<std::string, std::string>> waf_sh_headers() {
  return {
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
  };
}

// bench/waf.sh's query: 137 characters.
const char* const kWafShTarget =
    "/search?q=running+shoes&category=sports&sort=price_asc&page=2&size=24&color=blue&brand=acme"
    "&utm_source=newsletter&utm_medium=email&ref=home1_main";

// English prose with the words SQL shares ("is", "and", "or", "in", "select", "from"), digits,
// commas and full stops: what comment and message fields carry.
const char* const kProse[] = {
    "Hello, I ordered the blue running shoes last week and they arrived today, but the size is a "
    "41 and I asked for a 42. ",
    "Could you exchange them or refund the order? I am at home in the evenings from 6 to 9. ",
    "The union of the two committees will select a chair from the members who are in favour. ",
    "Please leave the parcel with the neighbour at number 12 if nobody is home on Tuesday. ",
    "My daughter likes the red ones better, so if the 42 is out of stock the red pair is fine. ",
    "Between you and me, the delivery driver was very kind and waited while I found my keys. ",
};

std::string prose(size_t size) {
  std::string out;
  for (size_t i = 0; out.size() < size; ++i) out += kProse[i % std::size(kProse)];
  out.resize(size);
  return out;
}

std::string form_encode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(char(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Sample get_sample() {
  Sample s;
  s.method = "GET";
  // 137 characters after the '?'.
  s.target =
      "/products/search?q=running+shoes+for+men&category=sports&brand=acme&size=42&color=blue"
      "&sort=price_asc&page=2&per_page=24&utm_source=newsletter";
  s.headers = browser_headers();
  return s;
}

// A 2 KiB form body: a checkout form with a free-text message.
Sample post_2kib_sample() {
  Sample s;
  s.method = "POST";
  s.target = "/checkout";
  s.headers = browser_headers();
  s.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  s.body =
      "csrfmiddlewaretoken=Xy7aB3kL9mN2pQ4rS6tU8vW0&first_name=Ann&last_name=O%27Brien"
      "&email=ann.obrien%40example.com&phone=%2B44+20+7946+0958&address1=10+Downing+Street"
      "&address2=Flat+2&city=London&postcode=SW1A+2AA&country=GB&shipping=express"
      "&gift_wrap=on&coupon=SPRING24&message=";
  while (s.body.size() < 2048) {
    s.body += "Please+leave+the+parcel+with+the+neighbour+at+number+12+if+nobody+is+home.+";
  }
  s.body.resize(2048);
  return s;
}

Sample get_waf_sh_sample() {
  Sample s;
  s.method = "GET";
  s.target = kWafShTarget;
  s.headers = waf_sh_headers();
  return s;
}

// Exactly bench/waf.sh's POST: its query, its headers and cookie (a signed session token) and its
// 2 KiB form (a name with an apostrophe and a long English message, padded with x).
Sample post_waf_sh_sample() {
  Sample s;
  s.method = "POST";
  s.target = kWafShTarget;
  s.headers = waf_sh_headers();
  s.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  s.headers.emplace_back("Content-Length", "2048");
  std::string message;
  for (int i = 0; i < 12; ++i) {
    message +=
        "Hello%2C+I+ordered+the+blue+running+shoes+last+week+and+they+arrived+today%2C+but+the+"
        "size+is+a+41+and+I+asked+for+a+42.+Could+you+exchange+them%3F+";
  }
  s.body =
      "name=Siobhan+O%27Brien&email=siobhan%40example.com&address=12+Harbour+Road%2C+Cork"
      "&subject=Order+4411%3A+wrong+size&message=" +
      message;
  s.body += "&pad=";
  s.body.resize(2048, 'x');
  return s;
}

Sample get_attack_sample() {
  Sample s;
  s.method = "GET";
  s.target = "/search?q=1%27%20union%20select%20password%20from%20users--&page=2";
  s.headers = browser_headers();
  s.benign = false;
  return s;
}

// An API's list of 64 KiB: records with ids, names, e-mail addresses, prices, tags, nested
// addresses and a prose description each.
Sample json_64kib_sample() {
  Sample s;
  s.method = "POST";
  s.target = "/api/orders/import";
  s.headers = browser_headers();
  s.headers.emplace_back("Content-Type", "application/json");
  std::string body = "{\"orders\": [";
  for (int i = 0; body.size() < 64 * 1024 - 600; ++i) {
    if (i) body += ", ";
    body += "{\"id\": " + std::to_string(1000 + i) + ", \"customer\": {\"name\": \"Customer " +
            std::to_string(i) + "\", \"email\": \"customer" + std::to_string(i) +
            "@example.com\", \"address\": {\"street\": \"" + std::to_string(i % 90 + 1) +
            " Harbour Road\", \"city\": \"Cork\", \"postcode\": \"T12 " +
            std::to_string(1000 + i % 9000) + "\"}}, \"total\": " + std::to_string(i % 300) +
            ".99, \"currency\": \"EUR\", \"paid\": " + (i % 3 ? "true" : "false") +
            ", \"tags\": [\"web\", \"newsletter\"], \"note\": \"" + kProse[i % std::size(kProse)] +
            "\"}";
  }
  body += "]}";
  body.resize(64 * 1024 - 2, ' ');
  body += "\n";
  s.body = std::move(body);
  return s;
}

Sample prose_form_1mib_sample() {
  Sample s;
  s.method = "POST";
  s.target = "/comments";
  s.headers = browser_headers();
  s.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  // Each field holds just under the inspector's 64 KiB argument limit once decoded.
  const std::string field = form_encode(prose(60 * 1024));
  for (int i = 0; s.body.size() < (1u << 20); ++i) {
    s.body += (i ? "&comment" : "comment") + std::to_string(i) + "=" + field;
  }
  s.body.resize(1u << 20);
  return s;
}

Sample prose_1mib_sample() {
  Sample s;
  s.method = "POST";
  s.target = "/notes";
  s.headers = browser_headers();
  s.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  s.body = prose(1u << 20);
  s.benign = false;  // one value over max_argument_length: a protocol finding
  return s;
}

struct Named {
  const char* name;
  Sample (*make)();
};

constexpr Named kSamples[] = {
    {"Get", get_sample},
    {"Post2KiB", post_2kib_sample},
    {"GetWafSh", get_waf_sh_sample},
    {"PostWafSh", post_waf_sh_sample},
    {"GetAttack", get_attack_sample},
    {"Json64KiB", json_64kib_sample},
    {"ProseForm1MiB", prose_form_1mib_sample},
    {"Prose1MiB", prose_1mib_sample},
};

void run(benchmark::State& state, const Sample& sample) {
  Request r = sample.view();
  Policy policy;
  size_t inspected = inspector().inspect(r, policy).inspected_bytes;
  for (auto _ : state) {
    Result result = inspector().inspect(r, policy);
    benchmark::DoNotOptimize(result);
    if (sample.benign && result.attack()) state.SkipWithError("benign request flagged");
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(sample.bytes()));
  state.counters["inspected"] =
      benchmark::Counter(double(inspected) * double(state.iterations()),
                         benchmark::Counter::kIsRate, benchmark::Counter::OneK::kIs1024);
}

// --calls=NAME:N: N inspections of one sample and nothing else (for callgrind).
int run_calls(const char* spec) {
  const char* colon = std::strchr(spec, ':');
  std::string name(spec, colon ? size_t(colon - spec) : std::strlen(spec));
  long calls = colon ? std::strtol(colon + 1, nullptr, 10) : 100;
  for (const Named& n : kSamples) {
    if (name != n.name) continue;
    Sample sample = n.make();
    Request r = sample.view();
    Policy policy;
    size_t findings = inspector().inspect(r, policy).findings.size();  // warm-up
    for (long i = 0; i < calls; ++i) benchmark::DoNotOptimize(inspector().inspect(r, policy));
    std::printf("%s: %ld + 1 calls of inspect(), %zu findings, %zu request bytes\n", n.name, calls,
                findings, sample.bytes());
    return 0;
  }
  std::fprintf(stderr, "bench_waf: no sample named '%s'\n", name.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--calls=", 8) == 0) return run_calls(argv[i] + 8);
  }
  std::vector<std::unique_ptr<Sample>> samples;
  for (const Named& n : kSamples) {
    samples.push_back(std::make_unique<Sample>(n.make()));
    const Sample* s = samples.back().get();
    benchmark::RegisterBenchmark((std::string("BM_") + n.name).c_str(),
                                 [s](benchmark::State& state) { run(state, *s); });
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
