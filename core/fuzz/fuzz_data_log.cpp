// libFuzzer target: replaying the data log's changes (docs/durability.md).
// The input is a sequence of frame payloads, each preceded by a 2-byte
// length (the CRC that guards a real log's frames would stop the fuzzer at
// the door, so frames are cut out here instead).  Each payload is decoded
// and, if every op in it is well formed, applied to an engine as a start
// applies it.  Nothing may crash, leak or read outside the input, and the
// state that results must survive its own snapshot: replaying the snapshot
// into a second engine gives the same workspaces, variables and values.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.hpp"
#include "server/durable/data_log.hpp"
#include "server/durable/record.hpp"

namespace {

using namespace nws;
namespace d = nws::server::durable;

class NoReplies : public engine::ReplySink {
 public:
  void send(engine::Session&, const engine::Reply&) override {}
};

// Records a snapshot as the ops it would write, encoded and decoded again
// through the log's own codec.
class Recorder : public engine::Journal {
 public:
  std::vector<std::string> payloads;
  void workspace(const engine::Workspace& ws) override {
    op(d::OpKind::workspace);
    d::put_string(cur_, ws.name);
    d::put_string(cur_, ws.owner);
    cur_.push_back(ws.persistent ? 1 : 0);
  }
  void delete_workspace(std::string_view) override {}
  void declare(std::string_view ws, std::string_view var, Mode mode) override {
    op(d::OpKind::declare);
    d::put_string(cur_, ws);
    d::put_string(cur_, var);
    d::put_string(cur_, mode_name(mode));
  }
  void delete_variable(std::string_view, std::string_view) override {}
  void store(std::string_view ws, std::string_view var, const engine::ValueView& v) override {
    op(d::OpKind::store);
    d::put_string(cur_, ws);
    d::put_string(cur_, var);
    value(v);
  }
  void taken(std::string_view, std::string_view, std::uint64_t) override {}
  void leased(std::string_view ws, std::string_view var, std::uint64_t lease, const engine::ValueView& v) override {
    op(d::OpKind::leased);
    d::put_string(cur_, ws);
    d::put_string(cur_, var);
    d::put_varint(cur_, lease);
    value(v);
  }
  void acknowledged(std::uint64_t) override {}
  void given_back(std::uint64_t) override {}
  void commit() override {
    if (!cur_.empty()) payloads.push_back(std::move(cur_));
    cur_.clear();
  }

 private:
  void op(d::OpKind k) { cur_.push_back(static_cast<char>(k)); }
  void value(const engine::ValueView& v) {
    d::put_varint(cur_, v.descriptor);
    d::put_string(cur_, v.bytes);
    d::put_varint(cur_, v.metadata ? v.metadata->size() : 0);
    if (v.metadata)
      for (const auto& [k, val] : v.metadata->entries()) {
        d::put_string(cur_, k);
        d::put_string(cur_, val);
      }
  }
  std::string cur_;
};

using State = std::map<std::string, std::map<std::string, std::pair<std::string, std::vector<std::string>>>>;

State state_of(const engine::Engine& e) {
  State st;
  for (const auto& [name, ws] : e.workspaces()) {
    if (!ws->durable) continue;
    auto& vars = st[name];
    for (const auto& [vname, var] : ws->ordered) {
      auto& entry = vars[std::string(vname)];
      entry.first = std::string(mode_name(var->mode()));
      std::vector<std::string>& values = entry.second;
      var->values().visit(0, var->values().size(),
                          [&](std::size_t, const engine::ValueView& v) { values.emplace_back(v.bytes); });
    }
  }
  return st;
}

engine::EngineConfig config(engine::Journal* j) {
  engine::EngineConfig c;
  c.now_text = [] { return std::string("now"); };
  c.journal = j;
  return c;
}

void replay(engine::Engine& e, const std::vector<std::string>& payloads) {
  for (const std::string& p : payloads) {
    std::string error;
    if (!d::decode_ops(p, [](const d::Op&) {}, error)) continue;  // a frame is all or nothing
    d::decode_ops(p, [&](const d::Op& op) { d::apply_op(e, op, nullptr); }, error);
  }
  e.finish_restore();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> payloads;
  while (in.size() >= 2) {
    const std::size_t n = static_cast<unsigned char>(in[0]) | (static_cast<std::size_t>(static_cast<unsigned char>(in[1])) << 8);
    in.remove_prefix(2);
    payloads.emplace_back(in.substr(0, n));
    in.remove_prefix(std::min(n, in.size()));
  }
  Recorder unused;
  NoReplies sink;
  engine::Engine first(config(&unused), sink);
  replay(first, payloads);
  Recorder snapshot;
  first.write_snapshot(snapshot);
  Recorder unused2;
  engine::Engine second(config(&unused2), sink);
  replay(second, snapshot.payloads);
  if (state_of(first) != state_of(second)) __builtin_trap();
  return 0;
}
