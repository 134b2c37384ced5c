#include <gtest/gtest.h>

#include "client/status.hpp"

namespace {
using nws::Errc;
using nws::detail::Op;
using nws::detail::status_error;
using nws::proto::Verb;

TEST(StatusError, MapsStatusesToCodes) {
  Op fetch{Verb::fetch, "ws", "x"};
  EXPECT_EQ(status_error(fetch, 100, "").code(), Errc::no_such_workspace);
  EXPECT_EQ(status_error(fetch, 2001, "").code(), Errc::not_opened);
  EXPECT_EQ(status_error(fetch, 2000, "").code(), Errc::server_error);
  EXPECT_EQ(status_error(fetch, 1, "").code(), Errc::operation_failed);
  EXPECT_EQ(status_error(fetch, 5001, "").code(), Errc::operation_failed);
  Op declare{Verb::declare_var, "ws", "x"};
  EXPECT_EQ(status_error(declare, 1, "").code(), Errc::declaration_failed);
  // A bad workspace stays a workspace error even for declare.
  EXPECT_EQ(status_error(declare, 2001, "").code(), Errc::not_opened);
}

TEST(StatusError, MessageNamesVerbTargetsStatusAndReason) {
  auto e = status_error(Op{Verb::declare_var, "my ws", "y"}, 1, "Cannot change variable mode to lifo.");
  std::string m = e.what();
  EXPECT_NE(m.find("declare var"), std::string::npos) << m;
  EXPECT_NE(m.find("'y'"), std::string::npos) << m;
  EXPECT_NE(m.find("'my ws'"), std::string::npos) << m;
  EXPECT_NE(m.find("status 1"), std::string::npos) << m;
  EXPECT_NE(m.find("Cannot change variable mode to lifo."), std::string::npos) << m;
  EXPECT_EQ(e.status(), 1);
  EXPECT_EQ(e.reason(), "Cannot change variable mode to lifo.");
}

TEST(StatusError, ExplainsWithoutAReason) {
  auto e = status_error(Op{Verb::store, "ws", "x"}, 2001, "");
  EXPECT_NE(std::string(e.what()).find("not been opened"), std::string::npos) << e.what();
  EXPECT_EQ(e.reason(), "");
}

TEST(Describe, OmitsWhatDoesNotApply) {
  EXPECT_EQ(nws::detail::describe(Op{Verb::list_wss, "", ""}), "list wss");
  EXPECT_EQ(nws::detail::describe(Op{Verb::open_ws, "w", ""}), "open ws of workspace 'w'");
  EXPECT_EQ(nws::detail::describe(Op{Verb::fetch, "w", "v"}), "fetch of variable 'v' in workspace 'w'");
  EXPECT_EQ(nws::detail::describe(Op{Verb::mktemp_ws, "", "", "with template 'x%d'"}),
            "mktemp ws with template 'x%d'");
}

TEST(HardFailure, OnlyWorkspaceAndServerErrors) {
  EXPECT_TRUE(nws::detail::is_hard_failure(100));
  EXPECT_TRUE(nws::detail::is_hard_failure(2001));
  EXPECT_TRUE(nws::detail::is_hard_failure(2000));
  EXPECT_FALSE(nws::detail::is_hard_failure(1));
  EXPECT_FALSE(nws::detail::is_hard_failure(2));
}

}  // namespace
