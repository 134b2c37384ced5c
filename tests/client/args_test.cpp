// The argument rules every binding passes its arguments through
// (nws/args.hpp): the same error kind and message in every language.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>

#include "client/defaults.hpp"
#include "nws/client.hpp"

namespace {
using nws::Errc;
namespace args = nws::args;

template <class F>
std::string refusal(F&& f) {
  try {
    f();
  } catch (const nws::Error& e) {
    EXPECT_EQ(e.code(), Errc::invalid_argument) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(NameArgument, AMissingNameIsRefusedAndAnyStringPasses) {
  EXPECT_EQ(refusal([] { args::name(std::nullopt, args::NameOf::variable); }),
            "the variable name is missing (null): pass a string");
  EXPECT_EQ(refusal([] { args::name(std::nullopt, args::NameOf::workspace); }),
            "the workspace name is missing (null): pass a string");
  EXPECT_EQ(args::name("x y", args::NameOf::variable), "x y");
  EXPECT_EQ(args::name("", args::NameOf::variable), "");  // the protocol allows it
  EXPECT_EQ(args::name(std::string(4096, 'n'), args::NameOf::variable).size(), 4096u);
}

TEST(NameArgument, NamesTheServerWouldRefuseAreRefusedFirst) {
  EXPECT_EQ(refusal([] { args::name("a\tb", args::NameOf::variable); }),
            "the variable name 'a\tb' contains a TAB: names may not hold TAB, LF, CR or NUL, or exceed 4096 bytes");
  refusal([] { args::name("a\nb", args::NameOf::workspace); });
  refusal([] { args::name("a\rb", args::NameOf::workspace); });
  refusal([] { args::name(std::string("a\0b", 3), args::NameOf::variable); });
  std::string m = refusal([] { args::name(std::string(4097, 'n'), args::NameOf::workspace); });
  EXPECT_NE(m.find("is 4097 bytes long, over the limit of 4096"), std::string::npos) << m;
  EXPECT_NE(m.find("'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...'"), std::string::npos) << m;
}

TEST(ModeArgument, KnownModesPassAndOthersAreRefusedWithTheList) {
  EXPECT_EQ(args::mode("fifo"), nws::Mode::fifo);
  EXPECT_EQ(args::mode("single"), nws::Mode::single);
  EXPECT_EQ(args::mode("__barrier"), nws::Mode::barrier);
  EXPECT_EQ(refusal([] { args::mode("stack"); }), "unknown mode 'stack': use fifo, lifo, multi or single");
  EXPECT_EQ(refusal([] { args::mode("unknown"); }), "unknown mode 'unknown': use fifo, lifo, multi or single");
  EXPECT_EQ(refusal([] { args::mode("FIFO"); }), "unknown mode 'FIFO': use fifo, lifo, multi or single");
  EXPECT_EQ(refusal([] { args::mode(std::nullopt); }), "the mode is missing (null): use fifo, lifo, multi or single");
}

TEST(PortArgument, ConnectTakesOneTo65535AndListenTakesZeroToo) {
  EXPECT_EQ(args::port(8765, args::PortUse::connect), 8765);
  EXPECT_EQ(args::port(65535, args::PortUse::connect), 65535);
  EXPECT_EQ(args::port(0, args::PortUse::listen), 0);
  EXPECT_EQ(refusal([] { args::port(0, args::PortUse::connect); }),
            "port must be a whole number from 1 to 65535, not 0");
  EXPECT_EQ(refusal([] { args::port(65536, args::PortUse::listen); }),
            "port must be a whole number from 0 to 65535 (0: any free port), not 65536");
  EXPECT_EQ(refusal([] { args::port(80.5, args::PortUse::connect); }),
            "port must be a whole number from 1 to 65535, not 80.5");
  refusal([] { args::port(-1, args::PortUse::listen); });
  refusal([] { args::port(std::nan(""), args::PortUse::connect); });
  refusal([] { args::port(std::nullopt, args::PortUse::connect); });
}

TEST(TimeoutArgument, NoneAndInfinityWaitForEverNegativeAndNanAreRefused) {
  EXPECT_FALSE(args::wait(std::nullopt).deadline);
  EXPECT_FALSE(args::wait(std::numeric_limits<double>::infinity()).deadline);
  EXPECT_FALSE(args::wait(1e300).deadline);  // no clock overflow
  auto before = nws::Clock::now();
  auto w = args::wait(2.5);
  ASSERT_TRUE(w.deadline);
  EXPECT_GE(*w.deadline - before, std::chrono::milliseconds(2400));
  EXPECT_LE(*w.deadline - before, std::chrono::milliseconds(2600));
  EXPECT_TRUE(args::wait(0).deadline);
  EXPECT_EQ(w.slice, nws::Wait::kSlice);
  EXPECT_EQ(refusal([] { args::wait(-1); }),
            "timeout must be a number of seconds >= 0 (or none, to wait for ever), not -1");
  refusal([] { args::wait(std::nan("")); });
  bool called = false;
  auto c = args::wait(std::nullopt, [&] { return called = true; });
  ASSERT_TRUE(c.should_cancel);
  EXPECT_TRUE(c.should_cancel());
  EXPECT_TRUE(called);
}

TEST(ConnectTimeoutArgument, MustBePositiveAndFinite) {
  EXPECT_EQ(args::connect_timeout(1.5), std::chrono::milliseconds(1500));
  EXPECT_EQ(args::connect_timeout(std::nullopt), nws::ConnectOptions{}.connect_timeout);
  refusal([] { args::connect_timeout(0); });
  refusal([] { args::connect_timeout(-3); });
  refusal([] { args::connect_timeout(std::numeric_limits<double>::infinity()); });
}

// The default server comes from NWS_HOST / NWS_PORT, else localhost:8765.
class DefaultServer : public ::testing::Test {
 protected:
  void TearDown() override {
    ::unsetenv("NWS_HOST");
    ::unsetenv("NWS_PORT");
  }
};

TEST_F(DefaultServer, WithoutEnvironmentIsLocalhost8765) {
  ::unsetenv("NWS_HOST");
  ::unsetenv("NWS_PORT");
  auto o = nws::detail::resolve_defaults({});
  EXPECT_EQ(o.host, "localhost");
  EXPECT_EQ(o.port, nws::kDefaultPort);
}

TEST_F(DefaultServer, EnvironmentFillsOnlyWhatIsMissing) {
  ::setenv("NWS_HOST", "example.org", 1);
  ::setenv("NWS_PORT", "9001", 1);
  auto o = nws::detail::resolve_defaults({});
  EXPECT_EQ(o.host, "example.org");
  EXPECT_EQ(o.port, 9001);
  nws::ConnectOptions given;
  given.host = "other";
  given.port = 1234;
  o = nws::detail::resolve_defaults(given);
  EXPECT_EQ(o.host, "other");
  EXPECT_EQ(o.port, 1234);
}

TEST_F(DefaultServer, ABadPortInTheEnvironmentSaysWhereItCameFrom) {
  ::setenv("NWS_PORT", "eighty", 1);
  std::string m = refusal([] { nws::detail::resolve_defaults({}); });
  EXPECT_NE(m.find("NWS_PORT is 'eighty'"), std::string::npos) << m;
  ::setenv("NWS_PORT", "0", 1);
  refusal([] { nws::detail::resolve_defaults({}); });
}

}  // namespace
