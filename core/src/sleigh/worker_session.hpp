// One worker's life in a sleigh, step by step: the join (SLEIGH.md §4), the
// sentinel (§7), then chunk after chunk from the worker's inbox.  The
// callback-driven run_worker and the pulling PortableWorker are both this.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "nws/sleigh.hpp"
#include "sleigh/spill.hpp"

namespace nws::sleigh::detail {

class WorkerSession {
 public:
  // Joins the sleigh and waits for the group to close; `joined` (if set)
  // runs before the master hears that this worker is ready.  Refuses a
  // launch meant for another language's workers (`language`, when both it
  // and the environment's name one).
  WorkerSession(const WorkerEnv& env, const std::string& language, const std::string& description,
                const std::function<void(int rank, int count)>& joined);
  ~WorkerSession();
  WorkerSession(const WorkerSession&) = delete;
  WorkerSession& operator=(const WorkerSession&) = delete;

  int rank() const { return rank_; }
  int worker_count() const { return count_; }
  // The group was closed before this worker could join: next() gives nothing.
  bool too_late() const { return too_late_; }
  // The next chunk (its function found, a spilled payload mapped), valid
  // until finish() or fail(); nothing once the sleigh is over.
  std::optional<TaskRun> next();
  void finish(const TaskOutcome& out);
  // The whole chunk failed: every element gets `message`, logged too.
  void fail(const std::string& message);

 private:
  void join(const std::string& description, const std::function<void(int, int)>& joined);
  void settle(Result& res, const std::string& log);
  void log_error(const std::string& text);
  void ended(const Error& e);

  WorkerEnv env_;
  ConnectOptions options_;
  std::optional<Server> conn_;
  std::optional<Workspace> ws_;
  std::string display_;
  int rank_ = -1;
  int count_ = 0;
  std::atomic<bool> finished_{false};
  std::atomic<bool> stopping_{false};
  std::thread sentinel_;
  std::map<std::string, std::string, std::less<>> functions_;
  std::optional<Value> current_;  // the task envelope being run
  Task task_;
  std::optional<MappedFile> mapped_;
  std::chrono::steady_clock::time_point started_;
  std::int64_t done_ = 0;
  bool over_ = false;
  bool too_late_ = false;
};

}  // namespace nws::sleigh::detail
