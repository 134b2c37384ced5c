#include "server_process.hpp"

#include <sys/resource.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#ifndef NWS_SERVER_BINARY
#error "NWS_SERVER_BINARY must name the nws-server program"
#endif

namespace nws::test {
namespace {

std::string make_temp_dir() {
  char tmpl[] = "/tmp/nws-test-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

std::size_t count_files(const std::string& dir) {
  std::size_t n = 0;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return 0;
  while (dirent* e = ::readdir(d)) {
    if (!std::strcmp(e->d_name, ".") || !std::strcmp(e->d_name, "..")) continue;
    std::string path = dir + "/" + e->d_name;
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) n += count_files(path);
    else ++n;
  }
  ::closedir(d);
  return n;
}

void remove_tree(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d) {
    while (dirent* e = ::readdir(d)) {
      if (!std::strcmp(e->d_name, ".") || !std::strcmp(e->d_name, "..")) continue;
      std::string path = dir + "/" + e->d_name;
      struct stat st {};
      if (::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) remove_tree(path);
      else ::unlink(path.c_str());
    }
    ::closedir(d);
  }
  ::rmdir(dir.c_str());
}

}  // namespace

ServerProcess::ServerProcess(std::vector<std::string> extra_args, ServerLimits limits) {
  spool_parent_ = make_temp_dir();
  log_path_ = spool_parent_ + ".log";
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> args = {NWS_SERVER_BINARY, "--bind", "127.0.0.1", "--port", "0",
                                   "--spool-dir", spool_parent_, "--log-level", "info"};
  // Its web interface on a free port too, unless the test says otherwise:
  // tests run side by side, and the default 8766 would be one server's only.
  const bool web_chosen = std::find_if(extra_args.begin(), extra_args.end(), [](const std::string& a) {
                            return a == "--web-port" || a == "--no-web";
                          }) != extra_args.end();
  if (!web_chosen) args.insert(args.end(), {"--web-port", "0"});
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::dup2(out[1], 1);
    int err = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (err >= 0) ::dup2(err, 2);
    if (limits.descriptors > 0) {
      rlimit lim{limits.descriptors, limits.descriptors};
      ::setrlimit(RLIMIT_NOFILE, &lim);
    }
    if (limits.address_space > 0) {
      rlimit lim{limits.address_space, limits.address_space};
      ::setrlimit(RLIMIT_AS, &lim);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    std::_Exit(127);
  }
  ::close(out[1]);
  // The first stdout line is "nws-server listening on HOST:PORT".
  std::string line;
  char c;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    ssize_t n = ::read(out[0], &c, 1);
    if (n <= 0) break;
    if (c == '\n') break;
    line += c;
  }
  // Then "nws-server web interface on SCHEME://HOST:PORT/", unless it has none.
  const bool web = std::find(args.begin(), args.end(), std::string("--no-web")) == args.end();
  std::string web_line;
  while (web && std::chrono::steady_clock::now() < deadline) {
    ssize_t n = ::read(out[0], &c, 1);
    if (n <= 0 || c == '\n') break;
    web_line += c;
  }
  if (auto at = web_line.rfind(':'); at != std::string::npos && web_line.find("web interface on") != std::string::npos)
    web_port_ = static_cast<std::uint16_t>(std::stoi(web_line.substr(at + 1)));
  ::close(out[0]);
  auto colon = line.rfind(':');
  if (line.find("listening on") == std::string::npos || colon == std::string::npos) {
    stop(9);
    throw std::runtime_error("nws-server did not start: '" + line + "'; log: " + log());
  }
  port_ = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
}

ServerProcess::~ServerProcess() {
  if (!reaped_) stop(SIGKILL);
  remove_tree(spool_parent_);
  ::unlink(log_path_.c_str());
}

std::size_t ServerProcess::spool_file_count() const { return count_files(spool_parent_); }

bool ServerProcess::running() {
  if (reaped_) return false;
  int status;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) { reaped_ = true; return false; }
  return true;
}

bool ServerProcess::wait_exit(int ms, int* status_out) {
  if (reaped_) return true;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  do {
    int status;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      reaped_ = true;
      if (status_out) *status_out = status;
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

int ServerProcess::stop(int signal_number) {
  if (reaped_) return 0;
  ::kill(pid_, signal_number);
  int status = 0;
  if (!wait_exit(10000, &status)) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
  }
  return status;
}

std::string ServerProcess::log() const {
  std::ifstream f(log_path_);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace nws::test
