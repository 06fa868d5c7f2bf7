#include "state/thread_executor.h"

namespace rampart::state {
namespace {
thread_local boost::asio::io_context* t_io = nullptr;
}

void bind_thread_io(boost::asio::io_context* io) { t_io = io; }
boost::asio::io_context* thread_io() { return t_io; }

}  // namespace rampart::state
