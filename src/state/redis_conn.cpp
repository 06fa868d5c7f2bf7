#include "state/redis_conn.h"

#include <hiredis/read.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <utility>

#include "common/logging.h"
#include "state/resp.h"

namespace rampart::state {

namespace asio = boost::asio;

namespace {

// Where a reply value goes: the connection's slot for a whole reply, or its place in the array
// that holds it (create_array sized the array first).
RedisValue* place(const redisReadTask* task) {
  if (task->parent == nullptr) {
    auto* root = static_cast<RedisValue*>(task->privdata);
    *root = RedisValue{};
    return root;
  }
  auto* parent = static_cast<RedisValue*>(task->parent->obj);
  return &parent->items[size_t(task->idx)];
}

asio::awaitable<RedisConn::Reply> no_reply() { co_return std::nullopt; }

}  // namespace

void* RedisConn::create_string(const redisReadTask* task, char* s, size_t len) {
  RedisValue* v = place(task);
  v->kind = task->type == REDIS_REPLY_ERROR    ? RedisValue::Kind::kError
            : task->type == REDIS_REPLY_STATUS ? RedisValue::Kind::kStatus
                                               : RedisValue::Kind::kString;
  v->text.assign(s, len);
  return v;
}

void* RedisConn::create_array(const redisReadTask* task, int n) {
  RedisValue* v = place(task);
  v->kind = RedisValue::Kind::kArray;
  v->items.resize(size_t(std::max(n, 0)));
  return v;
}

void* RedisConn::create_integer(const redisReadTask* task, long long n) {
  RedisValue* v = place(task);
  v->kind = RedisValue::Kind::kInteger;
  v->integer = n;
  return v;
}

void* RedisConn::create_nil(const redisReadTask* task) {
  RedisValue* v = place(task);
  v->kind = RedisValue::Kind::kNil;
  return v;
}

RedisConn::RedisConn(asio::io_context& io, RedisEndpoint endpoint, Hooks hooks)
    : io_(io),
      endpoint_(std::move(endpoint)),
      hooks_(std::move(hooks)),
      socket_(io),
      deadline_timer_(io),
      retry_timer_(io),
      connect_timer_(io),
      backoff_(endpoint_.backoff_min) {}

RedisConn::~RedisConn() {
  if (reader_ != nullptr) redisReaderFree(reader_);
}

void RedisConn::new_reader() {
  static redisReplyObjectFunctions functions = {&RedisConn::create_string, &RedisConn::create_array,
                                                &RedisConn::create_integer, &RedisConn::create_nil,
                                                &RedisConn::free_object};
  if (reader_ != nullptr) redisReaderFree(reader_);
  reader_ = redisReaderCreateWithFunctions(&functions);
  if (reader_ != nullptr) reader_->privdata = &slot_;
}

void RedisConn::start() {
  if (state_ == State::kDown) connect();
}

void RedisConn::connect() {
  state_ = State::kConnecting;
  ++generation_;
  socket_ = asio::ip::tcp::socket(io_);
  new_reader();
  out_.clear();
  writing_.clear();
  write_in_flight_ = false;
  flush_posted_ = false;
  subscribed_ = false;
  pending_.clear();  // answered already by fail_all()
  if (reader_ == nullptr) {
    schedule_reconnect("out of memory");
    return;
  }
  boost::system::error_code ec;
  asio::ip::tcp::endpoint ep(asio::ip::make_address(endpoint_.ip, ec), endpoint_.port);
  if (ec) {
    schedule_reconnect("not an address: " + endpoint_.ip);
    return;
  }
  // What every connection says first; commands given while connecting queue behind it.
  if (!endpoint_.password.empty()) send({"AUTH", endpoint_.password});
  if (endpoint_.db != 0) send({"SELECT", std::to_string(endpoint_.db)});
  for (const auto& cmd : hooks_.setup) {
    Pending p;
    p.kind = Pending::Kind::kSetup;
    p.deadline = std::chrono::steady_clock::now() + endpoint_.connect_timeout;
    enqueue(cmd, std::move(p));
  }
  connect_timer_.expires_after(endpoint_.connect_timeout);
  connect_timer_.async_wait([self = shared_from_this(), gen = generation_](auto ec) {
    if (ec || gen != self->generation_ || self->state_ != State::kConnecting) return;
    self->lost("connection timed out");
  });
  socket_.async_connect(ep, [self = shared_from_this(), gen = generation_](auto ec) {
    if (gen != self->generation_) return;
    if (ec) {
      self->lost(ec.message());
      return;
    }
    self->connected();
  });
}

void RedisConn::connected() {
  connect_timer_.cancel();
  state_ = State::kReady;
  backoff_ = endpoint_.backoff_min;
  boost::system::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  read_more();
  if (hooks_.on_ready) hooks_.on_ready(*this);
  flush();
}

void RedisConn::lost(const std::string& why) {
  if (state_ == State::kStopped) return;
  ++generation_;
  boost::system::error_code ignored;
  socket_.close(ignored);
  connect_timer_.cancel();
  deadline_timer_.cancel();
  deadline_armed_ = false;
  fail_all();
  schedule_reconnect(why);
}

void RedisConn::schedule_reconnect(const std::string& why) {
  if (state_ == State::kStopped) return;
  state_ = State::kDown;
  if (hooks_.on_down) hooks_.on_down(why);
  retry_timer_.expires_after(backoff_);
  backoff_ = std::min(backoff_ * 2, endpoint_.backoff_max);
  retry_timer_.async_wait([self = shared_from_this()](auto ec) {
    if (ec || self->state_ != State::kDown) return;
    self->connect();
  });
}

void RedisConn::shutdown() {
  state_ = State::kStopped;
  ++generation_;
  retry_timer_.cancel();
  connect_timer_.cancel();
  deadline_timer_.cancel();
  deadline_armed_ = false;
  boost::system::error_code ignored;
  socket_.close(ignored);
  fail_all();
}

std::function<void(RedisConn::Reply)> RedisConn::Pending::take() {
  if (handler) {
    // std::function needs a copyable target: the move-only handler goes in a shared_ptr.
    auto h = std::make_shared<Handler>(std::move(*handler));
    handler.reset();
    return [h](Reply r) { std::move (*h)(std::move(r)); };
  }
  return std::exchange(callback, nullptr);
}

void RedisConn::fail_all() {
  std::deque<Pending> gone;
  gone.swap(pending_);
  for (auto& p : gone) {
    // Posted: a waiter resumes from the event loop, never inside the step that failed it. When
    // the io_context is being destroyed, the posted handler is destroyed instead of run.
    if (p.handler) {
      asio::post(io_, [h = std::move(*p.handler)]() mutable { std::move(h)(Reply{}); });
    } else if (p.callback) {
      asio::post(io_, [cb = std::move(p.callback)] { cb(Reply{}); });
    }
  }
}

void RedisConn::enqueue(std::string_view resp, Pending p) {
  out_ += resp;
  pending_.push_back(std::move(p));
  if (state_ == State::kReady && !write_in_flight_ && !flush_posted_) {
    // Written once the io_context has run what is ready now: the commands of this turn go
    // together.
    flush_posted_ = true;
    asio::post(io_, [self = shared_from_this(), gen = generation_] {
      if (gen != self->generation_) return;
      self->flush_posted_ = false;
      self->flush();
    });
  }
}

void RedisConn::flush() {
  if (state_ != State::kReady || write_in_flight_ || out_.empty()) return;
  writing_.swap(out_);
  out_.clear();
  write_in_flight_ = true;
  asio::async_write(socket_, asio::buffer(writing_),
                    [self = shared_from_this(), gen = generation_](auto ec, size_t) {
                      if (gen != self->generation_) return;
                      self->write_in_flight_ = false;
                      if (ec) {
                        self->lost(ec.message());
                        return;
                      }
                      self->writing_.clear();
                      self->flush();  // what came while this was written
                    });
}

void RedisConn::read_more() {
  socket_.async_read_some(asio::buffer(in_), [self = shared_from_this(), gen = generation_](
                                                 auto ec, size_t n) {
    if (gen != self->generation_) return;
    if (ec) {
      self->lost(ec == asio::error::eof ? std::string("connection closed by Redis") : ec.message());
      return;
    }
    if (redisReaderFeed(self->reader_, self->in_.data(), n) != REDIS_OK) {
      self->lost("out of memory");
      return;
    }
    for (;;) {
      void* reply = nullptr;
      if (redisReaderGetReply(self->reader_, &reply) != REDIS_OK) {
        self->lost(std::string("protocol error: ") + self->reader_->errstr);
        return;
      }
      if (reply == nullptr) break;
      RedisValue v = std::move(self->slot_);
      self->deliver(std::move(v));
      if (gen != self->generation_) return;  // lost, or shut down by what the reply resumed
    }
    self->read_more();
  });
}

void RedisConn::deliver(RedisValue&& v) {
  if (subscribed_) {
    if (hooks_.on_message) hooks_.on_message(v);
    return;
  }
  if (pending_.empty()) {
    lost("Redis sent a reply to no command");
    return;
  }
  Pending p = std::move(pending_.front());
  pending_.pop_front();
  switch (p.kind) {
    case Pending::Kind::kWaiter:
      if (p.handler) {
        std::move (*p.handler)(Reply(std::move(v)));
      } else if (p.callback) {
        p.callback(Reply(std::move(v)));
      }
      break;
    case Pending::Kind::kSetup:
      if (v.is_error()) log_warn("state: Redis refused a setup command: " + v.text);
      break;
    case Pending::Kind::kSubscribe:
      subscribed_ = true;
      if (hooks_.on_message) hooks_.on_message(v);
      break;
  }
}

void RedisConn::arm_deadline(TimePoint at) {
  if (deadline_armed_ && deadline_at_ <= at) return;
  deadline_armed_ = true;
  deadline_at_ = at;
  deadline_timer_.expires_at(at);
  deadline_timer_.async_wait([self = shared_from_this(), gen = generation_](auto ec) {
    if (ec || gen != self->generation_) return;
    self->deadline_armed_ = false;
    self->on_deadline();
  });
}

void RedisConn::on_deadline() {
  const TimePoint now = std::chrono::steady_clock::now();
  if (!pending_.empty() && pending_.front().deadline + kStall <= now) {
    lost("Redis did not answer within " + std::to_string(kStall.count() / 1'000'000) +
         " s of the deadline");
    return;
  }
  std::vector<std::function<void(Reply)>> due;
  TimePoint next = TimePoint::max();
  for (auto& p : pending_) {
    if (!p.waiting()) continue;
    if (p.deadline <= now) {
      due.push_back(p.take());  // its reply, when it comes, is dropped
    } else {
      next = std::min(next, p.deadline);
    }
  }
  if (!pending_.empty()) next = std::min(next, pending_.front().deadline + kStall);
  if (next != TimePoint::max()) arm_deadline(next);
  for (auto& answer : due) answer(Reply{});
}

asio::awaitable<RedisConn::Reply> RedisConn::command(std::string_view resp, Micros timeout) {
  if (state_ != State::kReady && state_ != State::kConnecting) return no_reply();
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(Reply)>(
      [this, resp, timeout](Handler handler) {
        if (state_ != State::kReady && state_ != State::kConnecting) {
          asio::post(io_, [h = std::move(handler)]() mutable { std::move(h)(Reply{}); });
          return;
        }
        Pending p;
        p.deadline = std::chrono::steady_clock::now() + timeout;
        p.handler.emplace(std::move(handler));
        const TimePoint deadline = p.deadline;
        enqueue(resp, std::move(p));
        arm_deadline(deadline);
      },
      asio::use_awaitable);
}

asio::awaitable<RedisConn::Reply> RedisConn::command(const std::vector<std::string>& args,
                                                     Micros timeout) {
  thread_local std::string buffer;
  buffer.clear();
  resp_command(buffer, args);
  return command(std::string_view(buffer), timeout);
}

void RedisConn::command(std::string_view resp, Micros timeout, std::function<void(Reply)> done) {
  if (state_ != State::kReady && state_ != State::kConnecting) {
    asio::post(io_, [done = std::move(done)] { done(Reply{}); });
    return;
  }
  Pending p;
  p.deadline = std::chrono::steady_clock::now() + timeout;
  p.callback = std::move(done);
  const TimePoint deadline = p.deadline;
  enqueue(resp, std::move(p));
  arm_deadline(deadline);
}

bool RedisConn::send(const std::vector<std::string>& args, bool subscribe) {
  if (state_ != State::kReady && state_ != State::kConnecting) return false;
  std::string cmd;
  resp_command(cmd, args);
  Pending p;
  p.kind = subscribe ? Pending::Kind::kSubscribe : Pending::Kind::kSetup;
  p.deadline = std::chrono::steady_clock::now() + endpoint_.connect_timeout;
  enqueue(cmd, std::move(p));
  return true;
}

}  // namespace rampart::state
