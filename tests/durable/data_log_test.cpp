// The data log in process: what a restart restores, a damaged log cut at
// its last good record, compaction, and refusals.
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "log_fixture.hpp"
#include "server/durable/record.hpp"

namespace nws::durable_test {
namespace {

using server::durable::FsyncPolicy;
namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void store(Journalled& j, engine::Session& s, const std::string& var, const std::string& value,
           const std::string& ws = "w") {
  ASSERT_EQ(j.run(s, {"store", ws, var, "16777217", value}).status, 0);
}

std::string fetch(Journalled& j, engine::Session& s, const std::string& var, const std::string& ws = "w") {
  auto r = j.run(s, {"fetchTry", ws, var});
  return r.status == 0 ? r.value : "<none>";
}

// Fills the workspaces a restart must restore: every mode, fetched values,
// a non-persistent workspace (not kept) and an acknowledged lease.
State fill(Journalled& j) {
  engine::Session& s = j.client("w");
  engine::Session& t = j.client("scratch", false);
  for (const char* v : {"f1", "f2", "f3", "f4", "f5"}) store(j, s, "fifo", v);
  EXPECT_EQ(fetch(j, s, "fifo"), "f1");
  EXPECT_EQ(fetch(j, s, "fifo"), "f2");
  j.run(s, {"declare var", "w", "lifo", "lifo"});
  for (const char* v : {"l1", "l2", "l3", "l4"}) store(j, s, "lifo", v);
  EXPECT_EQ(fetch(j, s, "lifo"), "l4");
  j.run(s, {"declare var", "w", "single", "single"});
  store(j, s, "single", "s1");
  store(j, s, "single", "s2");
  j.run(s, {"declare var", "w", "multi", "multi"});
  store(j, s, "multi", "m1");
  store(j, s, "multi", "m2");
  j.run(s, {"declare var", "w", "clock", "__time"});
  store(j, t, "x", "gone", "scratch");
  store(j, s, "gone", "g");
  EXPECT_EQ(j.run(s, {"delete var", "w", "gone"}).status, 0);
  auto leased = j.run(s, {"lease fetch", "w", "fifo", "60000"});
  EXPECT_EQ(leased.value, "f3");
  EXPECT_EQ(j.run(s, {"lease ack", std::to_string(leased.index)}).status, 0);
  State st = j.state();
  st.erase("scratch");
  return st;
}

TEST(DataLog, ARestartRestoresEveryModeInOrder) {
  TempDir dir;
  State before;
  {
    Journalled j(dir.path());
    before = fill(j);
  }
  State later;
  {
    Journalled again(dir.path());
    EXPECT_EQ(again.state(), before);
    EXPECT_TRUE(again.report.damage.empty());
    // And the workspace is durable still: what changes after the restart is kept too.
    engine::Session& s = again.client("w");
    store(again, s, "fifo", "f6");
    later = again.state();
  }
  EXPECT_EQ(before.at("w").at("fifo").values, (std::vector<std::string>{"f4", "f5"}));
  EXPECT_EQ(before.at("w").at("lifo").values, (std::vector<std::string>{"l1", "l2", "l3"}));
  EXPECT_EQ(before.at("w").at("single").values, (std::vector<std::string>{"s2"}));
  EXPECT_EQ(before.at("w").at("clock").mode, "__time");
  Journalled third(dir.path());
  EXPECT_EQ(third.state(), later);
}

TEST(DataLog, MetadataComesBackWithItsValue) {
  TempDir dir;
  {
    Journalled j(dir.path());
    engine::Session& s = j.client("w");
    proto::Request r;
    for (const char* a : {"store", "w", "x", "16777217", "v"}) {
      proto::Arg arg;
      arg.bytes = a;
      r.args.push_back(std::move(arg));
    }
    r.info = proto::find_verb("store");
    r.metadata.set("author", "me");
    j.engine().execute(s, r);
    ASSERT_TRUE(j.log().sync());
  }
  Journalled again(dir.path());
  const auto& ws = *again.engine().workspaces().at("w");
  const engine::Variable* x = ws.find("x");
  ASSERT_TRUE(x);
  ASSERT_EQ(x->values().size(), 1u);
  ASSERT_TRUE(x->values().front().metadata);
  EXPECT_EQ(x->values().front().metadata->get("author"), std::optional<std::string_view>("me"));
}

TEST(DataLog, AValueHeldUnderALeaseComesBackAtTheHead) {
  TempDir dir;
  {
    Journalled j(dir.path());
    engine::Session& s = j.client("w");
    for (const char* v : {"a", "b", "c"}) store(j, s, "task", v);
    auto held = j.run(s, {"lease fetch", "w", "task", "60000"});
    EXPECT_EQ(held.value, "a");
    auto done = j.run(s, {"lease fetch", "w", "task", "60000"});
    EXPECT_EQ(done.value, "b");
    EXPECT_EQ(j.run(s, {"lease ack store", "w", "results", "16777217", "B", std::to_string(done.index)}).status, 0);
    // The server stops with lease `held` unacknowledged.
  }
  Journalled again(dir.path());
  State st = again.state();
  EXPECT_EQ(st.at("w").at("task").values, (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(st.at("w").at("results").values, (std::vector<std::string>{"B"}));
  EXPECT_EQ(again.engine().lease_count(), 0u);
}

TEST(DataLog, AWorkspaceMadePersistentLaterIsKeptWithWhatItHeld) {
  TempDir dir;
  {
    Journalled j(dir.path());
    engine::Session& u = j.engine().open_session("127.0.0.1:9");
    j.run(u, {"use ws", "late", "test", "no", "yes"});
    store(j, u, "x", "early", "late");
    engine::Session& o = j.client("late", true);  // claims it, as persistent
    store(j, o, "x", "later", "late");
  }
  Journalled again(dir.path());
  EXPECT_EQ(again.state().at("late").at("x").values, (std::vector<std::string>{"early", "later"}));
}

TEST(DataLog, DurableAllKeepsEveryWorkspace) {
  TempDir dir;
  {
    Journalled j(dir.path(), FsyncPolicy::no, 64u << 20, engine::Durability::all);
    engine::Session& s = j.client("temp", false);
    store(j, s, "x", "kept", "temp");
  }
  Journalled again(dir.path(), FsyncPolicy::no, 64u << 20, engine::Durability::all);
  EXPECT_EQ(again.state().at("temp").at("x").values, (std::vector<std::string>{"kept"}));
}

// A log whose last record is cut at any byte loads what came before it,
// says so, and goes on as a good log.
TEST(DataLog, ALogCutAtEveryByteOfItsLastRecordLoadsWhatCameBefore) {
  TempDir dir;
  State before_last, after_last;
  std::string log_bytes;
  std::size_t last_start = 0;
  {
    Journalled j(dir.path());
    fill(j);
    engine::Session& s = j.client("w");
    before_last = j.state();
    before_last.erase("scratch");
    last_start = static_cast<std::size_t>(j.log().size());
    store(j, s, "fifo", "the last value, long enough to be cut in many places");
    after_last = j.state();
    after_last.erase("scratch");
    log_bytes = read_file(j.log().path());
  }
  ASSERT_GT(log_bytes.size(), last_start + server::durable::kFrameHeader);
  for (std::size_t cut = last_start; cut <= log_bytes.size(); ++cut) {
    TempDir copy;
    write_file(copy.path() + "/nws.log", std::string_view(log_bytes).substr(0, cut));
    State loaded;
    {
      Journalled j(copy.path());
      loaded = j.state();
      const bool whole = cut == log_bytes.size();
      EXPECT_EQ(loaded, whole ? after_last : before_last) << "cut at " << cut;
      EXPECT_EQ(j.report.damage.empty(), cut == last_start || whole) << "cut at " << cut << ": " << j.report.damage;
      EXPECT_EQ(j.report.dropped_bytes, whole ? 0u : cut - last_start) << "cut at " << cut;
      // The server goes on: a change made now survives the next restart.
      engine::Session& s = j.client("w");
      store(j, s, "fifo", "after");
      loaded = j.state();
    }
    Journalled again(copy.path());
    EXPECT_EQ(again.state(), loaded) << "cut at " << cut;
    EXPECT_TRUE(again.report.damage.empty()) << "cut at " << cut;
  }
}

TEST(DataLog, ADamagedRecordInTheMiddleKeepsWhatCameBeforeIt) {
  TempDir dir;
  State after_first;
  std::string log_bytes;
  std::size_t second_start = 0;
  {
    Journalled j(dir.path());
    engine::Session& s = j.client("w");
    store(j, s, "x", "one");
    after_first = j.state();
    second_start = static_cast<std::size_t>(j.log().size());
    store(j, s, "x", "two");
    store(j, s, "x", "three");
    log_bytes = read_file(j.log().path());
  }
  log_bytes[second_start + server::durable::kFrameHeader + 3] ^= 0x40;  // inside the second store's payload
  write_file(dir.path() + "/nws.log", log_bytes);
  Journalled again(dir.path());
  EXPECT_EQ(again.state(), after_first);
  EXPECT_NE(again.report.damage.find("checksum"), std::string::npos) << again.report.damage;
  ASSERT_FALSE(again.report.damaged_copy.empty());
  EXPECT_EQ(read_file(again.report.damaged_copy), log_bytes.substr(second_start));
}

TEST(DataLog, CompactionKeepsTheLogNearTheSizeOfWhatItHolds) {
  TempDir dir;
  State before;
  {
    Journalled j(dir.path(), FsyncPolicy::no, /*compact_min=*/4096);
    engine::Session& s = j.client("w");
    for (int i = 0; i < 5000; ++i) {
      store(j, s, "churn", "value " + std::to_string(i));
      if (i % 10 != 0) ASSERT_NE(fetch(j, s, "churn"), "<none>");
    }
    before = j.state();
    EXPECT_EQ(before.at("w").at("churn").values.size(), 500u);
    // 5000 stores and 4500 fetches, about 30 bytes each, were written; the
    // log holds about twice the 500 values left at most.
    EXPECT_LT(j.log().size(), 2 * 500 * 40 + 4096u);
  }
  Journalled again(dir.path(), FsyncPolicy::no, 4096);
  EXPECT_EQ(again.state(), before);
}

TEST(DataLog, AFileThatIsNotALogIsRefusedWithWhatToDo) {
  TempDir dir;
  write_file(dir.path() + "/nws.log", "this is not a log at all\n");
  try {
    Journalled j(dir.path());
    FAIL() << "loaded a file that is not a log";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("is not an NWS data log"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--data-dir"), std::string::npos) << e.what();
  }
  EXPECT_EQ(read_file(dir.path() + "/nws.log"), "this is not a log at all\n");  // left as it was
}

TEST(DataLog, ASecondServerOnTheSameDirectoryIsRefused) {
  TempDir dir;
  Journalled first(dir.path());
  try {
    server::durable::DataLog second(server::durable::DataLogConfig{dir.path(), FsyncPolicy::no});
    FAIL() << "two logs on one directory";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("in use by another nws-server"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nws::durable_test
