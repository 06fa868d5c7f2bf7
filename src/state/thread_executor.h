#pragma once
// The io_context of the calling worker thread. The gateway runs one io_context per worker
// thread; the Redis store keeps one connection per such thread, and work that a guard starts
// outside a coroutine (counting a failed login in on_complete) is spawned here. Threads that
// are not workers have none.

#include <boost/asio/io_context.hpp>

namespace rampart::state {

// Called by each worker thread before it runs its io_context (and by tests).
void bind_thread_io(boost::asio::io_context* io);
// Null outside a worker thread.
boost::asio::io_context* thread_io();

}  // namespace rampart::state
