// Starting workers: local child processes, a command prefix per node (ssh),
// SLURM (srun inside an allocation, sbatch outside one), or nothing (a
// person starts them from runMe).  Every process started here is in a
// session of its own, so a terminal's Ctrl-C reaches only the master, and
// is reaped (or, if still alive after the deadline, killed) by finish().
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "nws/sleigh.hpp"

namespace nws::sleigh::detail {

class Launcher {
 public:
  // `base`: what every worker gets (server, workspaces, worker count).
  Launcher(LaunchOptions options, WorkerEnv base);

  // The number of workers this launch starts (the join limit).
  int worker_count() const { return count_; }
  void start();
  // Reaps the processes started here; kills (SIGKILL, whole process group)
  // those still running at `deadline`.  Cancels a batch job.
  void finish(std::chrono::steady_clock::time_point deadline);
  // The manual launch's command line, placeholders replaced.
  std::string manual_command() const;

  // The shell command line that runs one worker (for prefixes: ssh ...).
  std::string remote_line(const WorkerEnv& env) const;

  // A local launch's workers that have exited since the last call, reaped
  // here (finish() then skips them): a worker that ends before the group
  // closes can never join.  Empty for other launches, whose processes are
  // ssh or srun, not workers.  Called from one thread, never beside finish().
  struct Exit {
    int id;      // launch index
    pid_t pid;
    int status;  // as waitpid gives it
  };
  std::vector<Exit> reap_exited();
  // The worker program as a shell line, for messages.
  std::string program_line() const;

 private:
  // Runs a command (sbatch, squeue, scancel) to its end: its exit status
  // and, when `capture`, what it wrote to stdout (else that goes nowhere).
  struct Ran {
    int status = 0;
    std::string out;
  };
  Ran run_to_end(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env, bool capture);
  pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
              const std::string& output, bool capture, int* out_fd, const std::string& input = {});
  WorkerEnv env_for(int id) const;
  // The secrets among the worker's variables (password, token): sent on a
  // remote command's standard input, never on a command line `ps` shows.
  std::string secrets_input() const;
  std::string log_file(int id) const;

  LaunchOptions o_;
  WorkerEnv base_;
  int count_ = 0;
  std::vector<pid_t> children_;
  std::vector<bool> reaped_;  // children_ already reaped by reap_exited()
  std::string batch_job_;
};

}  // namespace nws::sleigh::detail
