// The worker: join (SLEIGH.md §4), sentinel (§7), and the loop over the
// worker's inbox (§6.1), calling the host only to run a chunk.
#include <signal.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <thread>

#include "nws/sleigh.hpp"
#include "sleigh/count_text.hpp"
#include "sleigh/spill.hpp"

namespace nws::sleigh {
namespace {

std::string now_text() {
  std::time_t t = std::time(nullptr);
  char buf[64];
  std::tm tm{};
  localtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S %Y", &tm);
  return buf;
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

// The sentinel: its own connection, blocked in `find 'Sleigh ride over'`.
// The master's stop stores that variable: say bye and end the process
// group.  The master's death purges the workspace (or, with a server inside
// the master, drops the connection): the find fails; end the group too.
// A thread, not a process: it needs no interpreter lock, so it works while
// the host language is busy in a task, and it dies with the worker.
// `stopping` tells the worker's loop that the sleigh is being stopped, so
// that the failures its last requests meet then are not reported.
void sentinel(ConnectOptions o, std::string ws_name, std::string spill_dir, const std::atomic<bool>& finished,
              std::atomic<bool>& stopping) {
  Wait w;
  w.should_cancel = [&finished] { return finished.load(); };
  try {
    Server conn(o);
    Workspace ws = conn.use_ws(ws_name, false);
    ws.find(var::ride_over, w);
    stopping = true;
    try {
      ws.store(var::bye, Value::text("1"));
    } catch (const Error&) {
    }
  } catch (const Error&) {
    if (finished) return;  // the worker's own loop ended first: nothing to kill
    // The master died: nobody else will remove its large chunks' files.
    detail::remove_spill_dir(spill_dir);
  }
  std::fflush(nullptr);
  kill(0, SIGKILL);  // this process group: the worker and whatever it started
  _exit(1);
}

}  // namespace

int run_worker(const WorkerEnv& env, const WorkerHooks& hooks) {
  if (!hooks.run) throw Error(Errc::invalid_argument, "sleigh worker: no task runner");
  // A process group of our own, so the sentinel's kill reaches exactly
  // this worker and its children (fails harmlessly if we lead one already).
  if (getpgrp() != getpid()) setsid();
  if (!env.working_dir.empty() && chdir(env.working_dir.c_str()) != 0)
    throw Error(Errc::invalid_argument, "sleigh worker: cannot change to the working directory " + env.working_dir);

  ConnectOptions o;
  o.host = env.host;
  o.port = env.port;
  Server conn(o);
  Workspace ws = conn.use_ws(env.sleigh_ws, false);

  // The join: rankCount, a single-mode variable, is the mutex; we hold it
  // until our registration is complete.
  Value got = ws.fetch(var::rank_count);
  const std::int64_t rank = detail::parse_count(got.bytes, var::rank_count, "sleigh worker");
  if (rank < 0) {
    ws.store(var::rank_count, got);
    std::fprintf(stderr, "sleigh worker: too late to join %s (the group is closed)\n", env.sleigh_ws.c_str());
    return 2;
  }
  const int r = static_cast<int>(rank);
  // Our own workspace: its purge when we go tells the master at once.
  Workspace mine = conn.open_ws(worker_ws_name(env.sleigh_ws, r));
  (void)mine;

  const std::string display = (env.name.empty() ? host_name() : env.name) + "@" + std::to_string(r);
  ws.declare(display, Mode::single);
  ws.store(display, Value::text("0"));
  Value nodes = ws.fetch(var::node_list);
  ws.store(var::node_list, Value::text(nodes.bytes.empty() ? display : nodes.bytes + " " + display));

  struct utsname u {};
  uname(&u);
  std::string info = "rank=" + std::to_string(r) + "\nhost=" + host_name() + "\npid=" + std::to_string(getpid()) +
                     "\nid=" + std::to_string(env.id) + "\nname=" + display + "\nos=" + u.sysname + " " + u.release +
                     "\nlanguage=" + hooks.language + "\nnws=" + std::string(version()) + "\nlogfile=" +
                     (env.worker_out.empty() ? "" : env.log_dir + "/" + env.worker_out);
  ws.store(var::worker_info, Value::text(info));

  // The group closes only once this worker is fully registered (worker
  // info included): whoever sees the group closed sees every member.
  if (env.worker_count >= 0 && rank + 1 >= env.worker_count) {
    ws.store(var::worker_count, Value::text(std::to_string(env.worker_count)));
    ws.store(var::rank_count, Value::text("-1"));
  } else {
    ws.store(var::rank_count, Value::text(std::to_string(rank + 1)));
  }
  std::atomic<bool> finished{false};
  std::atomic<bool> stopping{false};
  std::thread watch([o, name = env.sleigh_ws, spill = env.spill_dir, &finished, &stopping] {
    sentinel(o, name, spill, finished, stopping);
  });
  int status = 0;
  auto log_error = [&](const std::string& text) {
    try {
      ws.store(var::log_error, Value::text("[" + now_text() + "] " + display + " worker -- " + text));
    } catch (const Error&) {
    }
  };
  try {
    const std::int64_t count = detail::parse_count(ws.find(var::worker_count).bytes, var::worker_count, "sleigh worker");
    if (hooks.joined) hooks.joined(r, static_cast<int>(count));
    Result joined;
    joined.kind = ResultKind::joined;
    joined.rank = r;
    joined.count = count;
    joined.payload = info;
    ws.store(var::result, kEnvelopeDescriptor, encode(joined));

    std::map<std::string, std::string, std::less<>> functions;
    std::int64_t done = 0;
    const std::string inbox = var::inbox(r);
    for (;;) {
      Value v = ws.fetch(inbox);
      Task t = decode_task(v.bytes);
      auto fit = functions.find(t.function);
      if (fit == functions.end())
        fit = functions.emplace(std::string(t.function), ws.find(var::function(t.function)).bytes).first;
      std::optional<detail::MappedFile> mapped;
      TaskRun run{t.job, t.tag, t.count, t.barrier, r, t.function, fit->second, t.payload};
      Result res;
      res.job = t.job;
      res.tag = t.tag;
      res.count = t.count;
      res.rank = r;
      TaskOutcome out;
      const auto start = std::chrono::steady_clock::now();
      try {
        if (t.spilled) {
          mapped.emplace(std::string(t.payload));
          run.payload = mapped->view();
        }
        out = hooks.run(run);
        res.kind = ResultKind::value;
        res.failed = out.failed;
        res.payload = out.payload;
      } catch (const std::exception& e) {
        out.payload = e.what();
        out.log = e.what();
        res.kind = ResultKind::failed;
        res.failed = static_cast<std::uint32_t>(t.count);
        res.payload = out.payload;
      }
      res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      ws.store(var::result, kEnvelopeDescriptor, encode(res));
      if (!out.log.empty()) log_error(out.log);
      done += t.count;
      ws.store(display, Value::text(std::to_string(done)));
      if (t.barrier) ws.find(var::barrier(t.barrier_index));
    }
  } catch (const Error& e) {
    // The sleigh is gone: the normal end of a worker whose sentinel has not
    // ended it first.  Said only when the master did not stop the sleigh
    // (it died, or the workspace was deleted by someone else): after a
    // stop it is no news, and would only clutter the master's terminal.
    if (!stopping) {
      std::fprintf(stderr, "sleigh worker %s: %s\n", display.c_str(), e.what());
      // The master is gone (nobody else removes its large chunks' files),
      // and this loop may have seen it before the sentinel did: the
      // sentinel then stands down, so the files go here.
      detail::remove_spill_dir(env.spill_dir);
    }
    status = 0;
  } catch (...) {
    finished = true;
    watch.join();
    throw;
  }
  finished = true;
  watch.join();
  return status;
}

}  // namespace nws::sleigh
