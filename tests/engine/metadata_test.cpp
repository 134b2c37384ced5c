// Request metadata kept with stored values and returned as reply metadata
// (PROTOCOL.md §5.2, §6.3, §7.4, §14.1).
#include "engine_harness.hpp"

namespace nws::engine::test {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

class MetadataTest : public EngineTest {
 protected:
  void SetUp() override { open(a); }
  Session& a = connect(0);
};

TEST_F(MetadataTest, StoredMetadataComesBackWithEveryRetrievalOfThatValue) {
  store(a, "ws", "x", "v", proto::Dict{{"batchId", "7"}, {"delay", "0"}});
  const Entries expected{{"batchId", "7"}, {"delay", "0"}};
  EXPECT_EQ(call(a, {"findTry", "ws", "x"}).metadata, expected);
  EXPECT_EQ(call(a, {"find", "ws", "x"}).metadata, expected);
  EXPECT_EQ(call(a, {"ifindTry", "ws", "x", "", "0"}).metadata, expected);
  EXPECT_EQ(call(a, {"fetch", "ws", "x"}).metadata, expected);
}

TEST_F(MetadataTest, EachValueKeepsItsOwnMetadata) {
  store(a, "ws", "x", "one", proto::Dict{{"n", "1"}});
  store(a, "ws", "x", "two");
  store(a, "ws", "x", "three", proto::Dict{{"n", "3"}});
  EXPECT_EQ(call(a, {"fetch", "ws", "x"}).metadata, (Entries{{"n", "1"}}));
  EXPECT_TRUE(call(a, {"fetch", "ws", "x"}).metadata.empty());
  EXPECT_EQ(call(a, {"fetch", "ws", "x"}).metadata, (Entries{{"n", "3"}}));
}

TEST_F(MetadataTest, SingleReplacementReplacesMetadataToo) {
  declare(a, "ws", "one", "single");
  store(a, "ws", "one", "old", proto::Dict{{"k", "old"}});
  store(a, "ws", "one", "new");
  EXPECT_TRUE(call(a, {"find", "ws", "one"}).metadata.empty());
}

TEST_F(MetadataTest, LifoValueKeepsItsMetadata) {
  declare(a, "ws", "s", "lifo");
  store(a, "ws", "s", "v", proto::Dict{{"k", "v"}});
  EXPECT_EQ(call(a, {"fetch", "ws", "s"}).metadata, (Entries{{"k", "v"}}));
}

TEST_F(MetadataTest, RetrievalMetadataDoesNotChangeWhatIsReturned) {
  store(a, "ws", "x", "v", proto::Dict{{"stored", "yes"}});
  RecordedReply r = call(a, {"fetch", "ws", "x"}, proto::Dict{{"asked", "1"}});
  EXPECT_EQ(r.metadata, (Entries{{"stored", "yes"}}));
}

TEST_F(MetadataTest, ServerMadeValuesCarryNoMetadata) {
  declare(a, "ws", "t", "__time");
  EXPECT_TRUE(call(a, {"fetch", "ws", "t"}, proto::Dict{{"k", "v"}}).metadata.empty());
  EXPECT_TRUE(call(a, {"list wss"}, proto::Dict{{"k", "v"}}).metadata.empty());
}

TEST_F(MetadataTest, SuccessfulShortRepliesCarryNeitherMetadataNorReason) {
  RecordedReply r = call(a, {"store", "ws", "x", "1", "v"}, proto::Dict{{"k", "v"}});
  EXPECT_TRUE(IsShort(r, 0));
  EXPECT_TRUE(r.metadata.empty());
}

}  // namespace
}  // namespace nws::engine::test
