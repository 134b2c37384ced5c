#include "server/log.hpp"

#include <cstdio>
#include <ctime>

namespace nws::server {
namespace {
LogSink g_sink;
LogLevel g_level = LogLevel::info;
constexpr std::string_view kNames[] = {"error", "warn", "info", "debug"};
}  // namespace

bool parse_log_level(std::string_view name, LogLevel& out) {
  for (int i = 0; i < 4; ++i)
    if (name == kNames[i]) { out = static_cast<LogLevel>(i); return true; }
  return false;
}

std::string_view log_level_name(LogLevel level) { return kNames[static_cast<int>(level)]; }

void set_log_sink(LogSink sink, LogLevel level) {
  g_sink = std::move(sink);
  g_level = level;
}

bool log_enabled(LogLevel level) { return g_sink && level <= g_level; }

void log_line(LogLevel level, std::string_view text) {
  if (g_sink) g_sink(level, text);
}

void log_to_stderr(LogLevel level, std::string_view text) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
  const std::string_view name = log_level_name(level);
  std::fprintf(stderr, "%s nws-server %.*s: %.*s\n", stamp, static_cast<int>(name.size()), name.data(),
               static_cast<int>(text.size()), text.data());
}

}  // namespace nws::server
