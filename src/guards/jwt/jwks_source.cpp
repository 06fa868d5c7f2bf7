#include "guards/jwt/jwks_source.h"

#include <curl/curl.h>

#include <algorithm>
#include <map>

#include "common/logging.h"
#include "common/strings.h"

namespace rampart::guards::jwt {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Steady = std::chrono::steady_clock;

void curl_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  std::string body;
  std::optional<seconds> max_age;
  size_t max_size = 0;
  bool too_large = false;
  const std::atomic<bool>* stopping = nullptr;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  if (t->body.size() + n > t->max_size) {
    t->too_large = true;
    return 0;  // aborts the transfer
  }
  t->body.append(data, n * size);
  return n * size;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, n * size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  size_t colon = line.find(':');
  if (colon != std::string_view::npos && iequals(trim(line.substr(0, colon)), "cache-control")) {
    t->max_age = cache_max_age(trim(line.substr(colon + 1)));
  } else if (line.starts_with("HTTP/")) {
    t->max_age.reset();  // a new response (after a 100 Continue, say)
  }
  return n * size;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Transfer*>(user)->stopping->load() ? 1 : 0;  // nonzero aborts
}

std::mutex registry_mu;
std::map<std::string, std::weak_ptr<JwksSource>>& registry() {
  static std::map<std::string, std::weak_ptr<JwksSource>> r;
  return r;
}

}  // namespace

std::string JwksOptions::identity() const {
  return url + '\n' + std::to_string(refresh.count()) + ' ' + std::to_string(min_refresh.count()) +
         ' ' + std::to_string(max_refresh.count()) + ' ' +
         std::to_string(refetch_interval.count()) + ' ' + std::to_string(timeout.count()) + ' ' +
         std::to_string(max_size);
}

std::optional<seconds> cache_max_age(std::string_view cc) {
  std::optional<seconds> out;
  while (!cc.empty()) {
    size_t comma = cc.find(',');
    std::string_view d = trim(cc.substr(0, comma));
    cc = comma == std::string_view::npos ? std::string_view() : cc.substr(comma + 1);
    if (iequals(d, "no-store") || iequals(d, "no-cache")) return seconds(0);
    if (istarts_with(d, "max-age=")) {
      std::string_view v = d.substr(8);
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      auto n = parse_u64(v);
      if (n) out = seconds(int64_t(std::min<uint64_t>(*n, uint64_t(1) << 40)));
    }
  }
  return out;
}

milliseconds refresh_after(std::optional<seconds> max_age, const JwksOptions& o) {
  if (!max_age) return o.refresh;
  milliseconds m = std::chrono::duration_cast<milliseconds>(*max_age);
  return std::clamp(m, o.min_refresh, o.max_refresh);
}

std::shared_ptr<JwksSource> JwksSource::shared(const JwksOptions& o) {
  std::string id = o.identity();
  {
    std::lock_guard lock(registry_mu);
    if (auto s = registry()[id].lock()) return s;
  }
  // Started outside the lock: the first fetch may take up to the timeout.
  auto s = std::make_shared<JwksSource>(o);
  s->start();
  std::lock_guard lock(registry_mu);
  auto& slot = registry()[id];
  if (auto other = slot.lock()) return other;
  slot = s;
  for (auto it = registry().begin(); it != registry().end();) {
    it = it->second.expired() ? registry().erase(it) : std::next(it);
  }
  return s;
}

JwksSource::JwksSource(JwksOptions o) : o_(std::move(o)) { curl_init_once(); }

void JwksSource::start() {
  milliseconds next = fetch_and_install();
  if (!keys()) {
    log_warn("jwt: the JWK Set at " + o_.url +
             " could not be fetched at start-up; tokens are refused until it can be (retrying)");
  }
  thread_ = std::thread([this, next] {
    std::unique_lock lock(mu_);
    auto due = Steady::now() + next;
    while (!stop_) {
      cv_.wait_until(lock, due, [&] { return stop_ || refetch_; });
      if (stop_) break;
      if (!refetch_ && Steady::now() < due) continue;
      refetch_ = false;
      lock.unlock();
      milliseconds after = fetch_and_install();
      lock.lock();
      due = Steady::now() + after;
    }
  });
}

JwksSource::~JwksSource() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  stopping_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const KeySet> JwksSource::keys() const {
  std::lock_guard lock(mu_);
  return keys_;
}

bool JwksSource::key_missed(std::function<void()> on_done) {
  std::lock_guard lock(mu_);
  bool coming = refetch_ || fetching_;
  if (!coming && Steady::now() - last_fetch_ >= o_.refetch_interval) {
    refetch_ = true;
    coming = true;
    cv_.notify_all();
  }
  if (coming && on_done) waiters_.push_back(std::move(on_done));
  return coming;
}

std::optional<JwksSource::Fetched> JwksSource::fetch(std::string& error) {
  CURL* c = curl_easy_init();
  if (c == nullptr) {
    error = "cannot start a transfer";
    return std::nullopt;
  }
  Transfer t;
  t.max_size = o_.max_size;
  t.stopping = &stopping_;
  char err[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_URL, o_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(o_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, long(o_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_USERAGENT, "rampart-jwks");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
  CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(c);
  if (t.too_large) {
    error = "the response is larger than " + std::to_string(o_.max_size) + " bytes";
    return std::nullopt;
  }
  if (rc != CURLE_OK) {
    error = err[0] != '\0' ? err : curl_easy_strerror(rc);
    return std::nullopt;
  }
  if (status != 200) {
    error = "the server answered " + std::to_string(status);
    return std::nullopt;
  }
  return Fetched{std::move(t.body), t.max_age};
}

milliseconds JwksSource::fetch_and_install() {
  {
    std::lock_guard lock(mu_);
    last_fetch_ = Steady::now();
    fetching_ = true;
  }
  milliseconds next = fetch_once();
  std::vector<std::function<void()>> waiters;
  {
    std::lock_guard lock(mu_);
    fetching_ = false;
    waiters.swap(waiters_);
  }
  for (auto& w : waiters) w();
  return next;
}

milliseconds JwksSource::fetch_once() {
  ++fetches_;
  std::string error;
  auto got = fetch(error);
  std::optional<JwksParse> parsed;
  if (got) {
    auto p = parse_jwks(got->body, o_.url);
    if (p.ok()) {
      parsed = std::move(*p);
    } else {
      error = p.status().message();
    }
  }
  if (!parsed) {
    if (stopping_) return milliseconds(0);
    // Retry soon, then less often: 1s, 2s, 4s ... up to the usual refresh.
    std::lock_guard lock(mu_);
    retry_ = std::min(retry_ == milliseconds(0) ? milliseconds(1000) : retry_ * 2,
                      std::max(o_.min_refresh, milliseconds(1000)));
    log_warn("jwt: fetching the JWK Set " + o_.url + " failed: " + error +
             (keys_ ? "; the keys fetched before stay in use" : "") + "; retrying in " +
             std::to_string(retry_.count()) + " ms");
    return retry_;
  }
  for (const auto& s : parsed->skipped) log_info("jwt: key left out: " + s);
  auto set = std::make_shared<const KeySet>(std::move(parsed->set));
  std::lock_guard lock(mu_);
  bool recovered = retry_ != milliseconds(0) && keys_ != nullptr;
  retry_ = milliseconds(0);
  keys_ = std::move(set);
  if (recovered) log_info("jwt: the JWK Set " + o_.url + " is fetched again");
  return refresh_after(got->max_age, o_);
}

}  // namespace rampart::guards::jwt
