// The worker: join (SLEIGH.md §4), sentinel (§7), and the loop over the
// worker's inbox (§6.1), calling the host only to run a chunk or, for a
// portable chunk, one element at a time.
#include <signal.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>

#include "nws/sleigh.hpp"
#include "nws/sleigh_tasks.hpp"
#include "client/quiet_thread.hpp"
#include "sleigh/count_text.hpp"
#include "sleigh/portable_chunk.hpp"
#include "sleigh/worker_session.hpp"

namespace nws::sleigh {
namespace detail {
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
    remove_spill_dir(spill_dir);
  }
  std::fflush(nullptr);
  kill(0, SIGKILL);  // this process group: the worker and whatever it started
  _exit(1);
}

}  // namespace

WorkerSession::WorkerSession(const WorkerEnv& env, const std::string& language, const std::string& description,
                             const std::function<void(int, int)>& joined)
    : env_(env) {
  if (!language.empty() && !env.language.empty() && language_id(env.language) != language)
    throw Error(Errc::invalid_argument, "sleigh worker: this is a " + language + " worker, but the sleigh " +
                                            env.sleigh_ws + " launched it for " + env.language +
                                            " tasks (start that language's worker program)");
  // A process group of our own, so the sentinel's kill reaches exactly
  // this worker and its children (fails harmlessly if we lead one already).
  if (getpgrp() != getpid()) setsid();
  if (!env.working_dir.empty() && chdir(env.working_dir.c_str()) != 0)
    throw Error(Errc::invalid_argument, "sleigh worker: cannot change to the working directory " + env.working_dir);

  options_.host = env.host;
  options_.port = env.port;
  conn_.emplace(options_);
  try {
    join(description, joined);
  } catch (const Error& e) {
    if (sentinel_.joinable()) {  // joined: the caller hears of it
      finished_ = true;
      sentinel_.join();
      throw;
    }
    // The sleigh ended (its workspace is gone) before this worker was in:
    // nothing to do, as for a worker too late to join.
    std::fprintf(stderr, "sleigh worker: could not join %s: %s\n", env.sleigh_ws.c_str(), e.what());
    too_late_ = over_ = true;
  }
}

void WorkerSession::join(const std::string& description, const std::function<void(int, int)>& joined) {
  const WorkerEnv& env = env_;
  ws_.emplace(conn_->use_ws(env.sleigh_ws, false));
  Workspace& ws = *ws_;

  // The join: rankCount, a single-mode variable, is the mutex; we hold it
  // until our registration is complete.
  Value got = ws.fetch(var::rank_count);
  const std::int64_t rank = parse_count(got.bytes, var::rank_count, "sleigh worker");
  if (rank < 0) {
    ws.store(var::rank_count, got);
    std::fprintf(stderr, "sleigh worker: too late to join %s (the group is closed)\n", env.sleigh_ws.c_str());
    too_late_ = over_ = true;
    return;
  }
  rank_ = static_cast<int>(rank);
  // Our own workspace: its purge when we go tells the master at once.
  (void)conn_->open_ws(worker_ws_name(env.sleigh_ws, rank_));

  display_ = (env.name.empty() ? host_name() : env.name) + "@" + std::to_string(rank_);
  ws.declare(display_, Mode::single);
  ws.store(display_, Value::text("0"));
  Value nodes = ws.fetch(var::node_list);
  ws.store(var::node_list, Value::text(nodes.bytes.empty() ? display_ : nodes.bytes + " " + display_));

  struct utsname u {};
  uname(&u);
  std::string info = "rank=" + std::to_string(rank_) + "\nhost=" + host_name() + "\npid=" + std::to_string(getpid()) +
                     "\nid=" + std::to_string(env.id) + "\nname=" + display_ + "\nos=" + u.sysname + " " +
                     u.release + "\nlanguage=" + description + "\nnws=" + std::string(version()) +
                     "\nlogfile=" + (env.worker_out.empty() ? "" : env.log_dir + "/" + env.worker_out);
  ws.store(var::worker_info, Value::text(info));

  // The group closes only once this worker is fully registered (worker
  // info included): whoever sees the group closed sees every member.
  if (env.worker_count >= 0 && rank + 1 >= env.worker_count) {
    ws.store(var::worker_count, Value::text(std::to_string(env.worker_count)));
    ws.store(var::rank_count, Value::text("-1"));
  } else {
    ws.store(var::rank_count, Value::text(std::to_string(rank + 1)));
  }
  sentinel_ = nws::detail::quiet_thread([o = options_, name = env.sleigh_ws, spill = env.spill_dir, this] {
    sentinel(o, name, spill, finished_, stopping_);
  });
  try {
    count_ = static_cast<int>(parse_count(ws.find(var::worker_count).bytes, var::worker_count, "sleigh worker"));
    if (joined) joined(rank_, count_);
    Result ready;
    ready.kind = ResultKind::joined;
    ready.rank = rank_;
    ready.count = count_;
    ready.payload = info;
    ws.store(var::result, kEnvelopeDescriptor, encode(ready));
  } catch (const Error& e) {
    ended(e);
  } catch (...) {
    finished_ = true;
    sentinel_.join();
    throw;
  }
}

WorkerSession::~WorkerSession() {
  finished_ = true;
  if (sentinel_.joinable()) sentinel_.join();
}

void WorkerSession::ended(const Error& e) {
  // The sleigh is gone: the normal end of a worker whose sentinel has not
  // ended it first.  Said only when the master did not stop the sleigh
  // (it died, or the workspace was deleted by someone else): after a
  // stop it is no news, and would only clutter the master's terminal.
  over_ = true;
  if (!stopping_) {
    std::fprintf(stderr, "sleigh worker %s: %s\n", display_.c_str(), e.what());
    // The master is gone (nobody else removes its large chunks' files),
    // and this loop may have seen it before the sentinel did: the
    // sentinel then stands down, so the files go here.
    remove_spill_dir(env_.spill_dir);
  }
}

std::optional<TaskRun> WorkerSession::next() {
  mapped_.reset();
  current_.reset();
  while (!over_) {
    try {
      current_ = ws_->fetch(var::inbox(rank_));
      task_ = decode_task(current_->bytes);
      auto fit = functions_.find(task_.function);
      if (fit == functions_.end())
        fit = functions_.emplace(std::string(task_.function), ws_->find(var::function(task_.function)).bytes).first;
      TaskRun run{task_.job, task_.tag, task_.count, task_.barrier, rank_, task_.function, fit->second, task_.payload};
      started_ = std::chrono::steady_clock::now();
      if (task_.spilled) {
        try {
          mapped_.emplace(std::string(task_.payload));
        } catch (const Error& e) {
          fail(e.what());
          continue;
        }
        run.payload = mapped_->view();
      }
      return run;
    } catch (const Error& e) {
      ended(e);
    }
  }
  return std::nullopt;
}

void WorkerSession::settle(Result& res, const std::string& log) {
  res.job = task_.job;
  res.tag = task_.tag;
  res.count = task_.count;
  res.rank = rank_;
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  try {
    ws_->store(var::result, kEnvelopeDescriptor, encode(res));
    if (!log.empty()) log_error(log);
    done_ += task_.count;
    ws_->store(display_, Value::text(std::to_string(done_)));
    if (task_.barrier) ws_->find(var::barrier(task_.barrier_index));
  } catch (const Error& e) {
    ended(e);
  }
  mapped_.reset();
  current_.reset();
}

void WorkerSession::finish(const TaskOutcome& out) {
  Result res;
  res.kind = ResultKind::value;
  res.failed = out.failed;
  res.payload = out.payload;
  settle(res, out.log);
}

void WorkerSession::fail(const std::string& message) {
  Result res;
  res.kind = ResultKind::failed;
  res.failed = static_cast<std::uint32_t>(task_.count);
  res.payload = message;
  settle(res, message);
}

void WorkerSession::log_error(const std::string& text) {
  try {
    ws_->store(var::log_error, Value::text("[" + now_text() + "] " + display_ + " worker -- " + text));
  } catch (const Error&) {
  }
}

}  // namespace detail

int run_worker(const WorkerEnv& env, const WorkerHooks& hooks) {
  if (!hooks.run && !hooks.call) throw Error(Errc::invalid_argument, "sleigh worker: no task runner");
  detail::WorkerSession session(env, hooks.language_id, hooks.language, hooks.joined);
  if (session.too_late()) return 2;
  detail::PortableChunks portable(hooks.language_id);
  while (auto t = session.next()) {
    try {
      if (is_function_spec(t->function)) {
        if (!hooks.call) throw Error(Errc::invalid_argument, "this worker runs no portable tasks");
        TaskOutcome out = portable.run(*t, [&](const PortableCall& c) { return hooks.call(c); });
        session.finish(out);
      } else {
        if (!hooks.run)
          throw Error(Errc::invalid_argument, "a " + hooks.language_id +
                                                  " worker runs only portable tasks (named functions); this chunk is "
                                                  "another language's serialised function");
        session.finish(hooks.run(*t));
      }
    } catch (const std::exception& e) {
      session.fail(e.what());
    }
  }
  return 0;
}

}  // namespace nws::sleigh
