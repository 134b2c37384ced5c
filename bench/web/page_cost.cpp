// nws-bench-page-cost: how long the web interface holds the event loop to
// make one page, with a million workspaces, a million variables in one
// workspace, ten million values in one variable and ten thousand
// connections.  Every page is made from the engine on the loop's thread,
// so its time is time the NWS port waits; the target is under 1 ms.
//
// An in-process server (never run: nothing listens for real work), filled
// through the engine, then each page made 1000 times, HTML and all; prints
// the median, the 99th percentile and the worst in microseconds.
//
//   build-bench/bench/nws-bench-page-cost     (bench/web/README.md)
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "server/server.hpp"
#include "server/web/metrics.hpp"
#include "server/web/pages.hpp"
#include "server/web/views.hpp"

namespace {

using namespace nws;
using Clock = std::chrono::steady_clock;

proto::Request request(const std::vector<std::string>& args) {
  proto::Request r;
  for (const auto& a : args) {
    proto::Arg arg;
    arg.bytes = a;
    r.args.push_back(std::move(arg));
  }
  r.info = proto::find_verb(r.args[0].view());
  return r;
}

void time_it(const char* what, const std::function<std::size_t()>& make) {
  std::vector<double> us;
  std::size_t bytes = 0;
  for (int i = 0; i < 1000; ++i) {
    auto t0 = Clock::now();
    bytes = make();
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  std::sort(us.begin(), us.end());
  std::printf("| %s | %.0f | %.0f | %.0f | %zu |\n", what, us[us.size() / 2], us[us.size() * 99 / 100], us.back(),
              bytes);
}

}  // namespace

int main() {
  // The allocator as nws-server tunes it (core/src/server/main.cpp).
  ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 128 << 20);
  server::ServerConfig config;
  config.port = 0;
  config.handle_signals = false;
  config.max_memory = 0;
  server::Server srv(config);
  engine::Engine& e = srv.engine();
  engine::Session& s = e.open_session("127.0.0.1:1");
  auto run = [&](std::vector<std::string> args) { e.execute(s, request(args)); };

  std::fprintf(stderr, "filling: 1,000,000 workspaces ...\n");
  for (int i = 0; i < 1'000'000; ++i) run({"use ws", "ws" + std::to_string(i), "", "no"});
  std::fprintf(stderr, "filling: 1,000,000 variables in 'wide' ...\n");
  run({"use ws", "wide", "", "no"});
  for (int i = 0; i < 1'000'000; ++i) run({"declare var", "wide", "v" + std::to_string(i), "fifo"});
  std::fprintf(stderr, "filling: 10,000,000 values in 'deep'/'q' ...\n");
  run({"use ws", "deep", "", "no"});
  for (int i = 0; i < 10'000'000; ++i) run({"store", "deep", "q", "16777217", std::to_string(i)});
  std::fprintf(stderr, "filling: 10,000 connections, each blocked ...\n");
  std::vector<engine::Session*> others;
  for (int i = 0; i < 10'000; ++i) {
    engine::Session& o = e.open_session("127.0.0.1:" + std::to_string(2 + i));
    e.execute(o, request({"use ws", "deep", "", "no"}));
    e.execute(o, request({"fetch", "deep", "waiting"}));
  }

  server::web::WebInfo web{"127.0.0.1", 8766, 0};
  using namespace server::web;
  // A whole page, as the server sends it: the content in the page's frame.
  auto whole = [](const std::string& content) { return page("page", content, "/doit?partial=1").size(); };
  std::printf("| page (each made 1000 times) | median µs | p99 µs | worst µs | bytes |\n|---|---|---|---|---|\n");
  time_it("workspaces, first page of 1,000,000", [&] { return whole(workspaces_html(workspaces_view(srv, "", 100))); });
  time_it("workspaces, a page in the middle", [&] { return whole(workspaces_html(workspaces_view(srv, "ws500000", 100))); });
  time_it("variables, a page of 1,000,000", [&] {
    return whole(variables_html(variables_view(srv, "wide", "v500000", 100).doc));
  });
  time_it("values, first page of 10,000,000", [&] { return whole(values_html(values_view(srv, "deep", "q", 0, 100).doc)); });
  time_it("values, the last page of 10,000,000", [&] {
    return whole(values_html(values_view(srv, "deep", "q", 9'999'900, 100).doc));
  });
  time_it("variables of 'deep' (10,000 fetchers on one)", [&] {
    return whole(variables_html(variables_view(srv, "deep", "", 100).doc));
  });
  time_it("connections, a page of 10,001", [&] { return whole(connections_html(connections_view(srv, 5000, 100))); });
  time_it("/metrics", [&] { return metrics_text(srv, web).size(); });
  time_it("/api/server", [&] { return server_view(srv, web).dump().size(); });
  return 0;
}
