// Feeds arbitrary bytes through the WAF library: as a query string, a body of each content type
// the inspector parses, a cookie header, a path, and straight into the decoders and one-value
// inspection. The first byte picks the shape; the rest is the stranger's data.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "waf/decode/decode.h"
#include "waf/inspector.h"

namespace {

const rampart::waf::Inspector& inspector() {
  static std::unique_ptr<rampart::waf::Inspector> instance = [] {
    auto created = rampart::waf::Inspector::create();
    if (!created.ok()) __builtin_trap();
    return std::move(created).value();
  }();
  return *instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rampart::waf;
  if (size == 0) return 0;
  const uint8_t shape = data[0];
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  Policy policy;
  policy.set_level(AttackClass::kSqli, 3);  // every rule, including suspicious ones
  policy.set_level(AttackClass::kXss, 3);
  policy.threshold = 1;
  policy.body_limit = 64 * 1024;

  Request r;
  r.method = "POST";
  r.path = "/fuzz";
  switch (shape % 8) {
    case 0:
      r.query = bytes;
      break;
    case 1:
      r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
      r.body = bytes;
      break;
    case 2:
      r.headers = {{"Content-Type", "application/json"}};
      r.body = bytes;
      break;
    case 3:
      r.headers = {{"Content-Type", "application/xml"}};
      r.body = bytes;
      break;
    case 4:
      r.headers = {{"Content-Type", "multipart/form-data; boundary=b"}};
      r.body = bytes;
      break;
    case 5:
      r.headers = {{"Cookie", bytes}, {"User-Agent", bytes}};
      break;
    case 6:
      r.path = bytes;
      r.body = bytes;  // no Content-Type: form or raw text
      break;
    default: {
      // Decoders and single values directly.
      (void)decode_value(bytes);
      (void)decode_base64_text(bytes);
      (void)html_entity_decode(bytes);
      (void)js_unescape(bytes);
      (void)inspector().inspect_value(Part::kBodyJson, "v", bytes, policy);
      return 0;
    }
  }
  Result result = inspector().inspect(r, policy);
  for (const Finding& f : result.findings) {
    if (f.fragment.size() > kMaxFragment) __builtin_trap();  // the contract on fragments
  }
  return 0;
}
