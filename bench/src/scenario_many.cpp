// Scenario 3: N connections, each alternating store and fetch of a small
// value on its own variable, each with exactly one request outstanding,
// all driven from one epoll loop.  Reports aggregate requests/s (a store
// and a fetch are two requests) and the latency of single requests.
//
// Scenario 8 (`stores`) is the same with stores only: run against servers
// that keep what they are given on disk (a durable nws-server, Redis with
// appendonly), it measures what durability costs per acknowledged store
// (bench/durable/).
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <vector>

#include "clock.hpp"
#include "multi_conn.hpp"
#include "net.hpp"
#include "scenarios.hpp"

namespace bench {

namespace {
struct Busy {
  int fd = -1;
  Step steps[2];  // store, fetch
  int next = 0;
  int count = 2;  // steps in use: 1 stores only
  std::uint64_t sent_at = 0;
  ReplyReader reader;
  explicit Busy(Target t) : reader(t) {}
};
}  // namespace

Results run_many(const Options& o) { return run_many_steps(o, false); }
Results run_stores(const Options& o) { return run_many_steps(o, true); }

Results run_many_steps(const Options& o, bool stores_only) {
  const std::string value(o.size, 'x');
  std::vector<Busy> conns;
  conns.reserve(static_cast<std::size_t>(o.conns));
  Poller poller;
  for (int i = 0; i < o.conns; ++i) {
    Busy& c = conns.emplace_back(o.target);
    const std::string var = "v" + std::to_string(i);
    c.fd = open_connection(o.target, o.port);
    set_nonblocking(c.fd);
    c.steps[0] = store_step(o.target, var, value);
    c.steps[1] = fetch_step(o.target, var, value.size());
    c.count = stores_only ? 1 : 2;
    poller.add(c.fd, static_cast<std::uint64_t>(i));
  }

  auto issue = [](Busy& c) {
    const Step& s = c.steps[c.next];
    c.reader.start(s);
    c.sent_at = now_ns();
    send_fully(c.fd, s.request);
  };

  const std::uint64_t warm_end = now_ns() + seconds_to_ns(o.warmup);
  const std::uint64_t end = warm_end + seconds_to_ns(o.seconds);
  const std::uint64_t give_up = end + seconds_to_ns(10);
  Latencies lat;
  std::vector<char> buf(64 * 1024);
  std::size_t outstanding = conns.size();
  for (Busy& c : conns) issue(c);

  while (outstanding > 0) {
    poller.wait(100, [&](std::uint64_t tag) {
      Busy& c = conns[tag];
      ssize_t n = ::recv(c.fd, buf.data(), buf.size(), 0);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
      if (n <= 0) throw NetError("a connection closed during the run");
      if (c.reader.feed(buf.data(), static_cast<std::size_t>(n)) != static_cast<std::size_t>(n))
        throw std::runtime_error("received more than one reply");
      if (!c.reader.done()) return;
      const std::uint64_t t = now_ns();
      c.reader.check();
      if (t >= warm_end && t <= end) lat.add(t - c.sent_at);
      --outstanding;
      if (t < end) {
        c.next = (c.next + 1) % c.count;
        issue(c);
        ++outstanding;
      }
    });
    if (now_ns() > give_up) throw std::runtime_error("replies still missing 10 s after the end");
  }
  for (Busy& c : conns) ::close(c.fd);

  Results r;
  r.set("requests_per_s", static_cast<double>(lat.count()) / o.seconds);
  r.set("p50_us", lat.percentile_us(50));
  r.set("p99_us", lat.percentile_us(99));
  r.set("conns", o.conns);
  r.note("generator", "single-threaded epoll, raw wire protocol");
  return r;
}

}  // namespace bench
