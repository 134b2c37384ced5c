#include "server/config.hpp"

#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace nws::server {

std::string default_spool_parent() {
  const char* t = std::getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}

std::uint64_t default_max_memory() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return 0;  // unknown: no limit
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) / 2;
}

std::uint64_t default_max_spool(const std::string& dir) {
  struct statvfs fs {};
  if (::statvfs(dir.c_str(), &fs) != 0) return 0;  // unknown: no limit
  return static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize / 10 * 9;
}

std::size_t default_max_connections() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY) return 10'000;
  const auto fds = static_cast<std::size_t>(lim.rlim_cur);
  // The listener, the epoll and event descriptors, the log, the spool
  // directory's files being finished: a reserve of 32.
  return fds > 34 ? (fds - 32) / 2 : 1;
}

}  // namespace nws::server
