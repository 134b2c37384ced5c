// Portable sleigh tasks: what lets a master of one language run functions
// on workers of another (docs/sleigh-languages.md).
//
// A portable job's function is a *function spec*, a portable map naming
// the workers' language and either a function by name ("Stats.mean" for
// Ruby) or the host's own serialisation of one (a Java lambda).  Its chunks
// are portable lists of per-element argument bytes, and its outcomes a
// portable list of {"value": bytes} or {"error": text}, one per element.
// Named functions take and return portable values, so any language can
// read them; a serialised function's arguments are the host's own bytes.
//
// Everything a binding needs is here, once: naming rules per language, the
// worker programs and environment prefixes of each language, the framing,
// a job that chunks, feeds and decodes (MapJob), and a worker that hands
// its host one call at a time (PortableWorker).  A binding only converts
// its values to and from bytes and resolves a name to a callable.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nws/sleigh.hpp"

namespace nws::sleigh {

// ---- languages ---------------------------------------------------------------

// The five worker languages, by their ids: "python", "r", "java", "perl",
// "ruby".
const std::vector<std::string>& worker_languages();
// A language's id from a user's spelling ("Python", "R", "ruby");
// Errc::invalid_argument naming the choices for anything else.
std::string language_id(std::string_view name);
// The environment prefix of a language's workers (PythonSleigh, RSleigh,
// JavaSleigh, PerlSleigh, RubySleigh: SLEIGH.md §3.1).
std::string env_prefix_for(std::string_view language);
// The command that starts a worker of `language` on this machine, from the
// languages' interpreters on the PATH or as the environment names them:
//   python  $NWS_SLEIGH_PYTHON (python3) -m nws.sleigh.worker
//   r       $NWS_SLEIGH_RSCRIPT (Rscript) ... -e "library(nws); ... cmdLaunch()"
//   java    $NWS_SLEIGH_JAVA (java) -cp $NWS_SLEIGH_CLASSPATH ($CLASSPATH) org.networkspaces.sleigh.Worker
//   perl    $NWS_SLEIGH_PERL (perl) -MNWS::Sleigh::Worker -e NWS::Sleigh::Worker::main
//   ruby    $NWS_SLEIGH_RUBY (ruby) -rnws/sleigh/worker -e NWS::Sleigh::Worker.main
// A master of the same language passes its own interpreter instead.
std::vector<std::string> default_worker_program(std::string_view language);
// How a function is named in a language, for messages ("module:function").
std::string_view name_form(std::string_view language);

// ---- function specs ----------------------------------------------------------

struct FunctionSpec {
  std::string language;    // a language id
  std::string name;        // a named function ("fit_model", "stats:mean", ...), or empty
  std::string serialized;  // else the host's serialisation of the function
};

// A spec naming `name` in `language`; Errc::invalid_argument when the name
// is not of that language's form (name_form).
std::string named_function(std::string_view language, std::string_view name);
// A spec carrying the host's serialisation of a function.
std::string serialized_function(std::string_view language, std::string_view bytes);
// Whether a job's function bytes are a spec (else they are a host's own,
// as a Python or R master's pickled or serialized functions).
bool is_function_spec(std::string_view bytes);
// Errc::serialisation when the bytes are not a spec.
FunctionSpec decode_function_spec(std::string_view bytes);
// Errc::invalid_argument when `name` is not of `language`'s form.
void check_function_name(std::string_view language, std::string_view name);

// ---- framing -------------------------------------------------------------------

// A chunk's payload from its elements' argument bytes.
std::string frame_elements(const std::vector<std::string>& element_args);
// The elements' argument bytes of a framed chunk (views into `payload`);
// Errc::serialisation when it is not one.
std::vector<std::string_view> unframe_elements(std::string_view payload);

struct ElementOutcome {
  std::int64_t index = 0;  // the element's position in its job (0-based)
  bool ok = true;
  std::string value;       // ok: the value's bytes (portable for named functions)
  std::string error;       // else: what went wrong, with the worker's trace
  int rank = -1;           // the worker that ran it (-1: none did)
};

// A framed chunk's outcomes; `errors` counts the failed elements.
class OutcomeWriter {
 public:
  void value(std::string_view bytes);
  void error(std::string_view message);
  std::size_t size() const { return items_.size(); }
  std::uint32_t errors() const { return errors_; }
  std::string finish() const;

 private:
  std::vector<std::pair<bool, std::string>> items_;
  std::uint32_t errors_ = 0;
};

// A chunk's result as one outcome per element: a failed or lost chunk
// gives each of its elements the chunk's message.
std::vector<ElementOutcome> element_outcomes(const ChunkResult& chunk);

// ---- the master's portable jobs --------------------------------------------------

struct MapOptions {
  std::optional<std::int64_t> total;  // elements, when known: sizes the chunks
  std::int64_t chunk_size = 0;        // elements per chunk; 0: the core's rule
  std::optional<double> load_factor;  // chunks outstanding per worker (none: no limit)
  Order order = Order::elements;
};

// A job over a function spec: elements go in one at a time (chunked,
// framed and dispatched here), outcomes come out one per element in the
// job's order.  Not thread-safe: one thread feeds and takes (a binding
// serialises its callers).
class MapJob {
 public:
  static MapJob each_elem(Master& master, std::string_view function_spec, const MapOptions& options = {});
  // eachWorker: one call of the function, with these arguments, on every worker.
  static MapJob each_worker(Master& master, std::string_view function_spec, std::string_view element_args,
                            const Wait& wait = {});

  // Adds an element (its argument bytes); waits for room under the load factor.
  void add(std::string_view element_args, const Wait& wait = {});
  // No more elements (sends the last partial chunk).
  void close();
  // The next outcome; nothing once the job is closed and all were taken.
  // Elements still gathering into a chunk are sent first when nothing
  // else is in flight (their outcomes are the next ones).
  std::optional<ElementOutcome> next(const Wait& wait = {});
  // Outcomes that have arrived, without waiting and without sending the
  // elements still gathering into a chunk.
  std::vector<ElementOutcome> drain();
  // Whether a lazy producer may add more: chunks in flight plus results not
  // yet taken stay under the load factor's limit (always, without one).
  // add() itself waits only for chunks in flight.
  bool has_room() const;

  std::int64_t added() const { return added_; }
  std::int64_t taken() const { return taken_; }
  // Elements whose outcome has not been taken yet.
  std::int64_t remaining() const { return added_ - taken_; }
  Job& job() { return job_; }

 private:
  MapJob(Master& m, Job job, const MapOptions& o) : master_(&m), job_(std::move(job)), options_(o) {}
  void flush();
  int workers() const;
  std::int64_t chunk_target();
  std::int64_t limit() const;
  bool take_chunk(std::optional<ChunkResult> r);

  Master* master_;
  Job job_;
  MapOptions options_;
  std::vector<std::string> buffer_;
  std::int64_t buffered_from_ = 0;
  std::int64_t added_ = 0;
  std::int64_t taken_ = 0;
  std::int64_t first_bytes_ = 0;
  bool closed_ = false;
  bool finished_ = false;
  std::deque<ElementOutcome> ready_;
};

// ---- the worker ---------------------------------------------------------------------

// One call a portable chunk asks of its worker.  Views stay valid until the
// next call to next().
struct PortableCall {
  std::int64_t job = 0;             // the job's id (per-job set-up: its first call is the first with this id)
  std::int64_t index = 0;           // the element's position in its job
  const FunctionSpec* function = nullptr;
  std::string_view function_id;     // the same for every call of one function: a cache key
  std::string_view args;            // the element's argument bytes
  bool barrier = false;             // an eachWorker call
};

// A worker for hosts that pull: joins the sleigh (run_worker's join and
// sentinel), then hands out one element at a time; the host answers each
// with reply() or reply_error() before asking for the next.  `language` is
// the host's id; a chunk for another language, or one that is not
// portable, fails with a message saying so.
class PortableWorker {
 public:
  PortableWorker(const WorkerEnv& env, std::string language, std::string description);
  ~PortableWorker();
  PortableWorker(const PortableWorker&) = delete;
  PortableWorker& operator=(const PortableWorker&) = delete;

  int rank() const;
  int worker_count() const;
  // The next call; nothing once the sleigh is over (the process should exit).
  std::optional<PortableCall> next();
  void reply(std::string_view value_bytes);
  void reply_error(std::string_view message);

 private:
  struct Impl;
  std::unique_ptr<Impl> p_;
};

}  // namespace nws::sleigh
