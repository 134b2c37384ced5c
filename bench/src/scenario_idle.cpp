// Scenario 7: o.conns idle connections.  Each is opened and completes one
// exchange (NWS: the handshake; Redis: PING) so the server has fully set it
// up, then stays silent.  Reported: the server's RSS before and after, and
// scenario 1 (store + fetch pairs on one more connection) run beside them.
#include <unistd.h>

#include <stdexcept>
#include <vector>

#include "clock.hpp"
#include "multi_conn.hpp"
#include "net.hpp"
#include "nws_wire.hpp"
#include "scenarios.hpp"

namespace bench {

Results run_idle(const Options& o) {
  if (o.server_pid <= 0) throw std::invalid_argument("idle needs --server-pid");
  if (o.target == Target::floor) throw std::invalid_argument("idle has no floor");
  raise_fd_limit();

  const long rss_before = rss_kib(o.server_pid);
  std::vector<int> idle;
  idle.reserve(static_cast<std::size_t>(o.conns));
  const std::uint64_t t0 = now_ns();
  Step ping;
  resp::append_command(ping.request, {"PING"});
  ReplyReader reader(o.target);
  for (int i = 0; i < o.conns; ++i) {
    if (o.target == Target::nws) {
      idle.push_back(nwsw::connect_and_handshake(o.port));
    } else {
      idle.push_back(connect_loopback(o.port));
      exchange(idle.back(), ping, reader);
    }
  }
  const double open_secs = static_cast<double>(now_ns() - t0) / 1e9;
  const long rss_after = rss_kib(o.server_pid);

  Results r;
  r.set("idle_conns", o.conns);
  r.set("open_s", open_secs);
  r.set("rss_before_MB", static_cast<double>(rss_before) * 1024 / 1e6);
  r.set("rss_after_MB", static_cast<double>(rss_after) * 1024 / 1e6);
  r.set("rss_growth_MB", static_cast<double>(rss_after - rss_before) * 1024 / 1e6);
  r.set("rss_KiB_per_conn", static_cast<double>(rss_after - rss_before) / o.conns);

  auto t = make_blocking_target(o.target, o.port, Pattern::ping_pong, o.size);
  measure_pairs(*t, o, r);
  for (int fd : idle) ::close(fd);
  return r;
}

}  // namespace bench
