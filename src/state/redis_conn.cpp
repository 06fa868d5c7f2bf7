#include "state/redis_conn.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/logging.h"

namespace rampart::state {

namespace asio = boost::asio;

namespace {

struct Pending {
  explicit Pending(asio::io_context& io) : timer(io) {}
  std::optional<RedisValue> value;
  asio::steady_timer timer;
};

void on_reply(redisAsyncContext*, void* reply, void* privdata) {
  auto* holder = static_cast<std::shared_ptr<Pending>*>(privdata);
  if (reply != nullptr) (*holder)->value = copy_reply(static_cast<redisReply*>(reply));
  (*holder)->timer.cancel();
  delete holder;
}

void on_setup_reply(redisAsyncContext*, void* reply, void*) {
  auto* r = static_cast<redisReply*>(reply);
  if (r != nullptr && r->type == REDIS_REPLY_ERROR) {
    log_warn("state: Redis refused a setup command: " + std::string(r->str, r->len));
  }
}

}  // namespace

RedisConn::RedisConn(asio::io_context& io, RedisEndpoint endpoint, Hooks hooks)
    : io_(io),
      endpoint_(std::move(endpoint)),
      hooks_(std::move(hooks)),
      retry_timer_(io),
      connect_timer_(io),
      backoff_(endpoint_.backoff_min) {}

RedisConn::~RedisConn() = default;

void RedisConn::start() {
  if (state_ == State::kDown && ac_ == nullptr) connect();
}

void RedisConn::connect() {
  state_ = State::kConnecting;
  // Non-blocking: the address is numeric, so hiredis does not resolve, and it connects with
  // O_NONBLOCK; the first writable event says whether the connection was made.
  ac_ = redisAsyncConnect(endpoint_.ip.c_str(), endpoint_.port);
  if (ac_ == nullptr) {
    schedule_reconnect("out of memory");
    return;
  }
  if (ac_->err) {
    std::string why = ac_->errstr;
    redisAsyncFree(ac_);
    ac_ = nullptr;
    schedule_reconnect(why);
    return;
  }
  ++generation_;
  sd_.emplace(io_, ac_->c.fd);
  ac_->data = this;
  ac_->ev.data = this;
  ac_->ev.addRead = &RedisConn::hook_add_read;
  ac_->ev.delRead = &RedisConn::hook_del_read;
  ac_->ev.addWrite = &RedisConn::hook_add_write;
  ac_->ev.delWrite = &RedisConn::hook_del_write;
  ac_->ev.cleanup = &RedisConn::hook_cleanup;
  redisAsyncSetDisconnectCallback(ac_, &RedisConn::on_disconnect);
  redisAsyncSetConnectCallback(ac_, &RedisConn::on_connect);  // arms the first write wait
  connect_timer_.expires_after(endpoint_.connect_timeout);
  connect_timer_.async_wait([self = shared_from_this(), gen = generation_](auto ec) {
    if (ec || gen != self->generation_ || self->state_ != State::kConnecting) return;
    if (self->ac_ != nullptr) {
      redisAsyncContext* ac = self->ac_;
      self->ac_ = nullptr;
      redisAsyncFree(ac);  // calls the cleanup hook: the descriptor leaves Asio first
    }
    self->schedule_reconnect("connection timed out");
  });
}

void RedisConn::schedule_reconnect(const std::string& why) {
  for (auto& w : connect_waiters_) {
    if (auto t = w.lock()) t->cancel();
  }
  connect_waiters_.clear();
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
  retry_timer_.cancel();
  connect_timer_.cancel();
  if (ac_ != nullptr) {
    redisAsyncContext* ac = ac_;
    ac_ = nullptr;
    redisAsyncFree(ac);  // pending commands get a null reply; cleanup releases the descriptor
  }
  release_descriptor();
}

void RedisConn::release_descriptor() {
  want_read_ = want_write_ = false;
  read_armed_ = write_armed_ = false;
  ++generation_;
  if (sd_) {
    // Asio forgets the descriptor (pending waits end with operation_aborted) without closing
    // it: hiredis closes it.
    sd_->release();
    sd_.reset();
  }
}

void RedisConn::wait_readable() {
  if (read_armed_ || !sd_) return;
  read_armed_ = true;
  sd_->async_wait(asio::posix::descriptor_base::wait_read,
                  [self = shared_from_this(), gen = generation_](auto ec) {
                    if (gen != self->generation_) return;
                    self->read_armed_ = false;
                    if (ec || self->ac_ == nullptr || !self->want_read_) return;
                    redisAsyncHandleRead(self->ac_);  // may free the context (on_disconnect)
                    if (gen == self->generation_ && self->ac_ != nullptr && self->want_read_) {
                      self->wait_readable();
                    }
                  });
}

void RedisConn::wait_writable() {
  if (write_armed_ || !sd_) return;
  write_armed_ = true;
  sd_->async_wait(asio::posix::descriptor_base::wait_write,
                  [self = shared_from_this(), gen = generation_](auto ec) {
                    if (gen != self->generation_) return;
                    self->write_armed_ = false;
                    if (ec || self->ac_ == nullptr || !self->want_write_) return;
                    redisAsyncHandleWrite(self->ac_);
                    if (gen == self->generation_ && self->ac_ != nullptr && self->want_write_) {
                      self->wait_writable();
                    }
                  });
}

void RedisConn::hook_add_read(void* p) {
  auto* self = static_cast<RedisConn*>(p);
  self->want_read_ = true;
  self->wait_readable();
}

void RedisConn::hook_del_read(void* p) { static_cast<RedisConn*>(p)->want_read_ = false; }

void RedisConn::hook_add_write(void* p) {
  auto* self = static_cast<RedisConn*>(p);
  self->want_write_ = true;
  self->wait_writable();
}

void RedisConn::hook_del_write(void* p) { static_cast<RedisConn*>(p)->want_write_ = false; }

void RedisConn::hook_cleanup(void* p) {
  auto* self = static_cast<RedisConn*>(p);
  self->ac_ = nullptr;
  self->release_descriptor();
}

void RedisConn::on_connect(const redisAsyncContext* ac, int status) {
  auto* self = static_cast<RedisConn*>(ac->data);
  if (status != REDIS_OK) {
    // hiredis frees the context when this returns.
    std::string why = ac->errstr != nullptr ? ac->errstr : "connection failed";
    self->ac_ = nullptr;
    self->schedule_reconnect(why);
    return;
  }
  self->connect_timer_.cancel();
  self->state_ = State::kReady;
  self->backoff_ = self->endpoint_.backoff_min;
  if (!self->endpoint_.password.empty()) self->send({"AUTH", self->endpoint_.password});
  if (self->endpoint_.db != 0) self->send({"SELECT", std::to_string(self->endpoint_.db)});
  if (self->hooks_.on_ready) self->hooks_.on_ready(*self);
  for (auto& w : self->connect_waiters_) {
    if (auto t = w.lock()) t->cancel();
  }
  self->connect_waiters_.clear();
}

void RedisConn::on_disconnect(const redisAsyncContext* ac, int status) {
  auto* self = static_cast<RedisConn*>(ac->data);
  std::string why = status == REDIS_OK                     ? "connection closed"
                    : ac->errstr != nullptr && *ac->errstr ? ac->errstr
                                                           : "connection lost";
  self->ac_ = nullptr;  // freed when this returns
  if (self->state_ == State::kStopped) return;
  // The lost connection's descriptor is released by the cleanup hook; reconnect later.
  asio::post(self->io_, [s = self->shared_from_this(), why] { s->schedule_reconnect(why); });
  self->state_ = State::kDown;
}

bool RedisConn::send(const std::vector<std::string>& args, bool subscribe) {
  if (ac_ == nullptr) return false;
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  redisCallbackFn* fn = &on_setup_reply;
  void* priv = nullptr;
  if (subscribe) {
    fn = [](redisAsyncContext* ac, void* reply, void*) {
      auto* self = static_cast<RedisConn*>(ac->data);
      if (reply == nullptr || self == nullptr || !self->hooks_.on_message) return;
      self->hooks_.on_message(copy_reply(static_cast<redisReply*>(reply)));
    };
  }
  return redisAsyncCommandArgv(ac_, fn, priv, int(argv.size()), argv.data(), lens.data()) ==
         REDIS_OK;
}

asio::awaitable<std::optional<RedisValue>> RedisConn::command(std::vector<std::string> args,
                                                              Micros timeout) {
  if (state_ == State::kConnecting) {
    // The first commands of a worker meet its connection being made: wait for it, within the
    // same time limit.
    auto waiter = std::make_shared<asio::steady_timer>(io_);
    waiter->expires_after(timeout);
    connect_waiters_.push_back(waiter);
    co_await waiter->async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (state_ != State::kReady || ac_ == nullptr) co_return std::nullopt;
  auto pending = std::make_shared<Pending>(io_);
  pending->timer.expires_after(timeout);
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* holder = new std::shared_ptr<Pending>(pending);
  if (redisAsyncCommandArgv(ac_, &on_reply, holder, int(argv.size()), argv.data(), lens.data()) !=
      REDIS_OK) {
    delete holder;
    co_return std::nullopt;
  }
  // Ends when the reply cancels the timer, or when the time is up (the reply, if it comes
  // later, is dropped).
  co_await pending->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return std::move(pending->value);
}

}  // namespace rampart::state
