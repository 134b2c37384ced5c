#include "log_fixture.hpp"

#include <stdlib.h>

#include <filesystem>
#include <ostream>

#include "engine/session.hpp"
#include "protocol/request_decoder.hpp"

namespace nws::durable_test {

std::ostream& operator<<(std::ostream& o, const VarState& v) {
  o << v.mode << "[";
  for (const auto& x : v.values) o << x << ",";
  return o << "]";
}

void LastReply::send(engine::Session& to, const engine::Reply& r) {
  Seen& s = last[to.id];
  s.status = r.status;
  s.value.assign(r.bytes);
  s.index = r.index;
  s.reason.assign(r.reason);
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "nws-durable-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

Journalled::Journalled(const std::string& dir, server::durable::FsyncPolicy policy, std::uint64_t compact_min,
                       engine::Durability durability) {
  log_ = std::make_unique<server::durable::DataLog>(server::durable::DataLogConfig{dir, policy, compact_min});
  engine::EngineConfig c;
  c.now_text = [] { return std::string("now"); };
  c.journal = log_.get();
  c.durability = durability;
  c.first_lease_id = 1000;
  engine_ = std::make_unique<engine::Engine>(std::move(c), sink_);
  report = log_->load(*engine_, [](std::string_view) { return proto::BlobRef(); });
}

Journalled::~Journalled() {
  engine_.reset();
  log_.reset();
}

engine::Session& Journalled::client(const std::string& ws, bool persistent) {
  engine::Session& s = engine_->open_session("127.0.0.1:" + std::to_string(next_peer_++));
  s.lease_enabled = true;
  run(s, {"open ws", ws, "test", persistent ? "yes" : "no"});
  return s;
}

LastReply::Seen Journalled::run(engine::Session& s, const std::vector<std::string>& args) {
  proto::Request r;
  for (const auto& a : args) {
    proto::Arg arg;
    arg.bytes = a;
    r.args.push_back(std::move(arg));
  }
  r.info = proto::find_verb(r.args[0].view());
  engine_->execute(s, r);
  EXPECT_TRUE(log_->sync());
  return sink_.last[s.id];
}

State Journalled::state() const {
  State st;
  for (const auto& [name, ws] : engine_->workspaces()) {
    auto& vars = st[name];
    for (const auto& [vname, var] : ws->ordered) {
      VarState& v = vars[std::string(vname)];
      v.mode = std::string(mode_name(var->mode()));
      var->values().visit(0, var->values().size(),
                          [&](std::size_t, const engine::ValueView& x) { v.values.emplace_back(x.bytes); });
    }
  }
  return st;
}

}  // namespace nws::durable_test
