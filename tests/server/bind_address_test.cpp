// Which --bind addresses reach this machine only: nws-server warns at start
// for every other one (it has no TLS or authentication yet).
#include <gtest/gtest.h>

#include <string>

#include "server/listener.hpp"

namespace nws::server {
namespace {

TEST(BindAddress, LoopbackAddressesAreThisMachineOnly) {
  for (const char* a : {"127.0.0.1", "127.1.2.3", "127.255.255.254", "::1", "::ffff:127.0.0.1"})
    EXPECT_TRUE(is_loopback_address(a)) << a;
}

TEST(BindAddress, EveryOtherAddressCanBeReachedFromElsewhere) {
  for (const char* a : {"0.0.0.0", "::", "10.0.0.5", "192.168.1.1", "128.0.0.1", "126.255.255.255", "fe80::1",
                        "::ffff:10.0.0.1", "2001:db8::1"})
    EXPECT_FALSE(is_loopback_address(a)) << a;
}

TEST(BindAddress, WhatIsNotANumericAddressIsNotLoopback) {
  for (const char* a : {"", "localhost", "127.0.0.1.5", "not an address"}) EXPECT_FALSE(is_loopback_address(a)) << a;
}

}  // namespace
}  // namespace nws::server
