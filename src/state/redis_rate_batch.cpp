#include "state/redis_rate_batch.h"

#include <boost/asio/post.hpp>

#include "common/logging.h"
#include "state/redis_scripts.h"
#include "state/resp.h"

namespace rampart::state {

namespace asio = boost::asio;

void RateBatcher::Batch::clear() {
  keys.clear();
  spec_of.clear();
  specs.clear();
  groups.clear();
  count = 0;
  retried = false;
}

RateBatcher::RateBatcher(asio::io_context& io, std::shared_ptr<RedisConn> conn,
                         std::string key_prefix, Micros timeout)
    : io_(io), conn_(std::move(conn)), prefix_(std::move(key_prefix)), timeout_(timeout) {}

asio::awaitable<bool> RateBatcher::decide(std::span<const RateQuery> queries,
                                          std::span<RateResult> out) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(bool)>(
      [this, queries, out](Handler handler) { add(queries, out, std::move(handler)); },
      asio::use_awaitable);
}

void RateBatcher::add(std::span<const RateQuery> queries, std::span<RateResult> out,
                      Handler handler) {
  const size_t n = queries.size();
  if (stopped_ || n == 0 || n > kGcraBatchMax || out.size() < n) {
    const bool ok = !stopped_ && n == 0;
    asio::post(io_, [h = std::move(handler), ok]() mutable { std::move(h)(ok); });
    return;
  }
  if (open_ && open_->count + n > kGcraBatchMax) send_open();
  if (!open_) {
    if (spare_.empty()) {
      open_ = std::make_shared<Batch>();
    } else {
      open_ = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  Batch& b = *open_;
  if (b.count == 0) b.opened = std::chrono::steady_clock::now();
  for (const RateQuery& q : queries) {
    // As gcra_step() takes them: an interval and a burst of at least 1, a cost of at least 0.
    const Spec spec{std::max<int64_t>(q.limit.interval.count(), 1),
                    std::max<int64_t>(q.limit.burst, 1), std::max<int64_t>(q.cost, 0)};
    size_t index = 0;
    while (index < b.specs.size() &&
           (b.specs[index].interval != spec.interval || b.specs[index].burst != spec.burst ||
            b.specs[index].cost != spec.cost)) {
      ++index;
    }
    if (index == b.specs.size()) b.specs.push_back(spec);
    // At most kGcraBatchMax (255) keys, so at most as many limits: the index fits a byte.
    b.spec_of.push_back(static_cast<char>(index + 1));
    resp_arg(b.keys, prefix_, q.key);
  }
  b.count += n;
  b.groups.push_back(Group{n, out.data(), std::move(handler)});
  post_flush();
}

void RateBatcher::post_flush() {
  if (flush_posted_ || in_flight_ >= kMaxInFlight) return;
  // Sent once the io_context has run what is ready now: the decisions of this turn go
  // together.
  flush_posted_ = true;
  asio::post(io_, [self = shared_from_this()] {
    self->flush_posted_ = false;
    if (self->in_flight_ < kMaxInFlight) self->send_open();
  });
}

void RateBatcher::send_open() {
  if (!open_ || open_->count == 0) return;
  std::shared_ptr<Batch> batch = std::move(open_);
  ++in_flight_;
  send(std::move(batch));
}

void RateBatcher::send(std::shared_ptr<Batch> batch) {
  const RedisScript& script = gcra_script();
  const Batch& b = *batch;
  const auto left =
      std::chrono::duration_cast<Micros>(b.opened + timeout_ - std::chrono::steady_clock::now());
  if (left.count() <= 0) {  // waited its whole time for the batch before it
    asio::post(io_, [self = shared_from_this(), batch = std::move(batch)] {
      self->answered(batch, std::nullopt);
    });
    return;
  }
  command_.clear();
  resp_begin(command_, 3 + b.count + 1 + 3 * b.specs.size());
  resp_arg(command_, b.retried ? std::string_view("EVAL") : std::string_view("EVALSHA"));
  resp_arg(command_, b.retried ? std::string_view(script.source) : std::string_view(script.sha1));
  resp_arg(command_, int64_t(b.count));
  command_ += b.keys;
  resp_arg(command_, b.spec_of);
  for (const Spec& s : b.specs) {
    resp_arg(command_, s.interval);
    resp_arg(command_, s.burst);
    resp_arg(command_, s.cost);
  }
  conn_->command(command_, left,
                 [self = shared_from_this(), batch = std::move(batch)](RedisConn::Reply reply) {
                   self->answered(batch, std::move(reply));
                 });
}

void RateBatcher::answered(const std::shared_ptr<Batch>& batch, RedisConn::Reply reply) {
  if (reply && reply->is_error() && reply->text.compare(0, 8, "NOSCRIPT") == 0 && !batch->retried &&
      !stopped_) {
    batch->retried = true;
    send(batch);
    return;
  }
  bool ok = false;
  if (reply && reply->is_error()) {
    log_warn("state: Redis script gcra failed: " + reply->text);
  } else if (reply) {
    ok = fill(*batch, *reply);
    if (!ok) log_warn("state: Redis script gcra answered something else than its results");
  }
  // Each waiter resumes here, in turn; what it asks for next goes in the next batch.
  --in_flight_;
  std::vector<Group> groups;
  groups.swap(batch->groups);
  for (Group& g : groups) std::move(g.handler)(ok);
  groups.clear();
  groups.swap(batch->groups);  // keeps the vector's capacity with the batch
  batch->clear();
  if (spare_.size() < 4) spare_.push_back(batch);
  if (open_ && !stopped_) post_flush();  // what came while this batch was out
}

bool RateBatcher::fill(Batch& batch, const RedisValue& reply) {
  if (reply.kind != RedisValue::Kind::kArray || reply.items.size() != 4 * batch.count) {
    return false;
  }
  // Checked whole before any result is written: all or none.
  for (const RedisValue& v : reply.items) {
    if (!v.as_int()) return false;
  }
  size_t at = 0;
  for (Group& g : batch.groups) {
    for (size_t i = 0; i < g.count; ++i, at += 4) {
      RateResult& r = g.out[i];
      r = RateResult{};
      r.allowed = *reply.items[at].as_int() == 1;
      r.remaining = *reply.items[at + 1].as_int();
      r.retry_after = Micros(*reply.items[at + 2].as_int());
      r.reset_after = Micros(*reply.items[at + 3].as_int());
    }
  }
  return true;
}

void RateBatcher::shutdown() {
  stopped_ = true;
  if (!open_) return;
  for (Group& g : open_->groups) {
    asio::post(io_, [h = std::move(g.handler)]() mutable { std::move(h)(false); });
  }
  open_.reset();
}

}  // namespace rampart::state
