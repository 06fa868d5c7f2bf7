#pragma once
// The gateway's local admin socket: a Unix socket (mode 0600, so only the gateway's own user can
// use it) that answers `rampart bans list` and `rampart bans remove`. One request per
// connection: a line "bans list" or "bans remove KEY", answered with one JSON document
// ({"bans":[...]}, {"removed":[...]} or {"error":"..."}) and the connection closes.
//
// It runs on the first worker's io_context, so that a ban lifted here goes through that
// worker's connection to a shared (Redis) store like any other operation. A path that another
// live gateway already serves is left to it (with a warning); a stale socket file is replaced.

#include <string>

#include "net/worker.h"

namespace rampart::net {

// Starts serving `path` on `w`'s io_context; false (after logging why) when it cannot.
bool start_admin_socket(Worker& w, const std::string& path);
// Removes the socket file (at exit).
void remove_admin_socket(const std::string& path);

// The answer to one request line (exposed for the unit tests). Runs on a worker's io_context.
boost::asio::awaitable<std::string> admin_answer(state::Store& store, std::string line);

}  // namespace rampart::net
