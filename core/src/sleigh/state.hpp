// The master's bookkeeping, shared by the Master, its Jobs, the collector
// thread and the watcher threads.  Everything below `mu` is guarded by it;
// network calls are made outside it (see the Send lists), except the
// function variables' store/delete, which `fun_mu` keeps in order.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "nws/sleigh.hpp"
#include "sleigh/launcher.hpp"

namespace nws::sleigh::detail {

struct JobState;

struct Chunk {
  std::int64_t index = 0;  // position in its job
  std::int64_t first = 0;
  std::int64_t count = 0;
  std::string envelope;    // the encoded Task, kept to give it again to another worker
  int target = -1;         // eachWorker: the one worker it must run on
  int assigned = -1;       // the worker holding it
  std::string spill_file;  // its payload's file, deleted once its result is in
  bool done = false;
  std::optional<ChunkResult> result;  // until delivered
};

struct ChunkRef {
  std::shared_ptr<JobState> job;
  Chunk* chunk;
};

struct JobState {
  std::int64_t id = 0;
  bool each_worker = false;
  int barrier_index = 0;
  std::string function_id;
  std::deque<std::unique_ptr<Chunk>> chunks;  // in element order
  std::int64_t done_count = 0;
  std::int64_t delivered = 0;
  std::int64_t next_ordered = 0;   // Order::elements: the next chunk to hand out
  std::deque<Chunk*> arrived;      // Order::arrival: done, not yet handed out
  std::optional<Order> order;      // the order the program takes results in
  bool closed = false;
  bool finished = false;           // completion actions done
  double seconds = 0;              // measured work, for adaptive chunks
  std::int64_t measured = 0;

  bool complete() const { return closed && done_count == static_cast<std::int64_t>(chunks.size()); }
};

struct WorkerRec {
  int rank = -1;
  bool alive = true;
  std::deque<ChunkRef> assigned;
  std::thread watcher;
};

// A store the caller makes once it has released the lock.
struct Send {
  int rank;
  std::shared_ptr<JobState> job;  // keeps the envelope alive
  const std::string* envelope;
};

// Network work after a job completes: release its barrier, drop its function.
struct Finish {
  std::optional<int> release_barrier;
  std::string function_id;
};

struct SleighState {
  MasterOptions options;
  ConnectOptions worker_facing;  // the server as the master's connections use it
  std::string ws_name, user_ws_name;
  std::string host;              // what workers connect to
  std::uint16_t port = 0;
  std::string spill_dir;         // large chunks' files (local launch), or empty
  std::atomic<std::uint64_t> spill_seq{0};

  std::optional<Server> control;     // owns both workspaces; never blocks for long
  std::optional<Workspace> ws;       // the sleigh workspace on `control`
  std::unique_ptr<Launcher> launcher;

  std::mutex mu;
  std::condition_variable cv;
  std::map<int, WorkerRec> workers;
  int final_count = -1;          // known once the group is closed
  std::deque<ChunkRef> pending;  // chunks no worker holds
  std::map<std::int64_t, std::shared_ptr<JobState>> jobs;
  std::int64_t next_job = 0;
  std::int64_t total_elements = 0;
  int each_worker_calls = 0;
  std::shared_ptr<JobState> last_each_worker;
  std::optional<std::string> fatal;  // the sleigh cannot go on: why
  bool stopped = false;
  std::atomic<bool> stopping{false};
  std::thread collector;
  std::thread early_exits;       // local launch: workers that end before joining

  std::mutex fun_mu;             // function variables: store / delete in order
  std::map<std::string, int> function_refs;
  std::mutex monitor_mu;         // totalTasks: stores in order

  // ---- under mu ----
  std::vector<Send> dispatch(std::vector<Finish>& after);
  void complete(Chunk& c, JobState& j, ChunkResult r, std::vector<Finish>& after);
  void fail_everything(const std::string& why, std::vector<Finish>& after);
  bool all_joined() const { return final_count >= 0 && static_cast<int>(workers.size()) >= final_count; }

  // ---- without mu ----
  void send(const std::vector<Send>& sends);
  void finish(const std::vector<Finish>& after);
  void collect();                // the collector thread
  void watch(int rank);          // a watcher thread
  void register_function(const std::string& id, std::string_view bytes);
  void release_function(const std::string& id);
  void add_total(std::int64_t elements);
};

}  // namespace nws::sleigh::detail
