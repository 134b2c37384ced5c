#include "server/log.hpp"

#include <cstdio>
#include <ctime>

namespace nws::server {
namespace {
LogLevel g_level = LogLevel::info;
constexpr const char* kNames[] = {"error", "warn", "info", "debug"};
}  // namespace

bool parse_log_level(std::string_view name, LogLevel& out) {
  for (int i = 0; i < 4; ++i)
    if (name == kNames[i]) { out = static_cast<LogLevel>(i); return true; }
  return false;
}

void set_log_level(LogLevel level) { g_level = level; }
bool log_enabled(LogLevel level) { return level <= g_level; }

void log_line(LogLevel level, std::string_view text) {
  std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", std::localtime(&now));
  std::fprintf(stderr, "%s nws-server %s: %.*s\n", stamp, kNames[static_cast<int>(level)],
               static_cast<int>(text.size()), text.data());
}

}  // namespace nws::server
