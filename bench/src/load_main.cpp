// nws-bench-load: runs one scenario against one target and prints one JSON
// line of results (bench/driver.py collects them into the table).
//
//   nws-bench-load --scenario pairs|handoff|many|fanout|large|memory|idle|stores
//                  --target nws|redis|floor --port P [--server-pid PID]
//                  [--seconds S] [--warmup S] [--conns N] [--size BYTES]
//                  [--iterations K] [--count N] [--tls-ca CA.pem]
//
// --tls-ca: speak TLS to the server (NWS: the client library's TLS; Redis:
// OpenSSL in resp::Conn), trusting that CA; scenarios pairs, handoff and
// large only (bench/tls/).
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>

#include "net.hpp"
#include "scenarios.hpp"

namespace {

using namespace bench;

Options parse(int argc, char** argv) {
  std::map<std::string, std::string> kv;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0 || i + 1 >= argc) throw std::invalid_argument("bad argument: " + k);
    kv[k.substr(2)] = argv[++i];
  }
  auto take = [&](const char* key) -> const std::string* {
    auto it = kv.find(key);
    return it == kv.end() ? nullptr : &it->second;
  };
  Options o;
  if (auto v = take("scenario")) o.scenario = *v;
  if (auto v = take("target")) {
    if (*v == "nws") o.target = Target::nws;
    else if (*v == "redis") o.target = Target::redis;
    else if (*v == "floor") o.target = Target::floor;
    else throw std::invalid_argument("unknown target " + *v);
  }
  if (auto v = take("port")) o.port = static_cast<std::uint16_t>(std::stoi(*v));
  if (auto v = take("server-pid")) o.server_pid = std::stoi(*v);
  if (auto v = take("seconds")) o.seconds = std::stod(*v);
  if (auto v = take("warmup")) o.warmup = std::stod(*v);
  if (auto v = take("conns")) o.conns = std::stoi(*v);
  if (auto v = take("size")) o.size = std::stoull(*v);
  if (auto v = take("iterations")) o.iterations = std::stoi(*v);
  if (auto v = take("count")) o.count = std::stol(*v);
  if (auto v = take("tls-ca")) o.tls_ca = *v;
  for (const char* known : {"scenario", "target", "port", "server-pid", "seconds", "warmup", "conns", "size",
                            "iterations", "count", "tls-ca"})
    kv.erase(known);
  if (!kv.empty()) throw std::invalid_argument("unknown option --" + kv.begin()->first);
  if (o.port == 0) throw std::invalid_argument("--port is required");
  if (!o.tls_ca.empty()) {
    // Only the scenarios whose connections are blocking targets (the client
    // library, resp::Conn) can speak TLS; the epoll generators cannot.
    if (o.scenario != "pairs" && o.scenario != "handoff" && o.scenario != "large")
      throw std::invalid_argument("--tls-ca: only scenarios pairs, handoff and large speak TLS");
    if (o.target == Target::floor) throw std::invalid_argument("--tls-ca: the floor does not speak TLS");
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  try {
    Options o = parse(argc, argv);
    set_tls_ca(o.tls_ca);
    raise_fd_limit();
    Results r;
    if (o.scenario == "pairs") r = run_pairs(o);
    else if (o.scenario == "handoff") r = run_handoff(o);
    else if (o.scenario == "many") r = run_many(o);
    else if (o.scenario == "fanout") r = run_fanout(o);
    else if (o.scenario == "large") r = run_large(o);
    else if (o.scenario == "memory") r = run_memory(o);
    else if (o.scenario == "idle") r = run_idle(o);
    else if (o.scenario == "stores") r = run_stores(o);
    else throw std::invalid_argument("unknown scenario '" + o.scenario + "'");
    std::printf("%s\n", r.json().c_str());
    std::fflush(stdout);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nws-bench-load: %s\n", e.what());
    std::fflush(stderr);
    ::_exit(1);  // a helper thread may still be blocked on a socket
  }
}
