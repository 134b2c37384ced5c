// Levelled logging for the server.  Lines go to a sink: nws-server writes
// them to stderr; an embedded server (nws::LocalServer) logs nothing unless
// its host sets a sink, because the core never prints on its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

#include <utility>

#include <fmt/format.h>

namespace nws::server {

enum class LogLevel { error = 0, warn = 1, info = 2, debug = 3 };
bool parse_log_level(std::string_view name, LogLevel& out);
std::string_view log_level_name(LogLevel level);

// Receives each line that passes the level; set before the server starts.
using LogSink = std::function<void(LogLevel, std::string_view)>;
void set_log_sink(LogSink sink, LogLevel level);
// The sink nws-server uses: "2026-12-06 06:03:35 nws-server info: text" on stderr.
void log_to_stderr(LogLevel level, std::string_view text);

bool log_enabled(LogLevel level);
void log_line(LogLevel level, std::string_view text);

template <typename... A>
void log(LogLevel level, fmt::format_string<A...> f, A&&... args) {
  if (log_enabled(level)) log_line(level, fmt::format(f, std::forward<A>(args)...));
}

// Bounds a repeating log line (accept failures, refused connections) to one
// per period: note() runs `emit` at most once a period, and the line after
// a quiet spell says how many were held back.
class LogRate {
 public:
  explicit LogRate(std::chrono::seconds period = std::chrono::seconds(10)) : period_(period) {}

  // `emit(held_back)`: the number of lines not emitted since the last one.
  template <typename F>
  void note(F&& emit) {
    const auto now = std::chrono::steady_clock::now();
    if (emitted_once_ && now - last_ < period_) {
      ++held_back_;
      return;
    }
    emitted_once_ = true;
    last_ = now;
    emit(std::exchange(held_back_, 0));
  }

 private:
  std::chrono::seconds period_;
  std::chrono::steady_clock::time_point last_{};
  bool emitted_once_ = false;
  std::uint64_t held_back_ = 0;
};

}  // namespace nws::server
