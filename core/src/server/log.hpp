// Levelled logging to stderr for the server program.  The core libraries
// never log; only the server does.
#pragma once

#include <string_view>

#include <fmt/format.h>

namespace nws::server {

enum class LogLevel { error = 0, warn = 1, info = 2, debug = 3 };
bool parse_log_level(std::string_view name, LogLevel& out);
void set_log_level(LogLevel level);
bool log_enabled(LogLevel level);
void log_line(LogLevel level, std::string_view text);

template <typename... A>
void log(LogLevel level, fmt::format_string<A...> f, A&&... args) {
  if (log_enabled(level)) log_line(level, fmt::format(f, std::forward<A>(args)...));
}

}  // namespace nws::server
