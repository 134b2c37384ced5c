// Finding: a __barrier member whose connection closed stayed in the
// barrier, so the others waited for it for ever.  Now it leaves when it
// goes, and the members waiting for it are released.
#include "harness.hpp"

namespace nws::test {
namespace {

using BarrierLeave = BadInputTest;

TEST_F(BarrierLeave, AMemberThatDisconnectsReleasesTheOthers) {
  ASSERT_NO_FATAL_FAILURE(start());
  RawClient a = attacker(), b = attacker(), gone = attacker();
  ASSERT_EQ(a.call_short({"declare var", kArena, "bar", "__barrier"}), 0);
  for (RawClient* c : {&a, &b, &gone}) ASSERT_EQ(c->call_short({"store", kArena, "bar", n20_field(1), "x"}), 0);
  a.request({"find", kArena, "bar"});
  b.request({"find", kArena, "bar"});
  ASSERT_TRUE(wait_var_line("bar", "bar\t3\t0\t2\t__barrier"));
  gone.close();  // it will never arrive
  EXPECT_EQ(a.read_long().value, "3");
  EXPECT_EQ(b.read_long().value, "3");
  // The group is two now.
  EXPECT_EQ(a.call_long({"findTry", kArena, "bar"}).value, "0 out of 2 at barrier");
  expect_server_healthy("a barrier member gone");
}

}  // namespace
}  // namespace nws::test
