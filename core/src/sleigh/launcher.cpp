#include "sleigh/launcher.hpp"
#include "nws/sleigh_tasks.hpp"

#include <algorithm>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

extern char** environ;

namespace nws::sleigh {

LaunchKind launch_kind_named(std::string_view name) {
  if (name == "local") return LaunchKind::local;
  if (name == "command") return LaunchKind::command;
  if (name == "slurm") return LaunchKind::slurm;
  if (name == "manual") return LaunchKind::manual;
  throw Error(Errc::invalid_argument,
              "unknown launch kind '" + std::string(name) + "' (local, command, slurm or manual)");
}

std::string shell_quote(std::string_view w) {
  if (!w.empty() && w.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-") ==
                        std::string_view::npos)
    return std::string(w);
  std::string out = "'";
  for (char c : w) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

std::vector<std::string> ssh_prefix(const std::string& node, const std::string& user) {
  std::vector<std::string> p{"ssh", "-n", "-x"};
  if (!user.empty()) p.insert(p.end(), {"-l", user});
  p.push_back(node);
  return p;
}

std::vector<std::string> ssh_forward_prefix(const std::string& node, const std::string& user,
                                            std::uint16_t remote_port, const std::string& nws_host,
                                            std::uint16_t nws_port, const std::string& remote_host) {
  std::vector<std::string> p{"ssh", "-n", "-x"};
  std::string spec = (remote_host.empty() ? "" : remote_host + ":") + std::to_string(remote_port) + ":" + nws_host +
                     ":" + std::to_string(nws_port);
  p.insert(p.end(), {"-R", spec});
  if (!user.empty()) p.insert(p.end(), {"-l", user});
  p.push_back(node);
  return p;
}

namespace detail {
namespace {

int cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  unsigned n = std::thread::hardware_concurrency();
  return n ? static_cast<int>(n) : 1;
}

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  long n = std::strtol(v, &end, 10);
  return (end && !*end && n > 0 && n < (1 << 30)) ? static_cast<int>(n) : fallback;
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) s.replace(at, from.size(), to);
  return s;
}

[[noreturn]] void launch_failed(const std::string& what, int err) {
  throw Error(Errc::operation_failed, "sleigh: could not start " + what + ": " + std::strerror(err));
}

}  // namespace

Launcher::Launcher(LaunchOptions options, WorkerEnv base) : o_(std::move(options)), base_(std::move(base)) {
  // The workers' language decides their program (unless the master gives
  // its own) and the prefix of their environment.
  if (!o_.language.empty()) {
    const std::string lang = language_id(o_.language);
    if (o_.worker_program.empty() && o_.kind != LaunchKind::manual) o_.worker_program = default_worker_program(lang);
    o_.env_prefix = env_prefix_for(lang);
    base_.language = lang;
  } else if (o_.env_prefix.empty()) {
    o_.env_prefix = env_prefix_for("python");
  }
  base_.load = o_.load;
  switch (o_.kind) {
    case LaunchKind::local: count_ = o_.worker_count > 0 ? o_.worker_count : cores(); break;
    case LaunchKind::command:
      if (o_.node_list.empty())
        throw Error(Errc::invalid_argument, "sleigh: a launch by command needs a node list (nodeList)");
      if (!o_.prefix) throw Error(Errc::invalid_argument, "sleigh: a launch by command needs a command prefix");
      count_ = o_.worker_count > 0 ? o_.worker_count : static_cast<int>(o_.node_list.size());
      break;
    case LaunchKind::slurm: count_ = o_.worker_count > 0 ? o_.worker_count : env_int("SLURM_NTASKS", 1); break;
    case LaunchKind::manual: count_ = -1; break;  // no limit: the master closes the group
  }
  if (o_.kind != LaunchKind::manual && o_.worker_program.empty())
    throw Error(Errc::invalid_argument, "sleigh: no worker program to launch");
  base_.worker_count = count_;
  base_.working_dir = o_.working_dir;
  base_.log_dir = o_.log_dir;
  base_.module_path = o_.module_path;
  base_.redirect_output = o_.redirect_output;
  if (o_.kind != LaunchKind::local) base_.spill_dir.clear();  // only local workers see the master's files
}

std::string Launcher::log_file(int id) const {
  if (o_.log_dir.empty()) return {};
  char name[32];
  std::snprintf(name, sizeof name, "_%04d.txt", id);
  return base_.sleigh_ws + name;
}

WorkerEnv Launcher::env_for(int id) const {
  WorkerEnv e = base_;
  e.id = id;
  e.worker_out = log_file(id);
  return e;
}

namespace {
// Worker variables that are secrets: never on a command line.
constexpr const char* kSecretVariables[] = {"NWS_PASSWORD", "NWS_TOKEN"};
bool is_secret(const std::string& name) {
  for (const char* s : kSecretVariables)
    if (name == s) return true;
  return false;
}
}  // namespace

std::string Launcher::secrets_input() const {
  std::string in;
  for (const char* s : kSecretVariables) {
    auto it = base_.connection.find(s);
    if (it != base_.connection.end() && !it->second.empty()) in += std::string(s) + "=" + it->second + "\n";
  }
  return in;
}

std::string Launcher::remote_line(const WorkerEnv& env) const {
  std::string line;
  // Secrets arrive on standard input, one NAME=value line each, and are
  // exported before anything else runs.
  if (!secrets_input().empty()) line += "while IFS= read -r nws_kv && [ -n \"$nws_kv\" ]; do export \"$nws_kv\"; done; ";
  if (!env.working_dir.empty()) line += "cd " + shell_quote(env.working_dir) + " && ";
  line += "exec env";
  for (const auto& [k, v] : o_.extra_env) line += " " + shell_quote(k + "=" + v);
  for (const auto& [k, v] : env.to_environment(o_.env_prefix))
    if (!is_secret(k)) line += " " + shell_quote(k + "=" + v);
  for (const auto& w : o_.worker_program) line += " " + shell_quote(w);
  if (!env.worker_out.empty())
    line += " > " + shell_quote(env.log_dir + "/" + env.worker_out) + " 2>&1";
  line += " < /dev/null";
  return line;
}

pid_t Launcher::spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                      const std::string& output, bool capture, int* out_fd, const std::string& input) {
  // The environment: ours, with the contract's variables over it.
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string_view::npos) merged.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  for (const auto& [k, v] : o_.extra_env) merged[k] = v;
  for (const auto& [k, v] : env) merged[k] = v;
  std::vector<std::string> env_strings;
  env_strings.reserve(merged.size());
  for (const auto& [k, v] : merged) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  int input_fds[2] = {-1, -1};
  if (input.empty()) {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  } else {
    // Small (a few secrets): it fits the pipe, written before the child reads.
    if (pipe2(input_fds, O_CLOEXEC) != 0) launch_failed(argv[0], errno);
    posix_spawn_file_actions_adddup2(&actions, input_fds[0], 0);
  }
  int pipe_fds[2] = {-1, -1};
  if (capture) {
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) launch_failed(argv[0], errno);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  } else if (!output.empty()) {
    posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
  }
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // A session of its own: Ctrl-C in the master's terminal does not reach
  // the workers, and finish() can kill a worker's whole process group.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), envp.data());
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (capture) close(pipe_fds[1]);
  if (input_fds[0] >= 0) {
    close(input_fds[0]);
    if (rc == 0) {
      [[maybe_unused]] auto n = ::write(input_fds[1], input.data(), input.size());
    }
    close(input_fds[1]);
  }
  if (rc != 0) {
    if (capture) close(pipe_fds[0]);
    launch_failed("'" + argv[0] + "'", rc);
  }
  if (capture) *out_fd = pipe_fds[0];
  return pid;
}

Launcher::Ran Launcher::run_to_end(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                                   bool capture) {
  int fd = -1;
  Ran r;
  pid_t pid = spawn(argv, env, capture ? "" : "/dev/null", capture, &fd);
  if (capture) {
    char buf[256];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) != 0;) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) break;
      r.out.append(buf, static_cast<std::size_t>(n));
    }
    close(fd);
  }
  while (waitpid(pid, &r.status, 0) < 0 && errno == EINTR) {
  }
  return r;
}

void Launcher::start() {
  switch (o_.kind) {
    case LaunchKind::manual: return;
    case LaunchKind::local:
      for (int i = 0; i < count_; ++i) {
        WorkerEnv e = env_for(i);
        children_.push_back(spawn(o_.worker_program, e.to_environment(o_.env_prefix),
                                  e.worker_out.empty() ? "" : e.log_dir + "/" + e.worker_out, false, nullptr));
      }
      return;
    case LaunchKind::command:
      for (int i = 0; i < count_; ++i) {
        const std::string& node = o_.node_list[static_cast<std::size_t>(i) % o_.node_list.size()];
        WorkerEnv e = env_for(i);
        e.name = node;
        std::vector<std::string> argv = o_.prefix(node);
        if (argv.empty()) throw Error(Errc::invalid_argument, "sleigh: the command prefix for " + node + " is empty");
        const std::string secrets = secrets_input();
        // The secrets go on the command's standard input, so ssh must read
        // it: drop its -n (stdin from /dev/null); ours ends after them.
        if (!secrets.empty()) argv.erase(std::remove(argv.begin(), argv.end(), std::string("-n")), argv.end());
        argv.push_back(remote_line(e));
        children_.push_back(spawn(argv, {}, "", false, nullptr, secrets));
      }
      return;
    case LaunchKind::slurm: {
      // One step of count_ tasks; each task's SLURM_PROCID is its launch id.
      WorkerEnv e = base_;
      std::vector<std::string> srun{"srun", "--ntasks=" + std::to_string(count_), "--kill-on-bad-exit=0"};
      if (!o_.log_dir.empty()) srun.push_back("--output=" + o_.log_dir + "/" + base_.sleigh_ws + "_%4t.txt");
      const bool inside = std::getenv("SLURM_JOB_ID") != nullptr;
      if (inside) {
        srun.insert(srun.end(), o_.slurm_args.begin(), o_.slurm_args.end());
        srun.insert(srun.end(), o_.worker_program.begin(), o_.worker_program.end());
        children_.push_back(spawn(srun, e.to_environment(o_.env_prefix), "", false, nullptr));
        return;
      }
      // Outside an allocation: one batch job whose script runs that step.
      std::string wrap;
      for (const auto& w : srun) wrap += (wrap.empty() ? "" : " ") + shell_quote(w);
      for (const auto& w : o_.worker_program) wrap += " " + shell_quote(w);
      std::vector<std::string> sbatch{"sbatch", "--parsable", "--ntasks=" + std::to_string(count_),
                                      "--job-name=" + base_.sleigh_ws,
                                      "--output=" + (o_.log_dir.empty() ? std::string("/dev/null")
                                                                        : o_.log_dir + "/" + base_.sleigh_ws + ".txt")};
      if (!o_.working_dir.empty()) sbatch.push_back("--chdir=" + o_.working_dir);
      sbatch.insert(sbatch.end(), o_.slurm_args.begin(), o_.slurm_args.end());
      sbatch.insert(sbatch.end(), {"--wrap", wrap});
      Ran r = run_to_end(sbatch, e.to_environment(o_.env_prefix), true);
      if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0)
        throw Error(Errc::operation_failed, "sleigh: sbatch failed (exit status " +
                                                std::to_string(WEXITSTATUS(r.status)) + "); is SLURM running here?");
      batch_job_ = r.out.substr(0, r.out.find_first_of(";\n"));
      return;
    }
  }
}

void Launcher::finish(std::chrono::steady_clock::time_point deadline) {
  if (!batch_job_.empty()) {
    // The job ends by itself once its workers have gone through their
    // sentinels; one still queued (or stuck) at the deadline is cancelled,
    // or it would start workers for nobody.
    try {
      while (std::chrono::steady_clock::now() < deadline &&
             run_to_end({"squeue", "--noheader", "--jobs", batch_job_, "--format=%T"}, {}, true)
                     .out.find_first_not_of(" \n") != std::string::npos)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      run_to_end({"scancel", batch_job_}, {}, false);
    } catch (const Error&) {
    }
    batch_job_.clear();
  }
  std::vector<pid_t> left;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    const pid_t pid = children_[i];
    if (i < reaped_.size() && reaped_[i]) continue;
    for (;;) {
      int status = 0;
      pid_t r = waitpid(pid, &status, WNOHANG);
      if (r == pid || (r < 0 && errno == ECHILD)) break;
      if (std::chrono::steady_clock::now() >= deadline) {
        left.push_back(pid);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  for (pid_t pid : left) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  children_.clear();
  reaped_.clear();
}

std::vector<Launcher::Exit> Launcher::reap_exited() {
  std::vector<Exit> out;
  if (o_.kind != LaunchKind::local) return out;
  reaped_.resize(children_.size(), false);
  for (std::size_t i = 0; i < children_.size(); ++i) {
    if (reaped_[i]) continue;
    int status = 0;
    if (waitpid(children_[i], &status, WNOHANG) == children_[i]) {
      reaped_[i] = true;
      out.push_back(Exit{static_cast<int>(i), children_[i], status});
    }
  }
  return out;
}

std::string Launcher::program_line() const {
  std::string line;
  for (const auto& w : o_.worker_program) line += (line.empty() ? "" : " ") + shell_quote(w);
  return line;
}

std::string Launcher::manual_command() const {
  std::string c = o_.manual_command;
  c = replace_all(c, "{ws}", base_.sleigh_ws);
  c = replace_all(c, "{userws}", base_.user_ws);
  c = replace_all(c, "{host}", base_.host);
  c = replace_all(c, "{port}", std::to_string(base_.port));
  return c;
}

}  // namespace detail
}  // namespace nws::sleigh
