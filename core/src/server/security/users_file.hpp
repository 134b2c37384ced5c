// The users file (`nws-server --users FILE`, docs/security.md): users with
// their SCRAM-SHA-256 secrets, groups, and `allow` rules giving rights on
// workspaces by name pattern.
//
//   user NAME SECRET            (SECRET from `nws-server --hash-password`)
//   group NAME MEMBER...
//   allow WHO RIGHTS PATTERN... (WHO: a user, @group, * or token;
//                                RIGHTS: read,store,fetch,delete,create,shutdown or all)
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/access.hpp"
#include "security/scram.hpp"

namespace nws::server {

// The principal the shared token authenticates as.
inline constexpr std::string_view kTokenPrincipal = "token";

class Users {
 public:
  // Throws std::runtime_error naming `source`, the line and what is wrong.
  static Users parse(std::string_view text, const std::string& source);
  static Users load(const std::string& path);

  std::optional<security::ScramSecret> secret(std::string_view user) const;
  // What `principal` may do: the rules that name them, their groups or
  // `*`; with no rules at all in the file, everything.
  std::shared_ptr<const engine::Access> access_for(const std::string& principal) const;
  std::size_t user_count() const { return secrets_.size(); }
  bool has_rules() const { return !rules_.empty(); }

  struct Rule {
    std::string who;  // a user, "@group", "*"
    unsigned rights = 0;
    std::vector<std::string> patterns;
  };

 private:
  std::map<std::string, security::ScramSecret, std::less<>> secrets_;
  std::map<std::string, std::set<std::string>, std::less<>> groups_;
  std::vector<Rule> rules_;
};

// Parses "read,store" into rights; nothing for an unknown word.
std::optional<unsigned> parse_rights(std::string_view text);

}  // namespace nws::server
