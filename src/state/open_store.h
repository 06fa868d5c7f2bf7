#pragma once
// The store a configuration names. Opening the same options again (a reload that keeps the
// `state` setting) gives back the store already open, so that limits, counters, bans and
// sessions survive SIGHUP; other options give a new store, and the old one lives on until the
// last pipeline that uses it is gone.

#include <memory>

#include "common/status.h"
#include "state/options.h"
#include "state/store.h"

namespace rampart::state {

StatusOr<std::shared_ptr<Store>> open_store(const StateOptions& options);

}  // namespace rampart::state
