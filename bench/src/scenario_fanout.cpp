// Scenario 4: fan-out.  N connections wait for one variable (NWS: blocked
// `find`; Redis: SUBSCRIBE), then one more connection stores (PUBLISH) a
// small value.  Timed: from just before the store is sent until the last of
// the N has its whole reply.  Floor: N connections, one message that the
// floor server copies to each of them (the NWS find reply's size).
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <thread>
#include <vector>

#include "clock.hpp"
#include "floor_wire.hpp"
#include "multi_conn.hpp"
#include "net.hpp"
#include "nws/client.hpp"
#include "scenarios.hpp"

namespace bench {

namespace {

constexpr const char* kVar = "fan";

// Polls `ready` until it holds, for at most 5 s.
template <class F>
void await(F ready, const char* what) {
  const std::uint64_t give_up = now_ns() + seconds_to_ns(5);
  while (!ready()) {
    if (now_ns() > give_up) throw std::runtime_error(std::string("timed out waiting for ") + what);
    std::this_thread::yield();
  }
}

}  // namespace

Results run_fanout(const Options& o) {
  const std::string value(o.size, 'x');
  const auto n = static_cast<std::size_t>(o.conns);
  std::vector<int> receivers;
  std::vector<ReplyReader> readers(n, ReplyReader(o.target));
  Poller poller;

  // Control connections, outside the timed part: NWS through the client
  // library (listing, emptying the variable), Redis through RESP.
  std::optional<nws::Workspace> nws_ctl;
  std::optional<resp::Conn> redis_ctl;
  if (o.target == Target::nws) nws_ctl.emplace(kWorkspace, client_options(o.port));
  if (o.target == Target::redis) redis_ctl.emplace(o.port);

  Step wait_step;  // what each receiver sends to start waiting (NWS), or expects (floor)
  if (o.target == Target::nws) wait_step = {nwsw::request({"find", kWorkspace, kVar}), nwsw::Kind::long_reply, 0};
  if (o.target == Target::floor) wait_step.floor_bytes = nwsw::long_reply_size(value.size());

  for (std::size_t i = 0; i < n; ++i) {
    int fd = open_connection(o.target, o.port);
    if (o.target == Target::redis) {
      // Subscribed once for the whole run; the confirmation is its reply.
      Step sub;
      resp::append_command(sub.request, {"SUBSCRIBE", kVar});
      exchange(fd, sub, readers[i]);
    }
    set_nonblocking(fd);
    poller.add(fd, i);
    receivers.push_back(fd);
  }
  if (o.target == Target::redis)
    await([&] { return redis_ctl->call({"PUBSUB", "NUMSUB", kVar}).integer() == o.conns; }, "subscribers");

  // The sender: its request, sent whole with one send while the clock runs.
  const int sender = open_connection(o.target, o.port);
  Step send_step;
  ReplyReader sender_reader(o.target);
  switch (o.target) {
    case Target::nws: send_step = store_step(o.target, kVar, value); break;
    case Target::redis: resp::append_command(send_step.request, {"PUBLISH", kVar, value}); break;
    case Target::floor:
      send_step.request = floor::message(nwsw::store_request_size(kWorkspace, kVar, value.size()),
                                         wait_step.floor_bytes, floor::Route::others);
      break;
  }

  std::vector<char> buf(64 * 1024);
  Latencies lat;
  const int warm_rounds = std::max(3, o.iterations / 10);
  for (int round = 0; round < warm_rounds + o.iterations; ++round) {
    for (std::size_t i = 0; i < n; ++i) {
      readers[i].start(wait_step);
      if (o.target == Target::nws) send_fully(receivers[i], wait_step.request);
    }
    if (o.target == Target::nws)
      await([&] {
        for (const nws::VarInfo& v : nws_ctl->list_vars().rows)
          if (v.name == kVar) return v.finders == o.conns;
        return false;
      }, "blocked finders");

    const std::uint64_t t0 = now_ns();
    send_fully(sender, send_step.request);
    std::size_t waiting = n;
    std::uint64_t last = 0;
    const std::uint64_t give_up = t0 + seconds_to_ns(10);
    while (waiting > 0) {
      poller.wait(100, [&](std::uint64_t i) {
        if (readers[i].done()) throw std::runtime_error("a receiver got more than one reply");
        ssize_t got = ::recv(receivers[i], buf.data(), buf.size(), 0);
        if (got < 0 && (errno == EAGAIN || errno == EINTR)) return;
        if (got <= 0) throw NetError("a receiver's connection closed");
        if (readers[i].feed(buf.data(), static_cast<std::size_t>(got)) != static_cast<std::size_t>(got))
          throw std::runtime_error("a receiver got more than one reply");
        if (!readers[i].done()) return;
        last = now_ns();
        readers[i].check();
        --waiting;
      });
      if (now_ns() > give_up) throw std::runtime_error("receivers still waiting 10 s after the store");
    }
    if (round >= warm_rounds) lat.add(last - t0);

    // Outside the clock: the sender's own reply, and (NWS) empty the
    // variable so the next round's finds block again.
    if (o.target != Target::floor) {
      sender_reader.start(send_step);
      read_reply(sender, sender_reader);
    }
    if (o.target == Target::nws && !nws_ctl->fetch_try(kVar)) throw std::runtime_error("the stored value vanished");
  }
  for (int fd : receivers) ::close(fd);
  ::close(sender);

  Results r;
  r.set("p50_us", lat.percentile_us(50));
  r.set("p99_us", lat.percentile_us(99));
  r.set("receivers", o.conns);
  r.set("rounds", o.iterations);
  r.note("generator", "single-threaded epoll, raw wire protocol");
  return r;
}

}  // namespace bench
