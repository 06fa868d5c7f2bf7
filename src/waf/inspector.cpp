#include "waf/inspector.h"

#include <algorithm>
#include <array>

#include "common/strings.h"
#include "waf/decode/decode.h"
#include "waf/detect/detector.h"
#include "waf/parse/cookies.h"
#include "waf/parse/json_values.h"
#include "waf/parse/multipart.h"
#include "waf/parse/query.h"
#include "waf/parse/xml_values.h"

namespace rampart::waf {
namespace {

using DetectFn = void (*)(const Scan&, Hits&);

struct DetectorEntry {
  AttackClass attack;
  DetectFn fn;
};

// One row per detector; the order is the order of evaluation.
constexpr std::array<DetectorEntry, kAttackClassCount> kDetectors = {{
    {AttackClass::kSqli, detect_sqli},
    {AttackClass::kXss, detect_xss},
    {AttackClass::kPathTraversal, detect_traversal},
    {AttackClass::kRemoteInclusion, detect_remote_inclusion},
    {AttackClass::kCommandInjection, detect_command_injection},
    {AttackClass::kPhpInjection, detect_php_injection},
    {AttackClass::kTemplateInjection, detect_template_injection},
    {AttackClass::kCodeInjection, detect_code_injection},
    {AttackClass::kSsrf, detect_ssrf},
    {AttackClass::kNoSql, detect_nosql},
    {AttackClass::kCrlf, detect_crlf},
    {AttackClass::kXxe, detect_xxe},
    {AttackClass::kLdap, detect_ldap},
    {AttackClass::kJndi, detect_jndi},
    {AttackClass::kProtocol, detect_protocol},
}};

// Headers whose values are structured tokens the application does not interpret as free text;
// inspecting them only adds false positives (Accept's "*/*;q=0.8" and the like).
constexpr std::string_view kSkippedHeaders[] = {"accept",
                                                "accept-encoding",
                                                "accept-language",
                                                "connection",
                                                "content-length",
                                                "cache-control",
                                                "pragma",
                                                "if-modified-since",
                                                "if-none-match",
                                                "upgrade-insecure-requests",
                                                "sec-fetch-site",
                                                "sec-fetch-mode",
                                                "sec-fetch-dest",
                                                "sec-fetch-user",
                                                "sec-ch-ua",
                                                "sec-ch-ua-mobile",
                                                "sec-ch-ua-platform",
                                                "dnt",
                                                "te",
                                                "priority",
                                                "keep-alive",
                                                "content-type",
                                                "transfer-encoding",
                                                "host",
                                                "authorization"};

bool skipped_header(std::string_view lname) {
  return std::find(std::begin(kSkippedHeaders), std::end(kSkippedHeaders), lname) !=
         std::end(kSkippedHeaders);
}

constexpr std::string_view kBase64Chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=";

// Values made only of these characters cannot carry any of the attacks detected here.
bool plain_token(std::string_view s) {
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string cut_fragment(std::string_view text, size_t from, size_t to) {
  from = std::min(from, text.size());
  to = std::clamp(to, from, text.size());
  if (to - from > kMaxFragment) to = from + kMaxFragment;
  return std::string(text.substr(from, to - from));
}

bool body_is(std::string_view ctype, std::string_view what) {
  std::string lower = rampart::to_lower(ctype.substr(0, ctype.find(';')));
  return lower.find(what) != std::string::npos;
}

}  // namespace

StatusOr<std::unique_ptr<Inspector>> Inspector::create() {
  auto sigs = SignatureSet::compile();
  if (!sigs.ok()) return sigs.status();
  return std::unique_ptr<Inspector>(new Inspector(std::move(sigs).value()));
}

void Inspector::run_detectors(const Scan& scan, std::string_view name, const Policy& policy,
                              Result& result) const {
  Hits hits;
  for (const DetectorEntry& d : kDetectors) {
    int level = policy.level(d.attack);
    if (level == kSensitivityOff) continue;
    if (!policy.exclusions.empty() && policy.excluded(scan.part, name, d.attack)) continue;
    size_t before = hits.size();
    d.fn(scan, hits);
    // Keep the strongest hit of this detector that the sensitivity admits.
    const Hit* best = nullptr;
    for (size_t i = before; i < hits.size(); ++i) {
      const Hit& h = hits[i];
      if (h.level > level || h.score < policy.threshold) continue;
      if (!best || h.score > best->score) best = &hits[i];
    }
    if (!best) continue;
    // One finding per detector, part and name: a second value of the same argument or a second
    // decoded form adds nothing a reader needs.
    bool merged = false;
    for (Finding& f : result.findings) {
      if (f.attack == d.attack && f.part == scan.part && f.name == name &&
          f.in_name == scan.is_name) {
        if (best->score > f.score) {
          f.score = best->score;
          f.fragment = cut_fragment(scan.text, best->from, best->to);
          f.reason = std::string(best->reason);
        }
        merged = true;
        break;
      }
    }
    if (!merged) {
      result.findings.push_back(Finding{d.attack, best->score, scan.part, std::string(name),
                                        scan.is_name, cut_fragment(scan.text, best->from, best->to),
                                        std::string(best->reason)});
    }
  }
}

void Inspector::inspect_text(Part part, std::string_view name, std::string_view text, bool is_name,
                             const Policy& policy, Result& result, std::string_view host) const {
  if (text.empty()) return;
  SigHits sigs;
  if (text.size() > policy.max_argument_length) {
    if (policy.level(AttackClass::kProtocol) != kSensitivityOff &&
        !policy.excluded(part, name, AttackClass::kProtocol) && policy.threshold <= 5) {
      result.findings.push_back(Finding{AttackClass::kProtocol, 5, part, std::string(name), is_name,
                                        cut_fragment(text, 0, 40),
                                        "argument longer than the limit"});
    }
    text = text.substr(0, policy.max_argument_length);
  }
  result.inspected_bytes += text.size();
  std::optional<std::string> b64 = decode_base64_text(text);
  // Plain tokens carry nothing, except as file names (an upload named "shell.php").
  if (plain_token(text) && !b64 && name.find("file") == std::string_view::npos) {
    // Identifiers with dots or underscores ("process.env", "__js_function") can be code: the
    // prefilter decides whether they deserve the detectors.
    // (A loop, not find_first_of: that searches the set once per byte of the value.)
    // At sensitivity 3 the SQL detector also judges bare names ("tempdb", "varchar").
    if (std::none_of(text.begin(), text.end(), [](char c) { return c == '.' || c == '_'; }) &&
        policy.level(AttackClass::kSqli) < kSuspicious) {
      return;
    }
    sigs_->scan(text, sigs);
    if (!sigs.has(SigGroup::kCodeSignature) && !sigs.has(SigGroup::kScriptMarker) &&
        !sigs.has(SigGroup::kSqlWord) && !sigs.has(SigGroup::kSensitiveFile) &&
        !(is_name && text.find("__") != std::string_view::npos)) {
      return;
    }
    sigs.clear();
  }

  std::string decoded = decode_value(text);
  std::string lower = ascii_lowercase(decoded);
  sigs_->scan(decoded, sigs);
  run_detectors(
      Scan{text, decoded, lower, part, name, is_name, &sigs, CharMask::of(decoded), host, &policy},
      name, policy, result);
  // Base64 behind escapes ("\u0058\u0079Qk..."), and escapes inside base64: both layers undone.
  if (!b64 && decoded.size() >= 16 && decoded.size() < text.size() &&
      decoded.find_first_not_of(kBase64Chars) == std::string::npos) {
    b64 = decode_base64_text(decoded);
  }
  if (b64 && b64->find_first_of("\\%&") != std::string::npos) *b64 = decode_value(*b64);
  if (b64) {
    // A second look at base64-wrapped text (cookies and tokens hide payloads this way).
    std::string b64_lower = ascii_lowercase(*b64);
    sigs.clear();
    sigs_->scan(*b64, sigs);
    run_detectors(
        Scan{text, *b64, b64_lower, part, name, is_name, &sigs, CharMask::of(*b64), host, &policy},
        name, policy, result);
  }
}

void Inspector::inspect_document_xxe(std::string_view body, const Policy& policy,
                                     Result& result) const {
  if (policy.level(AttackClass::kXxe) == kSensitivityOff) return;
  std::string lower = ascii_lowercase(body.substr(0, 64 * 1024));
  SigHits none;
  Hits hits;
  detect_xxe(Scan{body, body, lower, Part::kBodyXml, "", false, &none, CharMask(), {}}, hits);
  for (const Hit& h : hits) {
    if (h.level > policy.level(AttackClass::kXxe) || h.score < policy.threshold) continue;
    result.findings.push_back(Finding{AttackClass::kXxe, h.score, Part::kBodyXml, "", false,
                                      cut_fragment(body, h.from, h.to), std::string(h.reason)});
    break;
  }
}

Result Inspector::inspect(const Request& request, const Policy& policy) const {
  Result result;
  std::vector<Field> fields;
  fields.reserve(32);
  FieldSink sink{&fields, policy.max_arguments};

  if (!request.path.empty()) {
    std::string path = url_decode(request.path, false);
    // The whole path (traversal reads it whole), then each segment that is more than a plain
    // token: an injection in a segment ("/items/1' or '1'='1") starts where the segment does.
    std::vector<std::string> segments;
    for (size_t from = 0; from < path.size() && segments.size() < 32;) {
      size_t to = std::min(path.find('/', from), path.size());
      std::string_view seg(path.data() + from, to - from);
      if (!plain_token(seg) && seg.size() != path.size()) segments.emplace_back(seg);
      from = to + 1;
    }
    sink.add(Part::kPath, std::string(), std::move(path));
    for (std::string& seg : segments) sink.add(Part::kPath, std::string(), std::move(seg));
  }
  if (!request.query.empty()) parse_urlencoded(request.query, Part::kQuery, sink);

  std::string_view content_type;
  std::string host;
  for (const auto& [hname, hvalue] : request.headers) {
    std::string lname = rampart::to_lower(hname);
    if (lname == "host") host = rampart::to_lower(hvalue);
    if (lname == "cookie") {
      parse_cookies(hvalue, sink);
    } else if (lname == "content-type") {
      content_type = hvalue;
    } else if (!skipped_header(lname)) {
      sink.add(Part::kHeader, lname, std::string(hvalue));
    }
  }

  std::string_view body = request.body;
  if (body.size() > policy.body_limit) {
    result.uninspected_body_bytes = body.size() - policy.body_limit;
    body = body.substr(0, policy.body_limit);
  }
  if (!body.empty()) {
    bool raw = false;
    if (body_is(content_type, "application/x-www-form-urlencoded")) {
      parse_urlencoded(body, Part::kBodyForm, sink);
    } else if (body_is(content_type, "multipart/form-data")) {
      raw = !parse_multipart(body, multipart_boundary(content_type), sink);
    } else if (body_is(content_type, "json")) {
      JsonOutcome outcome = parse_json_values(body, sink);
      raw = outcome == JsonOutcome::kInvalid;
      if (outcome == JsonOutcome::kTooDeep && policy.level(AttackClass::kProtocol) >= kLikely &&
          policy.threshold <= 5) {
        result.findings.push_back(Finding{AttackClass::kProtocol, 5, Part::kBodyJson, "", false, "",
                                          "JSON nested too deeply"});
      }
    } else if (body_is(content_type, "xml")) {
      // The document itself only for its DOCTYPE (XXE); then its text and attributes.
      inspect_document_xxe(body, policy, result);
      parse_xml_values(body, sink);
    } else if (content_type.empty()) {
      // No Content-Type: read as a form (what clients that omit it send, and what CRS
      // assumes); a body without '=' becomes one argument name, inspected as such.
      parse_urlencoded(body, Part::kBodyForm, sink);
    } else {
      raw = true;
    }
    if (raw) sink.add(Part::kBodyRaw, std::string(), std::string(body));
  }
  result.dropped_values = sink.dropped;

  for (const Field& f : fields) {
    // Names of query, form, multipart and cookie fields are attacker-chosen text too; JSON keys
    // arrive as fields of their own, and XML element names carry no payload.
    bool named = f.part == Part::kQuery || f.part == Part::kBodyForm ||
                 f.part == Part::kBodyMultipart || f.part == Part::kCookie;
    if (named && !f.name.empty()) inspect_text(f.part, f.name, f.name, true, policy, result, host);
    inspect_text(f.part, f.name, f.value, f.key, policy, result, host);
  }
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.score > b.score; });
  for (const Finding& f : result.findings) result.total_score += f.score;
  return result;
}

std::vector<Finding> Inspector::inspect_value(Part part, std::string_view name,
                                              std::string_view value, const Policy& policy) const {
  Result result;
  inspect_text(part, name, value, false, policy, result);
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.score > b.score; });
  return std::move(result.findings);
}

void Request::set_target(std::string_view target) {
  size_t q = target.find('?');
  path = target.substr(0, q);
  query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  size_t hash = query.find('#');
  if (hash != std::string_view::npos) query = query.substr(0, hash);
}

}  // namespace rampart::waf
