#pragma once
// The operational log: start-up, reloads, upstream failures, warnings. One line per message on
// standard error, "rampart: level: message", written whole under a lock so that lines from
// different threads never interleave. (The access log is a guard of its own.)

#include <string_view>

namespace rampart {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void set_log_level(LogLevel level);
bool log_enabled(LogLevel level);
void log_line(LogLevel level, std::string_view message);

inline void log_info(std::string_view m) { log_line(LogLevel::kInfo, m); }
inline void log_warn(std::string_view m) { log_line(LogLevel::kWarn, m); }
inline void log_error(std::string_view m) { log_line(LogLevel::kError, m); }

}  // namespace rampart
