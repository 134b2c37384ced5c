// §21 items 3, 4, 5, 7: variable modes (§9.3-9.5), declarations (§9.8) and
// the empty string value.
#include "conformance_support.hpp"

namespace nws::conformance {
namespace {

using ModesTest = ConformanceTest;

void store_digits(RawClient& c, const std::string& var) {
  for (int i = 0; i < 10; ++i) c.store("ws", var, std::to_string(i));
}

TEST_F(ModesTest, NewVariableIsFifoAndFetchTryReturnsValuesInStoreOrderThenFails) {
  RawClient c = connect_and_open("ws");
  store_digits(c, "x");
  for (int i = 0; i < 10; ++i) {
    LongReply r = c.call_long({"fetchTry", "ws", "x"});
    ASSERT_EQ(r.status(), 0);
    EXPECT_EQ(r.value, std::to_string(i));
    EXPECT_EQ(r.head.descriptor, kPyStringDescriptor);
    EXPECT_EQ(r.head.index, i) << "fifo index: values that left the queue before this one";
  }
  c.request({"fetchTry", "ws", "x"});
  EXPECT_EQ(c.read_exact(84), long_error_bytes(1));
  EXPECT_EQ(find_var(list_vars(c, "ws"), "x")->mode, "fifo");
}

TEST_F(ModesTest, LifoVariableReturnsValuesInReverseOrder) {
  RawClient c = connect_and_open("ws");
  ASSERT_EQ(c.call_short({"declare var", "ws", "x", "lifo"}), 0);
  store_digits(c, "x");
  for (int i = 9; i >= 0; --i) {
    LongReply r = c.call_long({"fetchTry", "ws", "x"});
    ASSERT_EQ(r.status(), 0);
    EXPECT_EQ(r.value, std::to_string(i));
  }
  EXPECT_EQ(c.call_long({"fetchTry", "ws", "x"}).status(), 1);
}

TEST_F(ModesTest, SingleVariableKeepsOnlyTheLastValue) {
  RawClient c = connect_and_open("ws");
  ASSERT_EQ(c.call_short({"declare var", "ws", "x", "single"}), 0);
  store_digits(c, "x");
  EXPECT_EQ(find_var(list_vars(c, "ws"), "x")->values, 1);
  LongReply r = c.call_long({"fetchTry", "ws", "x"});
  ASSERT_EQ(r.status(), 0);
  EXPECT_EQ(r.value, "9");
  EXPECT_EQ(c.call_long({"fetchTry", "ws", "x"}).status(), 1);
}

TEST_F(ModesTest, RedeclaringWithAnotherModeFailsAndWithTheSameModeSucceeds) {
  RawClient c = connect_and_open("ws");
  ASSERT_EQ(c.call_short({"declare var", "ws", "x", "lifo"}), 0);
  EXPECT_EQ(c.call_short({"declare var", "ws", "x", "lifo"}), 0);
  for (const char* other : {"fifo", "multi", "single"})
    EXPECT_EQ(c.call_short({"declare var", "ws", "x", other}), 1) << other;
  EXPECT_EQ(find_var(list_vars(c, "ws"), "x")->mode, "lifo") << "a failed redeclaration changes nothing";
}

TEST_F(ModesTest, FifoVariableCreatedByStoreCannotBecomeSingle) {
  RawClient c = connect_and_open("ws");
  c.store("ws", "x", "v");
  EXPECT_EQ(c.call_short({"declare var", "ws", "x", "single"}), 1);
  EXPECT_EQ(c.call_short({"declare var", "ws", "x", "fifo"}), 0);
  EXPECT_EQ(list_vars(c, "ws"), "x\t1\t0\t0\tfifo");
}

TEST_F(ModesTest, DeclaringAnInvalidModeFailsButLeavesAnUnknownVariable) {
  RawClient c = connect_and_open("ws");
  EXPECT_EQ(c.call_short({"declare var", "ws", "x", "FIFO"}), 1) << "mode names are case-sensitive";
  EXPECT_EQ(list_vars(c, "ws"), "x\t0\t0\t0\tunknown") << "Quirk Q3";
  // An unknown variable may still be declared.
  EXPECT_EQ(c.call_short({"declare var", "ws", "x", "single"}), 0);
  EXPECT_EQ(list_vars(c, "ws"), "x\t0\t0\t0\tsingle");
}

TEST_F(ModesTest, EmptyStringRoundTripsAsDirectStringThenFetchTryFails) {
  RawClient c = connect_and_open("ws");
  c.store("ws", "x", "");
  c.request({"fetchTry", "ws", "x"});
  std::string reply = c.read_exact(84);
  EXPECT_EQ(reply.substr(0, 24), "0000" + std::string(kPyString)) << "direct-string bit kept";
  EXPECT_EQ(reply.substr(44), n20(0) + n20(0)) << "index 0, length 0";
  EXPECT_EQ(c.call_long({"fetchTry", "ws", "x"}).status(), 1);
}

}  // namespace
}  // namespace nws::conformance
