// Blocking and non-blocking TCP helpers shared by every target, so the Redis
// and floor sides use the same socket code (the NWS side goes through the
// client library, which is what we measure).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace bench {

struct NetError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Connects to 127.0.0.1:port; blocking, TCP_NODELAY, close-on-exec.
int connect_loopback(std::uint16_t port);
// A listening socket on 127.0.0.1:port (0: any); returns the fd, port set.
int listen_loopback(std::uint16_t& port);
void set_nonblocking(int fd);
void set_nodelay(int fd);

// Writes everything (blocking fd).  Two parts go out in one sendmsg, like
// the NWS client's header + value.
void send_all(int fd, std::string_view a, std::string_view b = {}, std::string_view c = {});
// One recv on a blocking fd; throws on error or end of stream.
std::size_t recv_some(int fd, char* buf, std::size_t n);

// The soft descriptor limit raised to the hard one (10,000 connections).
void raise_fd_limit();
// VmRSS of a process, in KiB (0 if unreadable).
long rss_kib(pid_t pid);

}  // namespace bench
