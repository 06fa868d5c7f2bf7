#pragma once
// Time for the state store: microseconds since the Unix epoch, behind a seam so that limits,
// windows, bans and expiry are tested without sleeping. Wall time (not a steady clock) because
// bans are shown to people and shared between hosts; a step of the wall clock shifts the
// limits in flight by the size of the step, no more.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace rampart::state {

using Micros = std::chrono::microseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Micros now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Micros now() const override {
    return std::chrono::duration_cast<Micros>(std::chrono::system_clock::now().time_since_epoch());
  }
};

// The process's wall clock (a static object: never destroyed before its users).
inline const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

// A clock that moves only when told to (tests, benchmarks). Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Micros start = Micros(1'700'000'000'000'000)) : now_(start.count()) {}
  Micros now() const override { return Micros(now_.load(std::memory_order_relaxed)); }
  void advance(Micros d) { now_.fetch_add(d.count(), std::memory_order_relaxed); }
  void set(Micros t) { now_.store(t.count(), std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace rampart::state
