// An engine journalling to a data log in a temporary directory, restarted
// at will: what the durability tests drive in process.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "server/durable/data_log.hpp"

namespace nws::durable_test {

// What a server holds, as the tests compare it: workspace -> variable ->
// mode and values (front to back, as `visit` walks them).
struct VarState {
  std::string mode;
  std::vector<std::string> values;
  bool operator==(const VarState&) const = default;
};
std::ostream& operator<<(std::ostream& o, const VarState& v);
using State = std::map<std::string, std::map<std::string, VarState>>;

// Discards replies, keeping the last one per session for checks.
class LastReply : public engine::ReplySink {
 public:
  void send(engine::Session& to, const engine::Reply& r) override;
  struct Seen {
    int status = 0;
    std::string value;
    std::int64_t index = 0;
    std::string reason;
  };
  std::map<std::uint64_t, Seen> last;
};

// A fresh temporary directory, removed at the end.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class Journalled {
 public:
  Journalled(const std::string& dir, server::durable::FsyncPolicy policy = server::durable::FsyncPolicy::no,
             std::uint64_t compact_min = 64u << 20, engine::Durability durability = engine::Durability::persistent);
  ~Journalled();

  // One connection, lease-capable, that opened `ws` as persistent.
  engine::Session& client(const std::string& ws = "w", bool persistent = true);
  // Runs a request and writes the log (as the server's turn would).
  LastReply::Seen run(engine::Session& s, const std::vector<std::string>& args);
  State state() const;

  engine::Engine& engine() { return *engine_; }
  server::durable::DataLog& log() { return *log_; }
  server::durable::LoadReport report;

 private:
  LastReply sink_;
  std::unique_ptr<server::durable::DataLog> log_;
  std::unique_ptr<engine::Engine> engine_;
  int next_peer_ = 1;
};

}  // namespace nws::durable_test
