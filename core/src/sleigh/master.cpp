// The master: workspaces, launch, the collector and the watchers, dispatch
// of chunks to the workers' inboxes, requeueing on a worker's death, stop.
#include <algorithm>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "client/defaults.hpp"
#include "client/quiet_thread.hpp"
#include "sleigh/count_text.hpp"
#include "sleigh/spill.hpp"
#include "sleigh/state.hpp"

namespace nws::sleigh {
namespace detail {
namespace {

using std::chrono::steady_clock;

// Cancelled when the sleigh stops; otherwise waits for ever.
Wait until_stopping(const std::atomic<bool>& stopping) {
  Wait w;
  w.should_cancel = [&stopping] { return stopping.load(); };
  return w;
}

}  // namespace

// ---- dispatch: chunks to inboxes --------------------------------------------

std::vector<Send> SleighState::dispatch(std::vector<Finish>& after) {
  std::vector<Send> out;
  if (pending.empty()) return out;
  const std::size_t depth = static_cast<std::size_t>(std::max(options.inbox_depth, 1));
  std::deque<ChunkRef> keep;
  bool room = true;
  for (ChunkRef& ref : pending) {
    Chunk& c = *ref.chunk;
    if (c.done) continue;
    WorkerRec* w = nullptr;
    if (c.target >= 0) {
      // eachWorker: its own worker, whatever that worker already holds.
      auto it = workers.find(c.target);
      if (it == workers.end() || !it->second.alive) {
        ChunkResult r;
        r.first = c.first;
        r.count = c.count;
        r.status = ChunkStatus::lost;
        r.payload = "worker " + std::to_string(c.target) + " died before its eachWorker task";
        r.rank = c.target;
        complete(c, *ref.job, std::move(r), after);
        continue;
      }
      w = &it->second;
    } else if (room) {
      // The live worker holding the fewest chunks, if it has room.
      for (auto& [rank, rec] : workers)
        if (rec.alive && rec.assigned.size() < depth && (!w || rec.assigned.size() < w->assigned.size())) w = &rec;
      room = w != nullptr;
    }
    if (!w) {
      keep.push_back(std::move(ref));
      continue;
    }
    c.assigned = w->rank;
    out.push_back(Send{w->rank, ref.job, &c.envelope});
    w->assigned.push_back(std::move(ref));
  }
  pending = std::move(keep);
  return out;
}

void SleighState::send(const std::vector<Send>& sends) {
  for (const Send& s : sends) {
    try {
      ws->store(var::inbox(s.rank), kEnvelopeDescriptor, *s.envelope);
    } catch (const Error& e) {
      if (stopping) return;
      std::vector<Finish> after;
      {
        std::lock_guard lock(mu);
        fail_everything(std::string("the sleigh's connection failed: ") + e.what(), after);
      }
      cv.notify_all();
      finish(after);
      return;
    }
  }
}

// ---- results ---------------------------------------------------------------------

void SleighState::complete(Chunk& c, JobState& j, ChunkResult r, std::vector<Finish>& after) {
  if (c.done) return;
  c.done = true;
  if (!c.spill_file.empty()) {
    unlink(c.spill_file.c_str());
    c.spill_file.clear();
  }
  if (r.status == ChunkStatus::ok && r.count > 0) {
    j.seconds += r.seconds;
    j.measured += r.count;
  }
  c.result = std::move(r);
  ++j.done_count;
  j.arrived.push_back(&c);
  if (j.complete() && !j.finished) {
    j.finished = true;
    Finish f;
    if (j.each_worker) f.release_barrier = j.barrier_index;
    f.function_id = j.function_id;
    after.push_back(std::move(f));
    jobs.erase(j.id);
  }
}

void SleighState::fail_everything(const std::string& why, std::vector<Finish>& after) {
  if (!fatal) fatal = why;
  pending.clear();
  for (auto& [rank, w] : workers) w.assigned.clear();
  auto all = jobs;  // complete() erases finished jobs
  for (auto& [id, j] : all) {
    for (auto& c : j->chunks) {
      if (c->done) continue;
      ChunkResult r;
      r.first = c->first;
      r.count = c->count;
      r.status = ChunkStatus::failed;
      r.payload = why;
      complete(*c, *j, std::move(r), after);
    }
  }
}

void SleighState::finish(const std::vector<Finish>& after) {
  for (const Finish& f : after) {
    try {
      if (f.release_barrier) ws->store(var::barrier(*f.release_barrier), Value::text("1"));
    } catch (const Error&) {
    }
    release_function(f.function_id);
  }
}

void SleighState::register_function(const std::string& id, std::string_view bytes) {
  std::lock_guard lock(fun_mu);
  if (function_refs[id]++ == 0) {
    try {
      ws->declare(var::function(id), Mode::single);
      ws->store(var::function(id), kEnvelopeDescriptor, bytes);
    } catch (...) {
      --function_refs[id];
      throw;
    }
  }
}

void SleighState::release_function(const std::string& id) {
  if (id.empty()) return;
  std::lock_guard lock(fun_mu);
  auto it = function_refs.find(id);
  if (it == function_refs.end() || --it->second > 0) return;
  function_refs.erase(it);
  try {
    if (!stopping) ws->delete_var(var::function(id));
  } catch (const Error&) {
  }
}

void SleighState::add_total(std::int64_t elements) {
  std::lock_guard lock(monitor_mu);
  std::int64_t total;
  {
    std::lock_guard l2(mu);
    total_elements += elements;
    total = total_elements;
  }
  try {
    ws->store(var::total_tasks, Value::text(std::to_string(total)));
  } catch (const Error&) {
    // Monitoring only: a failed connection shows up in the next real call.
  }
}

// The collector: the one reader of `result`.
void SleighState::collect() {
  std::optional<Server> conn;
  std::optional<Workspace> rws;
  try {
    conn.emplace(worker_facing);
    rws.emplace(conn->use_ws(ws_name, false));
  } catch (const Error& e) {
    std::vector<Finish> after;
    {
      std::lock_guard lock(mu);
      fail_everything(std::string("sleigh: the result collector could not connect: ") + e.what(), after);
    }
    cv.notify_all();
    finish(after);
    return;
  }
  const Wait wait = until_stopping(stopping);
  for (;;) {
    Value v;
    try {
      v = rws->fetch(var::result, wait);
    } catch (const Error& e) {
      if (stopping) return;
      std::vector<Finish> after;
      {
        std::lock_guard lock(mu);
        fail_everything(std::string("sleigh: lost the result variable: ") + e.what(), after);
      }
      cv.notify_all();
      finish(after);
      return;
    }
    Result r;
    try {
      r = decode_result(v.bytes);
    } catch (const Error& e) {
      try {
        ws->store(var::log_error, Value::text(std::string("master -- ") + e.what()));
      } catch (const Error&) {
      }
      continue;
    }
    std::vector<Send> sends;
    std::vector<Finish> after;
    {
      std::lock_guard lock(mu);
      switch (r.kind) {
        case ResultKind::joined: {
          if (r.count >= 0) final_count = static_cast<int>(r.count);
          auto [it, fresh] = workers.try_emplace(r.rank);
          if (fresh) {
            it->second.rank = r.rank;
            it->second.watcher = nws::detail::quiet_thread([this, rank = r.rank] { watch(rank); });
          }
          break;
        }
        case ResultKind::value:
        case ResultKind::failed: {
          auto jit = jobs.find(r.job);
          if (jit == jobs.end()) break;  // a duplicate of a finished job's chunk
          std::shared_ptr<JobState> held = jit->second;  // complete() may drop the map's reference
          JobState& j = *held;
          auto cit = std::lower_bound(j.chunks.begin(), j.chunks.end(), r.tag,
                                      [](const std::unique_ptr<Chunk>& c, std::int64_t tag) { return c->first < tag; });
          if (cit == j.chunks.end() || (*cit)->first != r.tag || (*cit)->done) break;  // duplicate
          Chunk& c = **cit;
          auto wit = workers.find(c.assigned);
          if (wit != workers.end()) {
            auto& a = wit->second.assigned;
            a.erase(std::remove_if(a.begin(), a.end(), [&](const ChunkRef& x) { return x.chunk == &c; }), a.end());
          }
          c.assigned = -1;
          ChunkResult cr;
          cr.first = c.first;
          cr.count = c.count;
          cr.status = r.kind == ResultKind::value ? ChunkStatus::ok : ChunkStatus::failed;
          cr.payload.assign(r.payload);
          cr.rank = r.rank;
          cr.failed = r.failed;
          cr.seconds = r.seconds;
          complete(c, j, std::move(cr), after);
          break;
        }
        case ResultKind::died: {
          auto it = workers.find(r.rank);
          if (it == workers.end() || !it->second.alive) break;
          WorkerRec& w = it->second;
          w.alive = false;
          // Its chunks go back to the front of the queue, in their order;
          // eachWorker chunks, bound to it, are lost.
          for (auto a = w.assigned.rbegin(); a != w.assigned.rend(); ++a) {
            Chunk& c = *a->chunk;
            if (c.done) continue;
            c.assigned = -1;
            if (c.target >= 0) {
              ChunkResult cr;
              cr.first = c.first;
              cr.count = c.count;
              cr.status = ChunkStatus::lost;
              cr.payload = "worker " + std::to_string(r.rank) + " died during eachWorker";
              cr.rank = r.rank;
              complete(c, *a->job, std::move(cr), after);
            } else {
              pending.push_front(*a);
            }
          }
          w.assigned.clear();
          bool any = false;
          for (auto& [rank, rec] : workers) any = any || rec.alive;
          if (!any && all_joined())
            fail_everything("sleigh: every worker has died (the last was worker " + std::to_string(r.rank) + ")",
                            after);
          break;
        }
      }
      sends = dispatch(after);
    }
    cv.notify_all();
    send(sends);
    finish(after);
  }
}

// A watcher: blocks in `find` on a variable of the worker's own workspace,
// which the server purges when the worker's connection closes.
void SleighState::watch(int rank) {
  const Wait wait = until_stopping(stopping);
  std::optional<Server> conn;
  try {
    conn.emplace(worker_facing);
    Workspace mine = conn->use_ws(worker_ws_name(ws_name, rank), false);
    mine.find(var::alive, wait);
  } catch (const Error&) {
    // Purged, gone before we looked, or our connection failed: in every
    // case this worker cannot be relied on any more.
  }
  if (stopping) return;
  try {
    if (!conn) conn.emplace(worker_facing);
    Workspace sleigh = conn->use_ws(ws_name, false);
    Result r;
    r.kind = ResultKind::died;
    r.rank = rank;
    sleigh.store(var::result, kEnvelopeDescriptor, encode(r));
  } catch (const Error&) {
    // The sleigh itself is gone: the collector fails what is left.
  }
}

}  // namespace detail

// ---- Master ----------------------------------------------------------------------

Master::Master(const MasterOptions& options) : s_(std::make_shared<detail::SleighState>()) {
  auto& s = *s_;
  s.options = options;
  s.control.emplace(options.server);
  s.worker_facing = options.server;
  s.worker_facing.host = s.control->host();
  s.worker_facing.port = s.control->port();
  s.worker_facing.kill_server_on_close = false;
  s.ws_name = s.control->mktemp_ws(options.ws_name_template);
  s.ws.emplace(s.control->open_ws(s.ws_name));
  s.user_ws_name = s.control->mktemp_ws(options.user_ws_name_template);
  s.control->open_ws(s.user_ws_name);
  s.host = options.launch.remote_host.empty() ? s.control->host() : options.launch.remote_host;
  s.port = options.launch.remote_port.value_or(s.control->port());

  // SLEIGH.md §2: the master's initialisation, in order.
  Workspace& ws = *s.ws;
  ws.declare(var::node_list, Mode::single);
  ws.store(var::node_list, Value::text(""));
  ws.declare(var::total_tasks, Mode::single);
  ws.store(var::total_tasks, Value::text("0"));
  ws.declare(var::rank_count, Mode::single);
  ws.store(var::rank_count, Value::text("0"));
  ws.declare(var::worker_count, Mode::single);

  if (options.launch.kind == LaunchKind::local && options.spill_threshold > 0)
    s.spill_dir = detail::make_spill_dir(options.spill_dir);
  WorkerEnv base;
  base.spill_dir = s.spill_dir;
  base.host = s.host;
  base.port = s.port;
  base.sleigh_ws = s.ws_name;
  base.user_ws = s.user_ws_name;
  base.connection = nws::detail::connection_environment(nws::detail::resolve_defaults(options.server));
  s.launcher = std::make_unique<detail::Launcher>(options.launch, base);

  s.collector = nws::detail::quiet_thread([state = s_.get()] { state->collect(); });
  try {
    s.launcher->start();
  } catch (...) {
    stop();
    throw;
  }
  if (options.launch.kind == LaunchKind::local) s.early_exits = nws::detail::quiet_thread([this] { watch_early_exits(); });
  if (options.launch.kind == LaunchKind::manual) {
    // The original web launch: a person starts the workers with runMe's
    // command, then deletes deleteMeWhenAllWorkersStarted.
    ws.store(var::run_me, Value::text(s.launcher->manual_command()));
    Server waiter(s.worker_facing);
    Wait person;
    person.should_cancel = options.cancel;
    try {
      waiter.use_ws(s.ws_name, false).fetch(var::delete_me, person);
    } catch (const Error& e) {
      // Deleting the variable fails the fetch: that is the signal.  A
      // cancel (the program's Ctrl-C) gives the sleigh up instead.
      if (e.code() == Errc::cancelled) {
        waiter.close();
        stop();
        throw;
      }
    }
    waiter.close();
    try {
      ws.delete_var(var::run_me);
    } catch (const Error&) {
    }
    status(true, 0);
  }
}

namespace {

std::string exit_text(int status) {
  if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

}  // namespace

// A local worker that ends before the group closes can never join (a
// missing interpreter or package, a worker program that fails at once):
// without this the group would never close and every job would wait for
// ever.  Each such exit is told on stderr; once every worker still running
// has registered, the group closes with them; when none is left, every job
// fails saying what to check.
void Master::watch_early_exits() {
  auto& s = *s_;
  const int launched = s.launcher->worker_count();
  int exited = 0;
  int last_status = 0;
  for (;;) {
    {
      std::unique_lock lock(s.mu);
      if (s.cv.wait_for(lock, std::chrono::milliseconds(100), [&s] { return s.stopped || s.final_count >= 0; }))
        return;
    }
    for (const auto& e : s.launcher->reap_exited()) {
      ++exited;
      last_status = e.status;
      std::fprintf(stderr, "sleigh %s: worker %d (process %d) %s before joining\n", s.ws_name.c_str(), e.id,
                   static_cast<int>(e.pid), exit_text(e.status).c_str());
    }
    if (exited == 0) continue;
    try {
      if (exited >= launched) {
        std::vector<detail::Finish> after;
        {
          std::lock_guard lock(s.mu);
          s.fail_everything("sleigh: every worker ended before joining (the last " + exit_text(last_status) +
                                "); check that the worker program runs here: " + s.launcher->program_line(),
                            after);
        }
        s.cv.notify_all();
        s.finish(after);
        status(true, 0);
        return;
      }
      if (status(false, 0).workers >= launched - exited) {
        status(true, 0);  // every worker still running has registered
        return;
      }
    } catch (const Error&) {
      return;  // stopped meanwhile
    }
  }
}

Master::~Master() {
  try {
    stop();
  } catch (...) {
  }
}

const std::string& Master::ws_name() const { return s_->ws_name; }
const std::string& Master::user_ws_name() const { return s_->user_ws_name; }
const std::string& Master::host() const { return s_->host; }
std::uint16_t Master::port() const { return s_->port; }
int Master::launched() const { return std::max(s_->launcher->worker_count(), 0); }
std::string Master::manual_command() const { return s_->launcher->manual_command(); }
bool Master::stopped() const {
  std::lock_guard lock(s_->mu);
  return s_->stopped;
}

int Master::workers_alive() const {
  std::lock_guard lock(s_->mu);
  int n = 0;
  for (auto& [rank, w] : s_->workers) n += w.alive ? 1 : 0;
  return n;
}

GroupStatus Master::status(bool close_group, double timeout_s, const std::function<bool()>& cancel) {
  auto& s = *s_;
  {
    std::lock_guard lock(s.mu);
    if (s.stopped) throw Error(Errc::operation_failed, "sleigh: stopped");
    if (s.final_count >= 0) return {s.final_count, true};
  }
  // A connection of its own: the wait must not hold up the control connection.
  Server conn(s.worker_facing);
  Workspace ws = conn.use_ws(s.ws_name, false);
  GroupStatus st;
  try {
    Value v = ws.find(var::worker_count, args::wait(timeout_s, cancel));
    st = {static_cast<int>(detail::parse_count(v.bytes, var::worker_count, "sleigh")), true};
  } catch (const Error& e) {
    if (e.code() != Errc::timeout) throw;
    if (close_group) {
      // SLEIGH.md §4: take the rankCount mutex; close the group at n.
      Value r = ws.fetch(var::rank_count, args::wait(10));
      std::int64_t n = detail::parse_count(r.bytes, var::rank_count, "sleigh");
      if (n < 0) {
        ws.store(var::rank_count, r);
        Value c = ws.find(var::worker_count, args::wait(10));
        st = {static_cast<int>(detail::parse_count(c.bytes, var::worker_count, "sleigh")), true};
      } else {
        ws.store(var::worker_count, Value::text(std::to_string(n)));
        ws.store(var::rank_count, Value::text("-1"));
        st = {static_cast<int>(n), true};
      }
    } else {
      auto r = ws.find_try(var::rank_count);
      std::int64_t n = r ? detail::parse_count(r->bytes, var::rank_count, "sleigh") : 0;
      st = {static_cast<int>(n < 0 ? 0 : n), false};
    }
  }
  conn.close();
  if (st.closed) {
    std::vector<detail::Finish> after;
    {
      std::lock_guard lock(s.mu);
      s.final_count = st.workers;
      if (st.workers == 0 && s.workers.empty())
        s.fail_everything("sleigh: the group closed with no worker", after);
    }
    s.cv.notify_all();
    s.finish(after);
  }
  return st;
}

std::vector<std::string> Master::worker_info() {
  auto& s = *s_;
  Server conn(s.worker_facing);
  Workspace ws = conn.use_ws(s.ws_name, false);
  Iterator it = ws.ifind(var::worker_info);
  std::vector<std::string> out;
  while (auto f = it.try_next()) out.push_back(f->value.bytes);
  conn.close();
  return out;
}

Job Master::each_elem(std::string_view function_bytes) {
  auto& s = *s_;
  auto j = std::make_shared<detail::JobState>();
  j->function_id = function_id(function_bytes);
  {
    std::lock_guard lock(s.mu);
    if (s.stopped) throw Error(Errc::operation_failed, "sleigh: stopped");
    if (s.fatal) throw Error(Errc::operation_failed, *s.fatal);
    j->id = s.next_job++;
  }
  s.register_function(j->function_id, function_bytes);
  {
    std::lock_guard lock(s.mu);
    s.jobs.emplace(j->id, j);
  }
  return Job(s_, j);
}

Job Master::each_worker(std::string_view function_bytes, std::string payload, const Wait& wait) {
  auto& s = *s_;
  auto j = std::make_shared<detail::JobState>();
  j->each_worker = true;
  j->function_id = function_id(function_bytes);
  std::vector<int> ranks;
  bool clear_barrier = false;
  {
    std::unique_lock lock(s.mu);
    // Every worker of the group must have joined (or died) first.
    for (;;) {
      if (s.stopped) throw Error(Errc::operation_failed, "sleigh: stopped");
      if (s.fatal) throw Error(Errc::operation_failed, *s.fatal);
      if (s.all_joined()) break;
      if (wait.deadline && Clock::now() >= *wait.deadline)
        throw Error(Errc::timeout, "sleigh: eachWorker: the workers have not all joined");
      if (wait.should_cancel && wait.should_cancel()) throw Error(Errc::cancelled, "sleigh: eachWorker cancelled");
      s.cv.wait_for(lock, wait.slice);
    }
    for (auto& [rank, w] : s.workers)
      if (w.alive) ranks.push_back(rank);
    j->id = s.next_job++;
    j->barrier_index = s.each_worker_calls++ % 2;
    // The barrier this call uses was released two calls ago; clear it only
    // when the previous call is complete, for then every worker is past it.
    clear_barrier = !s.last_each_worker || s.last_each_worker->finished;
    s.last_each_worker = j;
  }
  if (clear_barrier) s.ws->fetch_try(var::barrier(j->barrier_index));
  s.register_function(j->function_id, function_bytes);
  std::vector<detail::Send> sends;
  std::vector<detail::Finish> after;
  {
    std::lock_guard lock(s.mu);
    for (std::size_t i = 0; i < ranks.size(); ++i) {
      auto c = std::make_unique<detail::Chunk>();
      c->index = static_cast<std::int64_t>(i);
      c->first = c->index;
      c->count = 1;
      c->target = ranks[i];
      Task t;
      t.barrier = true;
      t.barrier_index = j->barrier_index;
      t.job = j->id;
      t.tag = c->first;
      t.count = 1;
      t.function = j->function_id;
      t.payload = payload;
      c->envelope = encode(t);
      s.pending.push_back(detail::ChunkRef{j, c.get()});
      j->chunks.push_back(std::move(c));
    }
    j->closed = true;
    s.jobs.emplace(j->id, j);
    if (j->chunks.empty()) {
      // No live worker: nothing to run (the job is complete at once).
      j->finished = true;
      s.jobs.erase(j->id);
      after.push_back(detail::Finish{j->barrier_index, j->function_id});
    }
    sends = s.dispatch(after);
  }
  s.add_total(static_cast<std::int64_t>(ranks.size()));
  s.send(sends);
  s.finish(after);
  return Job(s_, j);
}

void Master::stop() {
  auto& s = *s_;
  int expected = 0;
  {
    std::lock_guard lock(s.mu);
    if (s.stopped) return;
    s.stopped = true;
    for (auto& [rank, w] : s.workers) expected += w.alive ? 1 : 0;
  }
  const auto deadline = Clock::now() + std::chrono::milliseconds(static_cast<long>(s.options.stop_wait * 1000));
  // SLEIGH.md §7: the signal, then one bye per sentinel (waited for with a
  // deadline rather than the original's fixed sleep).
  try {
    s.ws->store(var::ride_over, Value::text("1"));
    Wait w;
    w.deadline = deadline;
    for (int i = 0; i < expected; ++i) s.ws->fetch(var::bye, w);
  } catch (const Error&) {
    // A sentinel that died with its worker sends no bye; the deadline ends the wait.
  }
  s.stopping = true;
  try {
    s.control->delete_ws(s.ws_name);
  } catch (const Error&) {
  }
  if (s.collector.joinable()) s.collector.join();
  std::vector<std::thread> watchers;
  {
    std::lock_guard lock(s.mu);
    for (auto& [rank, w] : s.workers)
      if (w.watcher.joinable()) watchers.push_back(std::move(w.watcher));
  }
  for (auto& t : watchers) t.join();
  try {
    s.control->close();  // the user workspace goes with it
  } catch (const Error&) {
  }
  if (s.early_exits.joinable()) s.early_exits.join();
  s.launcher->finish(deadline);
  std::vector<detail::Finish> after;
  {
    std::lock_guard lock(s.mu);
    s.fail_everything("sleigh: stopped", after);
  }
  s.cv.notify_all();
  detail::remove_spill_dir(s.spill_dir);
}

}  // namespace nws::sleigh
