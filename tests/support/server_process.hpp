// Starts a real nws-server on a free loopback port for a test, and stops it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace nws::test {

// Resource limits for the server process (0: inherited), to run it out of
// descriptors or memory on purpose.
struct ServerLimits {
  unsigned descriptors = 0;         // RLIMIT_NOFILE, soft and hard
  std::uint64_t address_space = 0;  // RLIMIT_AS in bytes
};

class ServerProcess {
 public:
  // Runs the nws-server binary (NWS_SERVER_BINARY, set by CMake) with
  // --bind 127.0.0.1 --port 0 plus `extra_args`, and waits for its
  // "listening" line to learn the port.
  explicit ServerProcess(std::vector<std::string> extra_args = {}, ServerLimits limits = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  std::uint16_t port() const { return port_; }
  // The web interface's port (0: none).
  std::uint16_t web_port() const { return web_port_; }
  pid_t pid() const { return pid_; }
  // Its private spool directory parent (a fresh temp dir per server).
  const std::string& spool_parent() const { return spool_parent_; }
  // Files currently under the spool parent (recursively), for leak checks.
  std::size_t spool_file_count() const;

  bool running();
  // SIGTERM, then waits; returns the exit status (as from waitpid).
  int stop(int signal_number = 15);
  // Waits up to `ms` for the process to exit on its own; true if it did.
  bool wait_exit(int ms, int* status = nullptr);
  // What the server wrote to stderr so far.
  std::string log() const;

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::uint16_t web_port_ = 0;
  std::string spool_parent_;
  std::string log_path_;
  bool reaped_ = false;
};

}  // namespace nws::test
