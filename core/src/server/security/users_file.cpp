#include "server/security/users_file.hpp"

#include <fnmatch.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace nws::server {
namespace {

std::vector<std::string> words_of(std::string_view line) {
  std::istringstream in{std::string(line)};
  std::vector<std::string> out;
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

bool valid_name(std::string_view n) {
  if (n.empty() || n.size() > 256) return false;
  for (unsigned char c : n)
    if (c <= 0x20 || c == 0x7f || c == '@' || c == '*' || c == ',') return false;
  return true;
}

class RuleAccess final : public engine::Access {
 public:
  RuleAccess(std::string principal, std::vector<Users::Rule> rules, bool everything)
      : Access(std::move(principal)), rules_(std::move(rules)), everything_(everything) {}

  unsigned rights(std::string_view workspace) const override {
    if (everything_) return engine::kAllRights;
    const std::string name(workspace);
    unsigned r = 0;
    for (const auto& rule : rules_)
      for (const auto& p : rule.patterns)
        if (::fnmatch(p.c_str(), name.c_str(), 0) == 0) r |= rule.rights;
    return r;
  }
  bool may_shutdown() const override {
    if (everything_) return true;
    for (const auto& rule : rules_)
      if (rule.rights & engine::kRightShutdown) return true;
    return false;
  }

 private:
  std::vector<Users::Rule> rules_;
  bool everything_;
};

}  // namespace

std::optional<unsigned> parse_rights(std::string_view text) {
  unsigned r = 0;
  std::string word;
  std::istringstream in{std::string(text)};
  while (std::getline(in, word, ',')) {
    if (word == "read") r |= engine::kRightRead;
    else if (word == "store") r |= engine::kRightStore;
    else if (word == "fetch") r |= engine::kRightFetch;
    else if (word == "delete") r |= engine::kRightDelete;
    else if (word == "create") r |= engine::kRightCreate;
    else if (word == "shutdown") r |= engine::kRightShutdown;
    else if (word == "all") r |= engine::kAllRights;
    else return std::nullopt;
  }
  if (r == 0) return std::nullopt;
  return r;
}

Users Users::parse(std::string_view text, const std::string& source) {
  Users u;
  std::istringstream in{std::string(text)};
  std::string line;
  int number = 0;
  auto fail = [&](const std::string& why) {
    throw std::runtime_error("users file " + source + ", line " + std::to_string(number) + ": " + why);
  };
  while (std::getline(in, line)) {
    ++number;
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    auto w = words_of(line);
    if (w.empty()) continue;
    if (w[0] == "user") {
      if (w.size() != 3) fail("expected 'user NAME SECRET' (make the secret with: nws-server --hash-password)");
      if (!valid_name(w[1])) fail("'" + w[1] + "' is not a user name (no spaces, '@', '*' or ',')");
      if (w[1] == kTokenPrincipal) fail("'token' is the shared token's name; choose another user name");
      auto secret = security::parse_scram_secret(w[2]);
      if (!secret) fail("the secret of user '" + w[1] + "' is not a SCRAM-SHA-256 secret (make one with: nws-server --hash-password)");
      if (!u.secrets_.emplace(w[1], std::move(*secret)).second) fail("user '" + w[1] + "' is defined twice");
    } else if (w[0] == "group") {
      if (w.size() < 3) fail("expected 'group NAME MEMBER...'");
      if (!valid_name(w[1])) fail("'" + w[1] + "' is not a group name");
      auto& members = u.groups_[w[1]];
      for (std::size_t i = 2; i < w.size(); ++i) members.insert(w[i]);
    } else if (w[0] == "allow") {
      if (w.size() < 4) fail("expected 'allow WHO RIGHTS PATTERN...'");
      auto rights = parse_rights(w[2]);
      if (!rights) fail("'" + w[2] + "' is not a list of rights (read, store, fetch, delete, create, shutdown, all)");
      Rule r{w[1], *rights, {w.begin() + 3, w.end()}};
      u.rules_.push_back(std::move(r));
    } else {
      fail("'" + w[0] + "' is not a keyword here (user, group, allow)");
    }
  }
  for (const auto& r : u.rules_) {
    if (r.who == "*" || r.who == kTokenPrincipal) continue;
    if (r.who[0] == '@') {
      if (!u.groups_.count(std::string_view(r.who).substr(1)))
        throw std::runtime_error("users file " + source + ": a rule names group '" + r.who.substr(1) +
                                 "', which is not defined");
    } else if (!u.secrets_.count(r.who)) {
      throw std::runtime_error("users file " + source + ": a rule names user '" + r.who + "', which is not defined");
    }
  }
  return u;
}

Users Users::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the users file " + path);
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

std::optional<security::ScramSecret> Users::secret(std::string_view user) const {
  auto it = secrets_.find(user);
  if (it == secrets_.end()) return std::nullopt;
  return it->second;
}

std::shared_ptr<const engine::Access> Users::access_for(const std::string& principal) const {
  std::vector<Rule> mine;
  for (const auto& r : rules_) {
    bool applies = r.who == "*" || r.who == principal;
    if (!applies && r.who[0] == '@') {
      auto g = groups_.find(std::string_view(r.who).substr(1));
      applies = g != groups_.end() && g->second.count(principal);
    }
    if (applies) mine.push_back(r);
  }
  return std::make_shared<RuleAccess>(principal, std::move(mine), rules_.empty());
}

}  // namespace nws::server
