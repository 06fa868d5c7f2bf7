#pragma once
// GCRA (the generic cell rate algorithm), the arithmetic alone: one stored time per key, the
// "theoretical arrival time" (TAT) at which the key's bucket would be full again. The memory
// store runs it under a shard lock; the Redis store runs the same steps in a Lua script
// (redis_scripts.cpp), so both answer alike.
//
// A limit of `count` per `period` with a `burst` is an emission interval T = period / count and
// a tolerance of T * burst: `burst` requests may arrive at once on a fresh key, then one per T.

#include <cstdint>

#include "state/clock.h"

namespace rampart::state {

struct Gcra {
  Micros interval{1'000'000};  // T: period / count, at least 1 us
  int64_t burst = 1;           // requests allowed at once, at least 1
};

struct RateResult {
  // False when the shared store did not answer in time and the configuration says fail closed:
  // the caller refuses the request (503) rather than guess.
  bool ok = true;
  bool allowed = true;
  int64_t remaining = 0;  // requests that could still be made at this instant
  Micros retry_after{0};  // when denied: until the request would be allowed
  Micros reset_after{0};  // until the full burst is available again
  bool local = false;     // answered from this instance's state (shared store unreachable)
};

struct GcraStep {
  RateResult result;
  int64_t new_tat = 0;  // to store (with a lifetime of new_tat - now) when allowed
};

// One request of weight `cost` (0 asks without taking) at `now`, for a key whose stored TAT is
// `tat` (0 or any time in the past for a fresh key). All times in microseconds.
inline GcraStep gcra_step(int64_t tat, int64_t now, const Gcra& limit, int64_t cost) {
  const int64_t t = limit.interval.count() > 0 ? limit.interval.count() : 1;
  const int64_t burst = limit.burst > 0 ? limit.burst : 1;
  const int64_t tolerance = t * burst;
  if (cost < 0) cost = 0;
  if (tat < now) tat = now;
  GcraStep step;
  step.new_tat = tat;
  const int64_t new_tat = tat + t * cost;
  const int64_t allow_at = new_tat - tolerance;
  if (cost > burst || allow_at > now) {
    step.result.allowed = false;
    // A cost above the burst can never pass: say so with the longest honest wait.
    step.result.retry_after = Micros(cost > burst ? tolerance : allow_at - now);
    int64_t left = now + tolerance - tat;
    step.result.remaining = left > 0 ? left / t : 0;
    step.result.reset_after = Micros(tat - now);
    return step;
  }
  step.new_tat = new_tat;
  step.result.allowed = true;
  step.result.remaining = (now + tolerance - new_tat) / t;
  step.result.reset_after = Micros(new_tat - now);
  return step;
}

}  // namespace rampart::state
