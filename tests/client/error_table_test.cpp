// The error table (core/include/nws/errors.def) is what every binding's
// exception classes are generated from: it must be a well-formed tree.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "nws/error.hpp"

namespace {

TEST(ErrorTable, IsATreeWhoseParentsComeFirst) {
  std::set<std::string> seen;
  int roots = 0;
  for (const nws::ErrorKind& k : nws::error_kinds()) {
    if (k.parent == "none") {
      ++roots;
      EXPECT_EQ(k.id, "error");
    } else {
      EXPECT_TRUE(seen.count(std::string(k.parent))) << k.id << " comes before its parent " << k.parent;
    }
    EXPECT_TRUE(seen.insert(std::string(k.id)).second) << "duplicate id " << k.id;
  }
  EXPECT_EQ(roots, 1);
}

TEST(ErrorTable, CodesAndKindsAreUnique) {
  std::set<int> codes;
  std::set<std::string> kinds;
  for (const nws::ErrorKind& k : nws::error_kinds()) {
    if (k.code >= 0) EXPECT_TRUE(codes.insert(k.code).second) << "duplicate code " << k.code;
    EXPECT_TRUE(kinds.insert(std::string(k.kind)).second) << "duplicate kind " << k.kind;
    EXPECT_FALSE(k.description.empty()) << k.id;
    ASSERT_FALSE(k.kind.empty());
    EXPECT_TRUE(k.kind[0] >= 'A' && k.kind[0] <= 'Z') << k.kind;
  }
}

TEST(ErrorTable, RowsMatchTheEnum) {
  std::map<std::string, int> code_of;
  for (const nws::ErrorKind& k : nws::error_kinds()) code_of[std::string(k.id)] = k.code;
  EXPECT_EQ(code_of["timeout"], static_cast<int>(nws::Errc::timeout));
  EXPECT_EQ(code_of["cancelled"], static_cast<int>(nws::Errc::cancelled));
  EXPECT_EQ(code_of["invalid_argument"], static_cast<int>(nws::Errc::invalid_argument));
  EXPECT_EQ(code_of["operation"], -1);  // a group
}

TEST(Error, CarriesAnArrivedValueOnlyWhenGivenOne) {
  nws::Error e(nws::Errc::cancelled, "interrupted");
  EXPECT_EQ(e.arrived(), nullptr);
}

}  // namespace
