#include "net/watchdog.h"

namespace rampart::net {

Watch::Watch(Watchdog& dog) : dog_(dog) {
  next_ = dog_.head_;
  if (next_ != nullptr) next_->prev_ = this;
  dog_.head_ = this;
}

Watch::~Watch() {
  if (prev_ != nullptr) {
    prev_->next_ = next_;
  } else {
    dog_.head_ = next_;
  }
  if (next_ != nullptr) next_->prev_ = prev_;
}

void Watch::arm(std::chrono::milliseconds d, int what) {
  deadline_ = Clock::now() + d;
  what_ = what;
  expired_ = false;
}

void Watchdog::sweep(Clock::time_point now) {
  for (Watch* w = head_; w != nullptr; w = w->next_) {
    if (w->deadline_ > now) continue;
    w->expired_ = true;
    w->deadline_ = Clock::time_point::max();
    boost::system::error_code ignored;
    if (w->client != nullptr) w->client->cancel(ignored);
    if (w->upstream != nullptr) w->upstream->cancel(ignored);
  }
}

}  // namespace rampart::net
