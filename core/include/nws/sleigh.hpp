// The sleigh: a pool of worker processes fed through one workspace
// (docs/SLEIGH.md describes the conventions, docs/sleigh-design.md this
// implementation).  Everything a sleigh needs that is not one language's
// business lives here, once: the workspace layout and monitoring variables,
// the join, the task and result envelopes, job bookkeeping (chunks, order,
// non-blocking jobs), the launchers, the worker environment contract, the
// worker loop with its sentinel, and fault tolerance.  A binding adds only
// its own serialisation: it hands the master opaque bytes (a function, the
// argument lists of a chunk) and runs one chunk on a worker when the worker
// loop calls it back.
//
// Fault tolerance, with nothing from the server beyond the protocol:
//   * every worker owns a private non-persistent workspace; the master
//     blocks in `find` on a variable in it, so a worker's death (its
//     connection closes, the server purges the workspace) wakes the master
//     at once; the master then gives the dead worker's chunks to others and
//     drops any duplicate result: every chunk's result arrives exactly once;
//   * the master owns the sleigh workspace (non-persistent): if the master
//     dies the server purges it, and every worker's sentinel, blocked in
//     `find` there, kills its worker.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nws/client.hpp"

namespace nws::sleigh {

// ---- the workspace layout (SLEIGH.md §1-2, §11) ----------------------------
//
// Monitoring variables are direct strings with the classic names and modes,
// so the server's Sleigh Monitor can follow any sleigh; rankCount and
// workerCount are direct decimal strings (SLEIGH.md §11.2).
namespace var {
inline constexpr const char* node_list = "nodeList";          // single: "name@0 name@1 ..."
inline constexpr const char* total_tasks = "totalTasks";      // single: elements submitted so far
inline constexpr const char* rank_count = "rankCount";        // single: next rank; -1 = group closed
inline constexpr const char* worker_count = "workerCount";    // single: the final number of workers
inline constexpr const char* result = "result";               // fifo: result envelopes, to the master
inline constexpr const char* ride_over = "Sleigh ride over";  // fifo: the master's shutdown signal
inline constexpr const char* bye = "bye";                     // fifo: one per sentinel at shutdown
inline constexpr const char* log_error = "logError";          // fifo: "[date] name@rank worker -- text"
inline constexpr const char* log_debug = "logDebug";          // fifo
inline constexpr const char* worker_info = "worker info";     // fifo: one text record per worker
inline constexpr const char* run_me = "runMe";                // fifo: the manual launch command
inline constexpr const char* delete_me = "deleteMeWhenAllWorkersStarted";
inline constexpr const char* alive = "alive";                 // in a worker's own workspace: never stored
// barrier0 / barrier1: eachWorker's alternating barriers.
inline std::string barrier(int which) { return which ? "barrier1" : "barrier0"; }
// A worker's inbox, "task@<rank>": the master stores chunks for that worker
// there (the server's Sleigh Monitor counts them too, hence inline).
inline std::string inbox(int rank) { return "task@" + std::to_string(rank); }
// "function@<id>": a job's function (the host's bytes), stored once.
inline std::string function(std::string_view id) { return "function@" + std::string(id); }
}  // namespace var

// The workspace a worker owns, "<sleigh ws>@worker<rank>": its purge tells
// the master that the worker is gone.
std::string worker_ws_name(std::string_view sleigh_ws, int rank);

// ---- envelopes (SLEIGH.md §11.4) ---------------------------------------------
//
// Binary, little-endian, stored with the descriptor below (not a direct
// string, writer language C++).  The host's bytes ride inside untouched.
// The string_views of a decoded envelope point into the bytes it was
// decoded from; those of an envelope to encode, into the caller's data.
inline constexpr std::uint64_t kEnvelopeDescriptor = descriptor::make(Language::cpp, false, false);

struct Task {
  bool barrier = false;        // eachWorker: wait at barrier `barrier_index` afterwards
  int barrier_index = 0;
  std::int64_t job = 0;
  std::int64_t tag = 0;        // index of the chunk's first element (0-based)
  std::int64_t count = 1;      // elements in the chunk
  std::string_view function;   // function id: var::function(id) holds the function's bytes
  std::string_view payload;    // the host's serialisation of the chunk's argument lists
  // The payload is the path of a file holding it (a large chunk of a local
  // sleigh: see MasterOptions::spill_threshold).
  bool spilled = false;
};

enum class ResultKind : std::uint8_t {
  value = 1,   // payload: the host's serialisation of the chunk's outcomes
  failed = 2,  // the whole chunk failed on the worker; payload: the message
  joined = 3,  // a worker is ready: rank, count = the final worker count, payload = its info
  died = 4,    // the master's watcher saw worker `rank` go
};

struct Result {
  ResultKind kind = ResultKind::value;
  std::int64_t job = 0;
  std::int64_t tag = 0;
  std::int64_t count = 0;
  std::int32_t rank = -1;
  std::uint32_t failed = 0;    // elements that raised (the host counts them)
  double seconds = 0;          // time the worker spent running the chunk
  std::string_view payload;
};

std::string encode(const Task& task);
std::string encode(const Result& result);
// Errc::protocol when the bytes are not an envelope of that kind.
Task decode_task(std::string_view bytes);
Result decode_result(std::string_view bytes);

// A function's id: a hash of its bytes, so that the same function is stored
// once however many jobs use it.
std::string function_id(std::string_view function_bytes);

// ---- chunking --------------------------------------------------------------
//
// Elements per chunk for a job of `elements` elements on `workers` workers
// (Pool.map's rule of four chunks per worker, so the tail stays short), at
// most `max_chunk_bytes` / `element_bytes` when an element's size is known
// (> 0), so that a chunk never grows into a value the server spools.
std::int64_t chunk_size(std::int64_t elements, int workers, std::int64_t element_bytes = 0,
                        std::int64_t max_chunk_bytes = 4 << 20);

// Chunks a job may have outstanding at once for a load factor (eachElem's
// loadFactor, imap's window): load_factor x workers rounded up, and never
// fewer than one per worker; no limit (INT64_MAX) when the load factor is
// not given or not above 0.
std::int64_t outstanding_limit(std::optional<double> load_factor, int workers);

// ---- the worker environment contract (SLEIGH.md §3.1) -----------------------
//
// Names are <prefix><field>: with the prefix "PythonSleigh", exactly the
// original Python workers' variables (PythonSleighNwsHost, ...).
struct WorkerEnv {
  std::string host;              // NwsHost
  std::uint16_t port = 0;        // NwsPort
  std::string sleigh_ws;         // NwsName
  std::string user_ws;           // UserNwsName
  std::string name;              // Name: display name (empty: the host name)
  int id = -1;                   // ID: launch index, 0-based (else $SLURM_PROCID)
  int worker_count = -1;         // WorkerCount: join limit (-1: the master closes the group)
  std::string working_dir;       // WorkingDir
  std::string log_dir;           // LogDir
  std::string worker_out;        // WorkerOut: log file name inside LogDir
  std::string module_path;       // ModulePath: extra import path for the host language
  bool redirect_output = false;  // RedirectOutput: True / False
  std::string spill_dir;         // SpillDir: where a local master puts large chunks (removed if it dies)
  std::string language;          // Language: the language whose worker program is meant ("python", "r", ...)
  std::string load;              // Load: what the worker loads before its first task (files, packages,
                                 // modules; separated by ':'), so that named functions resolve
  // TLS and credentials, as the client reads them from the environment
  // (NWS_TLS, NWS_TLS_CA, ..., NWS_USER, NWS_PASSWORD, NWS_TOKEN): the
  // master's, so its workers connect as it does (docs/security.md).
  std::map<std::string, std::string> connection;

  std::map<std::string, std::string> to_environment(std::string_view prefix) const;
  // Errc::invalid_argument naming the first missing or malformed variable.
  static WorkerEnv from_environment(std::string_view prefix);
};

// ---- launching -----------------------------------------------------------------

enum class LaunchKind {
  local,    // child processes of the master (default: one per core)
  command,  // one per node_list entry: prefix(node) + a shell command line (ssh, ...)
  slurm,    // srun steps inside an allocation ($SLURM_JOB_ID), else one sbatch job
  manual,   // a person starts workers with the command stored in runMe (the original 'web')
};

// The bindings' names of the kinds: "local", "command", "slurm", "manual";
// Errc::invalid_argument naming the choices for any other.
LaunchKind launch_kind_named(std::string_view name);

struct LaunchOptions {
  LaunchKind kind = LaunchKind::local;
  int worker_count = 0;  // 0: local -> cores; command -> node_list size; slurm -> $SLURM_NTASKS or 1
  std::vector<std::string> node_list;
  // The command prefix for one node (LaunchKind::command), e.g. ssh_prefix.
  std::function<std::vector<std::string>(const std::string& node)> prefix;
  // The host language's worker program, e.g. {python, "-m", "nws.sleigh.worker"}.
  std::vector<std::string> worker_program;
  std::string env_prefix;  // empty: env_prefix_for(language), PythonSleigh when no language is given
  std::string working_dir;   // empty: the master's
  std::string log_dir;       // workers' output goes to <log_dir>/<ws>_<id>.txt; empty: inherited (local) or dropped
  std::string module_path;
  // The workers' language (a language id; empty: the master's own, with
  // worker_program and env_prefix as given).  With a language and no
  // worker_program, the language's default_worker_program and its
  // env_prefix_for are used (nws/sleigh_tasks.hpp).
  std::string language;
  std::string load;          // WorkerEnv::load
  bool redirect_output = false;
  std::string remote_host;   // what workers connect to (empty: the master's server as it resolved)
  std::optional<std::uint16_t> remote_port;
  std::vector<std::string> slurm_args;  // extra srun / sbatch options
  std::map<std::string, std::string> extra_env;
  // LaunchKind::manual: the line a person pastes into the host language,
  // with {ws}, {userws}, {host} and {port} replaced (stored in runMe).
  std::string manual_command;
};

// Where a master's server is, by one rule for every binding: the nwsHost /
// nwsPort options, else <env_prefix>NwsHost / <env_prefix>NwsPort (a master
// started inside a worker), else the client's $NWS_HOST / $NWS_PORT.  When
// none of them names a server, a local sleigh whose default server
// (localhost:8765) does not answer gets one of its own: start_embedded, and
// the binding starts it (an nws::LocalServer) and uses its address.
struct ServerChoice {
  std::optional<std::string> host;     // none: the client's default
  std::optional<std::uint16_t> port;   // none: the client's default
  bool start_embedded = false;
};
// Errc::invalid_argument if <env_prefix>NwsPort is not a port.
ServerChoice choose_server(std::optional<std::string> host, std::optional<std::uint16_t> port,
                           std::string_view env_prefix, LaunchKind kind);

// `ssh -n -x [-l user] node` (Python's sshcmd).
std::vector<std::string> ssh_prefix(const std::string& node, const std::string& user = {});
// ssh_prefix plus `-R [remote_host:]remote_port:nws_host:nws_port`: workers
// reach the server through a reverse tunnel (sshforwardcmd).
std::vector<std::string> ssh_forward_prefix(const std::string& node, const std::string& user,
                                            std::uint16_t remote_port, const std::string& nws_host,
                                            std::uint16_t nws_port, const std::string& remote_host = {});
// A word for a POSIX shell: single-quoted unless it needs no quoting.
std::string shell_quote(std::string_view word);

// ---- the master --------------------------------------------------------------

struct MasterOptions {
  ConnectOptions server;
  std::string ws_name_template = "sleigh_ride_%04d";
  std::string user_ws_name_template = "sleigh_user_%04d";
  LaunchOptions launch;
  int inbox_depth = 2;     // chunks queued per worker: one running, one waiting
  double stop_wait = 10;   // seconds stop() waits for the sentinels' bye and the processes
  // Local launch only: a chunk this large (bytes; 0: never) goes to the
  // workers as a file in a private directory under spill_dir (empty:
  // /dev/shm, else $TMPDIR, else /tmp) instead of through the server, which
  // would copy it twice more.  The file lives until the chunk's result is in.
  std::size_t spill_threshold = 1 << 20;
  std::string spill_dir;
  // Polled while the constructor waits for a person (LaunchKind::manual):
  // true gives the sleigh up (stopped, Errc::cancelled).
  std::function<bool()> cancel;
};

enum class ChunkStatus {
  ok,      // payload: the host's outcomes (values and per-element errors)
  failed,  // the worker could not run the chunk; payload: the message
  lost,    // an eachWorker chunk whose worker died; payload: the message
};

// "ok", "failed", "lost": the bindings' names of a chunk's status.
const char* chunk_status_name(ChunkStatus status);

struct ChunkResult {
  std::int64_t first = 0;
  std::int64_t count = 0;
  ChunkStatus status = ChunkStatus::ok;
  std::string payload;
  int rank = -1;
  std::uint32_t failed = 0;
  double seconds = 0;
};

enum class Order { elements, arrival };

namespace detail { struct SleighState; struct JobState; }

// A job: the chunks of one eachElem (or imap, or an executor's task), or
// one eachWorker call.  Non-blocking: results are taken when the program
// asks.  Thread-safe.
class Job {
 public:
  std::int64_t id() const;
  // Adds a chunk of `count` elements starting at element `first`: its
  // payload is the host's serialisation of their argument lists.
  void add_chunk(std::int64_t first, std::int64_t count, std::string_view payload);
  // A large chunk the host writes itself (straight from its serialiser):
  // spill_path() names a fresh file for it, or is empty when this sleigh
  // does not spill (not local); add_spilled_chunk hands the written file
  // over to the job, which deletes it once the chunk's result is in.
  std::string spill_path();
  // Whether a chunk of `bytes` bytes goes as a file on this sleigh.
  bool spills(std::size_t bytes) const;
  void add_spilled_chunk(std::int64_t first, std::int64_t count, const std::string& path);
  // No more chunks: next() returns nothing once every chunk is delivered.
  void close();
  // The next result, in element or arrival order (one order per job);
  // nothing when the job is closed and everything was delivered.  A wait
  // that passes raises Errc::timeout; a cancel, Errc::cancelled.
  std::optional<ChunkResult> next(Order order, const Wait& wait = {});
  // Waits until every chunk added so far has its result.
  void wait(const Wait& wait = {});
  // Waits until fewer than `limit` chunks are without a result (backpressure).
  void wait_room(std::int64_t limit, const Wait& wait = {});
  std::int64_t outstanding() const;   // chunks without a result
  std::int64_t undelivered() const;   // results not yet taken by next()
  bool done() const;                  // closed, and every result is in
  // Elements per chunk for a stream of unknown length: starts small and
  // grows with the chunks' measured times (about 20 ms per chunk).
  std::int64_t adaptive_chunk_size() const;

 private:
  friend class Master;
  Job(std::shared_ptr<detail::SleighState> s, std::shared_ptr<detail::JobState> j)
      : s_(std::move(s)), j_(std::move(j)) {}
  std::shared_ptr<detail::SleighState> s_;
  std::shared_ptr<detail::JobState> j_;
};

struct GroupStatus {
  int workers = 0;
  bool closed = false;
};

// A sleigh's master: opens the sleigh and user workspaces, launches the
// workers, and runs the bookkeeping (a collector thread fetching results,
// one watcher connection per worker).  Thread-safe.
class Master {
 public:
  explicit Master(const MasterOptions& options);
  ~Master();  // stop()
  Master(const Master&) = delete;
  Master& operator=(const Master&) = delete;

  const std::string& ws_name() const;
  const std::string& user_ws_name() const;
  const std::string& host() const;          // where workers connect
  std::uint16_t port() const;
  int launched() const;                     // workers launched (0 for manual launch)
  // The command a person runs for a manual launch (also stored in runMe).
  std::string manual_command() const;

  // SLEIGH.md §4 status(): the number of workers that joined and whether
  // the group is closed; waits up to `timeout` seconds for it to close, and
  // with close_group closes it then with the workers that joined.
  GroupStatus status(bool close_group, double timeout_s, const std::function<bool()>& cancel = {});
  int workers_alive() const;
  // One text record per joined worker ("key=value" lines), in rank order.
  std::vector<std::string> worker_info();

  // eachElem: a job running `function` (the host's bytes) on chunks.
  Job each_elem(std::string_view function_bytes);
  // eachWorker: one chunk (`payload`, one element) on every worker exactly
  // once, each waiting at the barrier until all are done.  Waits first for
  // every worker of the group to have joined.
  Job each_worker(std::string_view function_bytes, std::string payload, const Wait& wait = {});

  // Stores `Sleigh ride over`, collects the sentinels' bye, deletes the
  // sleigh workspace, closes the connections and reaps the launched
  // processes (killing any left after stop_wait).  Idempotent.
  void stop();
  bool stopped() const;

 private:
  void watch_early_exits();
  std::shared_ptr<detail::SleighState> s_;
};

// ---- the worker ------------------------------------------------------------------

struct TaskRun {
  std::int64_t job = 0;
  std::int64_t tag = 0;
  std::int64_t count = 0;
  bool barrier = false;
  int rank = -1;
  std::string_view function_id;
  std::string_view function;   // the host's function bytes
  std::string_view payload;    // the host's argument lists
};

struct TaskOutcome {
  std::string payload;         // the host's outcomes, one per element
  std::uint32_t failed = 0;    // elements that raised
  std::string log;             // if not empty: stored in logError
};

struct PortableCall;  // nws/sleigh_tasks.hpp

struct WorkerHooks {
  // Runs one chunk of the host's own serialisation.  Throwing fails the
  // whole chunk (the message goes back).
  std::function<TaskOutcome(const TaskRun&)> run;
  // Runs one element of a portable chunk (a named function, or a function
  // spec carrying the host's serialisation): its value's bytes.  Throwing
  // fails that element only, with the exception's message.
  std::function<std::string(const PortableCall&)> call;
  // The host's language id ("python", "r", ...): a launch meant for
  // another language's workers is refused, and so are its tasks.
  std::string language_id;
  // Called once the group is closed: the rank and the final worker count.
  std::function<void(int rank, int worker_count)> joined;
  // "Python 3.11.7": for the worker info record.
  std::string language;
};

// The worker: joins the sleigh (rankCount), starts its sentinel (a thread
// with its own connection, blocked in `find 'Sleigh ride over'`, which
// kills this process group when the master stops the sleigh or dies), and
// loops over its inbox.  Returns the process's exit status once the sleigh
// is gone; the sentinel usually ends the process first.
int run_worker(const WorkerEnv& env, const WorkerHooks& hooks);

}  // namespace nws::sleigh
