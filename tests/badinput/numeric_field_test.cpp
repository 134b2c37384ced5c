// Count and length fields that are absurd, signed, negative or not numbers
// (PROTOCOL.md §2): lenient where the original was lenient; otherwise the
// request is refused with an error reply saying which field, and the
// connection closes after it (the stream cannot be followed past the field;
// docs/limits.md).
#include "harness.hpp"

namespace nws::test {
namespace {

using NumericField = BadInputTest;

// The request "store arena VAR <descriptor> VALUE" written field by field so
// a test can replace the argument count or one length field.
struct StoreFields {
  std::string argc = "0005";
  std::vector<std::string> lengths;  // one per argument
  std::vector<std::string> args;

  explicit StoreFields(const std::string& var, const std::string& value)
      : args{"store", BadInputTest::kArena, var, n20_field(0x01000001), value} {
    for (const auto& a : args) lengths.push_back(n20_field(a.size()));
  }
  std::string bytes() const {
    std::string out = argc;
    for (std::size_t i = 0; i < args.size(); ++i) out += lengths[i] + args[i];
    return out;
  }
};

// Sends `bytes`, expects one error reply (short "0001", or the long error
// of a verb that gets long replies), then the close.
void expect_refused_then_closed(RawClient& c, const std::string& bytes, bool long_reply = false) {
  c.send(bytes);
  std::string tail;
  EXPECT_TRUE(c.wait_closed(10000, &tail)) << "connection left open after a framing error";
  const std::string expected =
      long_reply ? "0001" + std::string(20, '0') + std::string(20, ' ') + std::string(40, '0') : "0001";
  EXPECT_EQ(tail, expected) << "the refusal before the close";
}

TEST_F(NumericField, TwentyNinesAsALengthIsRefusedThenClosed) {
  ASSERT_NO_FATAL_FAILURE(start());
  // 99999999999999999999 does not fit in 64 bits.  Sent alone (nothing
  // follows), and followed by bytes that look like a value.
  for (std::string after : {std::string(), std::string(5000, 'x')}) {
    StoreFields f("nines", "x");
    f.lengths[4] = std::string(20, '9');
    RawClient c = attacker();
    expect_refused_then_closed(c, f.bytes() + after);
    expect_server_healthy("a length of twenty nines");
    EXPECT_EQ(var_line("nines"), std::nullopt);
  }
  // Also as the length of the verb, the very first length field.
  StoreFields f("nines", "x");
  f.lengths[0] = std::string(20, '9');
  RawClient c = attacker();
  expect_refused_then_closed(c, f.bytes());
  expect_server_healthy("a verb length of twenty nines");
}

TEST_F(NumericField, PlusSignsAndPaddingSpacesAreAcceptedLikeTheOriginal) {
  ASSERT_NO_FATAL_FAILURE(start());
  // The original parsed every number with Python int(): "+5", " 5", "5 "
  // (the R 2.0 client space-pads) all mean 5.
  struct Case {
    std::string argc, var_len;
  };
  for (const Case& k : {Case{"+005", "+0000000000000000004"}, Case{"  +5", "4                   "},
                        Case{"5   ", "                  +4"}}) {
    ASSERT_EQ(k.argc.size(), 4u);
    ASSERT_EQ(k.var_len.size(), 20u);
    StoreFields f("plus", "signed value");
    f.argc = k.argc;
    f.lengths[2] = k.var_len;  // "plus" is 4 bytes
    RawClient c = attacker();
    c.send(f.bytes());
    EXPECT_EQ(c.read_short(), 0) << "argc '" << k.argc << "', length '" << k.var_len << "'";
    // Stored whole, and the connection is still in step.
    LongReply r = c.call_long({"fetch", kArena, "plus"});
    EXPECT_EQ(r.status(), 0);
    EXPECT_EQ(r.value, "signed value");
    expect_server_healthy("argc '" + k.argc + "', length '" + k.var_len + "'");
  }
}

TEST_F(NumericField, NegativeArgumentCountIsRefusedThenClosed) {
  ASSERT_NO_FATAL_FAILURE(start());
  for (std::string argc : {"-001", "  -1", "-005", "-999"}) {
    ASSERT_EQ(argc.size(), 4u);
    StoreFields f("neg", "v");
    f.argc = argc;
    RawClient c = attacker();
    expect_refused_then_closed(c, f.bytes());
    expect_server_healthy("argc '" + argc + "'");
    EXPECT_EQ(var_line("neg"), std::nullopt);
  }
}

TEST_F(NumericField, NegativeArgumentLengthIsRefusedThenClosed) {
  ASSERT_NO_FATAL_FAILURE(start());
  for (std::size_t which : {0u, 2u, 4u}) {
    for (std::string len : {"-0000000000000000001", "-1                  ", "-9223372036854775808"}) {
      ASSERT_EQ(len.size(), 20u);
      StoreFields f("neg", "v");
      f.lengths[which] = len;
      RawClient c = attacker();
      expect_refused_then_closed(c, f.bytes());
      expect_server_healthy("length '" + len + "' for argument " + std::to_string(which));
      EXPECT_EQ(var_line("neg"), std::nullopt);
    }
  }
}

TEST_F(NumericField, NonNumericArgumentCountIsRefusedThenClosed) {
  ASSERT_NO_FATAL_FAILURE(start());
  for (const std::string& argc : std::vector<std::string>{"abcd", "0x05", "5.0 ", "    ", "+   ", "0 05",
                                                          std::string("00\0" "5", 4), "\xff\xff\xff\xff"}) {
    ASSERT_EQ(argc.size(), 4u);
    StoreFields f("nan", "v");
    f.argc = argc;
    RawClient c = attacker();
    expect_refused_then_closed(c, f.bytes());
    expect_server_healthy("argc '" + argc + "'");
    EXPECT_EQ(var_line("nan"), std::nullopt);
  }
}

TEST_F(NumericField, NonNumericArgumentLengthIsRefusedThenClosed) {
  ASSERT_NO_FATAL_FAILURE(start());
  for (std::size_t which : {0u, 3u, 4u}) {
    for (std::string len : {"0000000000000000000a", "0x000000000000000001", "1e1                 ",
                            "                    ", "00000000000000000 01", "000000000000000001.0"}) {
      ASSERT_EQ(len.size(), 20u);
      StoreFields f("nan", "v");
      f.lengths[which] = len;
      RawClient c = attacker();
      expect_refused_then_closed(c, f.bytes());
      expect_server_healthy("length '" + len + "' for argument " + std::to_string(which));
      EXPECT_EQ(var_line("nan"), std::nullopt);
    }
  }
}

}  // namespace
}  // namespace nws::test
