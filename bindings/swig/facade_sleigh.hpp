// The sleigh (nws/sleigh.hpp, nws/sleigh_tasks.hpp) as SWIG wraps it for
// Perl and Ruby: a master running portable jobs (named functions, values
// in the portable encoding) and the pulling worker.  Plain types only:
// options as a struct of strings and numbers, outcomes and calls as
// structs, timeouts in seconds (+inf: wait for ever; a wait polls the
// SIGINT flag and cancel()).  The rules (launch, chunking, languages, the
// names' forms) are the core's; the packages' NWS::Sleigh are the API.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "facade.hpp"

namespace nws {
class LocalServer;
namespace sleigh {
class Master;
class MapJob;
class PortableWorker;
}  // namespace sleigh
}  // namespace nws

namespace nws_swig {

struct SleighOptions {
  std::string host;          // empty: the core's rule (nwsHost, $<Prefix>NwsHost, $NWS_HOST, else a server of its own)
  bool has_port = false;
  double port = 0;
  bool has_security = false;
  Security security;
  std::string ws_template = "sleigh_ride_%04d";
  std::string user_ws_template = "sleigh_user_%04d";
  // "local", "ssh", "sshforward" (ssh with a reverse tunnel to the server),
  // "command" (command_prefix per node), "slurm" or "manual".
  std::string launch = "local";
  int worker_count = 0;      // 0: the launch's default
  std::vector<std::string> node_list;
  std::string user;          // the ssh login
  // launch "command": the prefix for each node, "{node}" replaced by it.
  std::vector<std::string> command_prefix;
  std::string language;      // the workers' language (an id or a spelling of one)
  std::vector<std::string> worker_program;  // empty: the language's default
  std::string load;          // ':'-separated
  std::string module_path;
  std::string working_dir;
  std::string log_dir;
  bool redirect_output = false;
  std::string remote_host;
  bool has_remote_port = false;
  double remote_port = 0;
  std::vector<std::string> slurm_args;
  std::string manual_command;
  int inbox_depth = 2;
  double stop_wait = 10;
};

struct SleighOutcome {
  bool found = false;        // false: the job is over (every outcome was taken)
  long long index = 0;
  bool ok = true;
  std::string value;         // ok: the value's portable bytes
  std::string error;
  int rank = -1;
};

struct SleighStatus {
  int workers = 0;
  bool closed = false;
};

class SleighJob;

class SleighMaster {
 public:
  explicit SleighMaster(const SleighOptions& options);
  ~SleighMaster();
  SleighMaster(const SleighMaster&) = delete;
  SleighMaster& operator=(const SleighMaster&) = delete;

  std::string ws_name() const;
  std::string user_ws_name() const;
  std::string host() const;
  int port() const;
  std::string language() const;
  int launched() const;
  int workers_alive() const;
  std::string manual_command() const;
  SleighStatus status(bool close_group, double timeout);
  std::vector<std::string> worker_info();
  // A job running the function `name` (in the sleigh's language) on
  // elements whose argument lists the binding encodes portably.
  // total < 0: unknown; chunk_size 0: the core's rule; load_factor <= 0:
  // no limit; arrival: outcomes as they come, else in element order.
  SleighJob* each_elem(const char* name, double total, double chunk_size, double load_factor, bool arrival);
  SleighJob* each_worker(const char* name, const std::string& args, double timeout);
  void stop();
  bool stopped() const;
  void cancel();

 private:
  std::unique_ptr<nws::LocalServer> embedded_;
  std::unique_ptr<nws::sleigh::Master> m_;
  std::string language_;
  std::atomic<bool> cancel_{false};
};

class SleighJob {
 public:
  ~SleighJob();
  SleighJob(const SleighJob&) = delete;
  SleighJob& operator=(const SleighJob&) = delete;
  // One element's argument list (portable bytes); waits for room under the load factor.
  void add(const std::string& args, double timeout);
  void close();
  SleighOutcome next_outcome(double timeout);
  std::vector<SleighOutcome> drain();
  long long added() const;
  long long remaining() const;
  void cancel();

 private:
  friend class SleighMaster;
  explicit SleighJob(std::unique_ptr<nws::sleigh::MapJob> j);
  std::unique_ptr<nws::sleigh::MapJob> j_;
  std::atomic<bool> cancel_{false};
};

struct SleighCall {
  bool found = false;        // false: the sleigh is over; the worker exits
  long long index = 0;
  std::string language;
  std::string name;          // the function's name (empty: serialized)
  std::string serialized;
  std::string function_id;
  std::string args;          // the argument list's portable bytes
  bool barrier = false;
};

// A worker of `language`, from its environment contract (<Prefix>NwsHost, ...).
class SleighWorker {
 public:
  SleighWorker(const char* language, const char* description);
  ~SleighWorker();
  SleighWorker(const SleighWorker&) = delete;
  SleighWorker& operator=(const SleighWorker&) = delete;
  int rank() const;
  int worker_count() const;
  SleighCall next_call();
  void reply(const std::string& value);
  void reply_error(const std::string& message);

 private:
  std::unique_ptr<nws::sleigh::PortableWorker> w_;
};

// The worker's environment contract, read once (to load modules, set the
// search path and open the sleigh's workspaces before joining).
struct SleighWorkerEnv {
  std::string host;
  int port = 0;
  std::string sleigh_ws;
  std::string user_ws;
  std::string working_dir;
  std::string module_path;
  std::string load;
  std::string language;
};
SleighWorkerEnv sleigh_worker_env(const char* language);

std::vector<std::string> sleigh_languages();
std::string sleigh_language_id(const char* name);
// Errc::invalid_argument naming the form when `name` is not of `language`'s.
void sleigh_check_name(const char* language, const char* name);
// A word for a POSIX shell (the core's quoting), for printing commands.
std::string sleigh_shell_quote(const char* word);

}  // namespace nws_swig
