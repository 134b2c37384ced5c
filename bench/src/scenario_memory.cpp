// Scenario 6: server memory per stored small value.  One connection stores
// o.count values of o.size bytes into one variable (NWS store, Redis LPUSH),
// pipelined 1000 requests at a time, and the server's VmRSS is read before
// and after.  For Redis, INFO's used_memory is reported too, but the
// comparison is RSS against RSS.
#include <stdexcept>
#include <string>

#include "multi_conn.hpp"
#include "net.hpp"
#include "nws/client.hpp"
#include "resp.hpp"
#include "scenarios.hpp"

namespace bench {

namespace {

constexpr int kBatch = 1000;
constexpr const char* kVar = "mem";

std::int64_t redis_used_memory(resp::Conn& c) {
  std::string info(c.call({"INFO", "memory"}).last_bulk());
  auto at = info.find("used_memory:");
  if (at == std::string::npos) throw std::runtime_error("INFO memory without used_memory");
  return std::stoll(info.substr(at + 12));
}

}  // namespace

Results run_memory(const Options& o) {
  if (o.server_pid <= 0) throw std::invalid_argument("memory needs --server-pid");
  if (o.target == Target::floor) throw std::invalid_argument("memory has no floor");
  const std::string value(o.size, 'x');
  const long batches = (o.count + kBatch - 1) / kBatch;
  const long stored = batches * kBatch;

  std::string batch;
  const Step one = store_step(o.target, kVar, value);
  for (int i = 0; i < kBatch; ++i) batch += one.request;

  Results r;
  long rss_before = 0, rss_after = 0;
  if (o.target == Target::nws) {
    nws::Workspace ctl(kWorkspace, client_options(o.port));
    nwsw::Conn c(o.port);
    c.call(nwsw::request({"open ws", kWorkspace, "nws-bench-load", "no"}), nwsw::Kind::short_reply);
    rss_before = rss_kib(o.server_pid);
    for (long b = 0; b < batches; ++b) {
      c.send(batch);
      for (int i = 0; i < kBatch; ++i) c.read_reply(nwsw::Kind::short_reply);
    }
    rss_after = rss_kib(o.server_pid);
    std::int64_t values = -1;
    for (const nws::VarInfo& v : ctl.list_vars().rows)
      if (v.name == kVar) values = v.values;
    if (values != stored) throw std::runtime_error("the variable holds " + std::to_string(values) + " values");
  } else {
    resp::Conn c(o.port);
    const std::int64_t used_before = redis_used_memory(c);
    rss_before = rss_kib(o.server_pid);
    for (long b = 0; b < batches; ++b) {
      c.send_raw(batch);
      for (int i = 0; i < kBatch; ++i) c.read_reply();
    }
    rss_after = rss_kib(o.server_pid);
    const std::int64_t used_after = redis_used_memory(c);
    if (c.call({"LLEN", kVar}).integer() != stored) throw std::runtime_error("the list has the wrong length");
    r.set("used_memory_MB_per_million",
          static_cast<double>(used_after - used_before) / 1e6 * (1e6 / static_cast<double>(stored)));
  }
  const double growth_bytes = static_cast<double>(rss_after - rss_before) * 1024.0;
  r.set("rss_MB_per_million", growth_bytes / 1e6 * (1e6 / static_cast<double>(stored)));
  r.set("rss_bytes_per_value", growth_bytes / static_cast<double>(stored));
  r.set("values", static_cast<double>(stored));
  return r;
}

}  // namespace bench
