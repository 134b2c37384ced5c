#include "engine_harness.hpp"

namespace nws::engine::test {

void RecordingSink::send(Session& to, const Reply& reply) {
  RecordedReply r;
  r.session = to.id;
  r.is_long = reply.is_long;
  r.status = reply.status;
  r.descriptor = reply.descriptor;
  r.var_id.assign(reply.var_id);
  r.index = reply.index;
  // Only a successful long reply carries a value (possibly empty); an error's
  // value field is always empty, which the failed-long-reply check verifies.
  r.has_value = reply.is_long && reply.status == kOk;
  r.value.assign(reply.bytes);
  r.value_in_blob = reply.blob != nullptr;
  if (reply.blob && reply.blob->view() != reply.bytes) r.value = "<blob and bytes disagree>";
  if (reply.metadata)
    for (const auto& e : reply.metadata->entries()) r.metadata.push_back(e);
  r.reason.assign(reply.reason);
  log_.push_back(r);
  pending_[to.id].push_back(std::move(r));
}

std::vector<RecordedReply> RecordingSink::take(const Session& s) {
  auto& q = pending_[s.id];
  std::vector<RecordedReply> out(q.begin(), q.end());
  q.clear();
  return out;
}

std::size_t RecordingSink::pending(const Session& s) const {
  auto it = pending_.find(s.id);
  return it == pending_.end() ? 0 : it->second.size();
}

proto::Request make_request(const std::vector<std::string>& args, const proto::Dict& metadata) {
  proto::Request r;
  r.metadata = metadata;
  for (const auto& a : args) {
    proto::Arg arg;
    arg.bytes = a;
    r.args.push_back(std::move(arg));
  }
  if (!r.args.empty()) r.info = proto::find_verb(r.args[0].view());
  return r;
}

EngineConfig test_config() {
  EngineConfig c;
  c.now_text = [] { return std::string(kNowText); };
  c.tmp_suffix = kTmpSuffix;
  return c;
}

EngineTest::EngineTest() : engine(test_config(), sink) {}
EngineTest::EngineTest(EngineConfig config) : engine(std::move(config), sink) {}

Session& EngineTest::connect(int i) { return engine.open_session("127.0.0.1:" + std::to_string(1000 + i)); }

std::vector<RecordedReply> EngineTest::run(Session& s, const std::vector<std::string>& args,
                                           const proto::Dict& metadata) {
  // Replies left over from earlier steps would be mistaken for this one's.
  EXPECT_EQ(sink.pending(s), 0u) << "untaken replies before " << (args.empty() ? "" : args[0]);
  sink.take(s);
  engine.execute(s, make_request(args, metadata));
  return sink.take(s);
}

RecordedReply EngineTest::call(Session& s, const std::vector<std::string>& args, const proto::Dict& metadata) {
  auto replies = run(s, args, metadata);
  EXPECT_EQ(replies.size(), 1u) << "request " << (args.empty() ? "(none)" : args[0]);
  EXPECT_FALSE(engine.is_blocked(s));
  return replies.empty() ? RecordedReply{} : replies.front();
}

void EngineTest::call_blocking(Session& s, const std::vector<std::string>& args) {
  auto replies = run(s, args);
  EXPECT_TRUE(replies.empty()) << "blocking " << args[0] << " was answered with status "
                               << (replies.empty() ? 0 : replies.front().status);
  EXPECT_TRUE(engine.is_blocked(s));
}

RecordedReply EngineTest::released(Session& s) {
  auto replies = sink.take(s);
  EXPECT_EQ(replies.size(), 1u) << "session " << s.id << " was not released exactly once";
  EXPECT_FALSE(engine.is_blocked(s));
  return replies.empty() ? RecordedReply{} : replies.front();
}

void EngineTest::open(Session& s, const std::string& ws) {
  EXPECT_TRUE(IsShort(call(s, {"open ws", ws, "4242", "no"}), 0));
}

void EngineTest::use(Session& s, const std::string& ws) {
  EXPECT_TRUE(IsShort(call(s, {"use ws", ws, "", "no"}), 0));
}

void EngineTest::store(Session& s, const std::string& ws, const std::string& var, const std::string& value,
                       const proto::Dict& metadata) {
  EXPECT_TRUE(IsShort(call(s, {"store", ws, var, std::to_string(kPythonString), value}, metadata), 0))
      << "store " << var << "=" << value;
}

void EngineTest::declare(Session& s, const std::string& ws, const std::string& var, const std::string& mode) {
  EXPECT_TRUE(IsShort(call(s, {"declare var", ws, var, mode}), 0)) << "declare " << var << " " << mode;
}

std::string EngineTest::list_vars(Session& s, const std::string& ws) {
  RecordedReply r = call(s, {"list vars", ws});
  EXPECT_TRUE(r.is_long && r.status == 0 && r.has_value) << "list vars " << ws << ": status " << r.status;
  return r.value;
}

std::string EngineTest::list_wss(Session& s) {
  RecordedReply r = call(s, {"list wss"});
  EXPECT_TRUE(r.is_long && r.status == 0 && r.has_value) << "list wss: status " << r.status;
  return r.value;
}

::testing::AssertionResult IsShort(const RecordedReply& r, int status) {
  if (r.is_long) return ::testing::AssertionFailure() << "long reply where a short one was due";
  if (r.status != status)
    return ::testing::AssertionFailure() << "status " << r.status << " instead of " << status << " (" << r.reason
                                         << ")";
  // §6.3: every error reply carries nwsReason; a success has an empty dict.
  if (status != 0 && r.reason.empty()) return ::testing::AssertionFailure() << "error without a reason";
  if (status == 0 && !r.reason.empty()) return ::testing::AssertionFailure() << "success with reason " << r.reason;
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsLongError(const RecordedReply& r, int status) {
  if (!r.is_long) return ::testing::AssertionFailure() << "short reply where a long one was due";
  if (r.status != status)
    return ::testing::AssertionFailure() << "status " << r.status << " instead of " << status << " (" << r.reason
                                         << ")";
  if (r.reason.empty()) return ::testing::AssertionFailure() << "error without a reason";
  // §6.2: a failed long reply is descriptor 0, spaces for the id, index 0, no bytes.
  if (r.descriptor != 0 || !r.var_id.empty() || r.index != 0 || !r.value.empty() || !r.metadata.empty())
    return ::testing::AssertionFailure() << "error reply carries value fields (descriptor " << r.descriptor
                                         << ", id '" << r.var_id << "', index " << r.index << ")";
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsValue(const RecordedReply& r, const std::string& value) {
  if (!r.is_long) return ::testing::AssertionFailure() << "short reply where a value was due";
  if (r.status != 0)
    return ::testing::AssertionFailure() << "status " << r.status << " (" << r.reason << ") instead of value '"
                                         << value << "'";
  if (!r.has_value || r.value != value)
    return ::testing::AssertionFailure() << "value '" << r.value << "' instead of '" << value << "'";
  if (!r.reason.empty()) return ::testing::AssertionFailure() << "value with reason " << r.reason;
  return ::testing::AssertionSuccess();
}

}  // namespace nws::engine::test
