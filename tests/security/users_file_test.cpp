// The users file: its grammar, its errors, and the rights it gives.
#include <gtest/gtest.h>

#include "security/scram.hpp"
#include "server/security/users_file.hpp"

namespace nws::server {
namespace {

std::string secret() { return security::format_scram_secret(security::make_scram_secret("pw", 1)); }

TEST(UsersFile, RulesGiveRightsByPatternUserGroupAndStar) {
  Users u = Users::parse("# the worked example\n"
                         "user producer " + secret() + "\n"
                         "user w1 " + secret() + "  # a worker\n"
                         "user w2 " + secret() + "\n"
                         "group workers w1 w2\n"
                         "allow producer store jobs\n"
                         "allow @workers fetch jobs\n"
                         "allow @workers store,create results*\n"
                         "allow * read status\n",
                         "test");
  auto p = u.access_for("producer");
  EXPECT_EQ(p->rights("jobs"), engine::kRightStore);
  EXPECT_EQ(p->rights("results"), 0u);
  EXPECT_EQ(p->rights("status"), engine::kRightRead);
  EXPECT_FALSE(p->may_shutdown());
  auto w = u.access_for("w2");
  EXPECT_EQ(w->rights("jobs"), engine::kRightFetch);
  EXPECT_EQ(w->rights("results-2026"), engine::kRightStore | engine::kRightCreate);
  EXPECT_EQ(w->rights("jobsx"), 0u);
  EXPECT_EQ(w->principal(), "w2");
  EXPECT_TRUE(u.secret("w1"));
  EXPECT_FALSE(u.secret("w3"));
}

TEST(UsersFile, WithoutRulesEveryUserMayDoEverything) {
  Users u = Users::parse("user a " + secret() + "\n", "test");
  EXPECT_EQ(u.access_for("a")->rights("anything"), engine::kAllRights);
  EXPECT_TRUE(u.access_for("a")->may_shutdown());
}

TEST(UsersFile, MistakesNameTheLine) {
  auto error_of = [](const std::string& text) {
    try {
      Users::parse(text, "users.txt");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of("\nuser a notasecret\n").find("users.txt, line 2: the secret of user 'a'"), std::string::npos);
  EXPECT_NE(error_of("user a " + secret() + "\nallow a fly jobs\n").find("line 2: 'fly' is not a list of rights"),
            std::string::npos);
  EXPECT_NE(error_of("allow nobody read x\n").find("user 'nobody', which is not defined"), std::string::npos);
  EXPECT_NE(error_of("allow @g read x\n").find("group 'g'"), std::string::npos);
  EXPECT_NE(error_of("frobnicate\n").find("'frobnicate' is not a keyword"), std::string::npos);
  EXPECT_NE(error_of("user token " + secret() + "\n").find("shared token's name"), std::string::npos);
  EXPECT_NE(error_of("user a " + secret() + "\nuser a " + secret() + "\n").find("defined twice"), std::string::npos);
}

TEST(UsersFile, RightsParse) {
  EXPECT_EQ(parse_rights("read,fetch"), engine::kRightRead | engine::kRightFetch);
  EXPECT_EQ(parse_rights("all"), engine::kAllRights);
  EXPECT_FALSE(parse_rights(""));
  EXPECT_FALSE(parse_rights("read,,fetch"));
  EXPECT_FALSE(parse_rights("Read"));
}

}  // namespace
}  // namespace nws::server
