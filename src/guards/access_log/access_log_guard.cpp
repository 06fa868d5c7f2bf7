#include "guards/access_log/access_log_guard.h"

#include <charconv>
#include <ctime>

namespace rampart::guards {
namespace {

void append_number(std::string& out, uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void append_timestamp(std::string& out, std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  time_t secs = time_t(ms / 1000);
  // The date and time change once a second: format them once a second per thread.
  thread_local time_t cached_secs = -1;
  thread_local char cached[32];
  thread_local size_t cached_len = 0;
  if (secs != cached_secs) {
    struct tm tm;
    gmtime_r(&secs, &tm);
    cached_len = strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
    cached_secs = secs;
  }
  int frac = int(ms % 1000);
  char tail[6] = {
      '.', char('0' + frac / 100), char('0' + frac / 10 % 10), char('0' + frac % 10), 'Z', '"'};
  out += '"';
  out.append(cached, cached_len);
  out.append(tail, sizeof tail);
}

size_t utf8_sequence_length(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return 0;
  }
  return len;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    // Runs of characters that need no escaping are copied whole.
    size_t run = i;
    while (run < s.size()) {
      unsigned char r = static_cast<unsigned char>(s[run]);
      if (r < 0x20 || r >= 0x7f || r == '"' || r == '\\') break;
      ++run;
    }
    if (run > i) {
      out.append(s.data() + i, run - i);
      i = run - 1;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += char(c);
    } else if (c >= 0x80) {
      size_t len = utf8_sequence_length(s, i);
      if (len > 0) {
        out.append(s.substr(i, len));
        i += len - 1;
      } else {
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    } else {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  out += '"';
}

std::string format_access_line(const gateway::Exchange& ex) {
  std::string out;
  out.reserve(512);
  out += "{\"@timestamp\":";
  append_timestamp(out, ex.started_wall);
  out += ",\"client.ip\":";
  append_json_string(out, ex.client.address_text);
  out += ",\"http.request.method\":";
  append_json_string(out, ex.request.method);
  out += ",\"url.path\":";
  append_json_string(out, ex.request.path());
  out += ",\"url.query\":";
  append_json_string(out, ex.request.query());
  out += ",\"http.response.status_code\":";
  append_number(out, uint64_t(ex.status));
  out += ",\"http.request.body.bytes\":";
  append_number(out, ex.request_body_bytes);
  out += ",\"http.response.body.bytes\":";
  append_number(out, ex.response_body_bytes);
  out += ",\"event.duration\":";
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                                 ex.started);
  append_number(out, uint64_t(ns.count()));
  out += ",\"user_agent.original\":";
  auto ua = ex.request.headers.get("User-Agent");
  append_json_string(out, ua ? *ua : std::string_view());
  if (ex.connection.tls) {
    out += ",\"tls.version\":";
    append_json_string(out, ex.connection.tls_version);
  }
  out += ",\"url.domain\":";
  append_json_string(out, ex.client.host);
  out += ",\"rampart.route\":";
  append_json_string(out, ex.route);
  out += ",\"rampart.events\":[";
  for (size_t i = 0; i < ex.events.size(); ++i) {
    const auto& e = ex.events[i];
    if (i > 0) out += ',';
    out += "{\"guard\":";
    append_json_string(out, e.guard);
    out += ",\"rule\":";
    append_json_string(out, e.rule);
    out += ",\"action\":";
    append_json_string(out, gateway::action_name(e.action));
    out += ",\"part\":";
    append_json_string(out, e.part);
    out += ",\"reason\":";
    append_json_string(out, e.reason);
    out += '}';
  }
  out += "]}\n";
  return out;
}

void AccessLogGuard::on_complete(const gateway::Exchange& ex) const {
  sink_->write(format_access_line(ex));
}

std::unique_ptr<gateway::Guard> AccessLogGuard::build(const std::vector<ConfigNode>& layers,
                                                      const gateway::GuardContext&) {
  std::string path = "stdout";
  const ConfigNode* last = nullptr;
  for (const auto& l : layers) {
    l.only_keys({"enabled", "mode", "path"});
    path = l.get_string("path", path);
    if (l.child("path").defined()) last = &l;
  }
  auto sink = LogSink::open(path);
  if (!sink.ok()) {
    if (last != nullptr) {
      last->child("path").error(sink.status().message());
    } else {
      layers.empty() ? void() : layers.front().error(sink.status().message());
    }
    return nullptr;
  }
  return std::make_unique<AccessLogGuard>(*sink);
}

}  // namespace rampart::guards
