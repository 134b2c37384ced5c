// A workspace instance (PROTOCOL.md §10): named variables, owner, persistence.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <string>
#include <unordered_map>

#include "engine/string_map.hpp"
#include "engine/variable.hpp"

namespace nws::engine {

struct Workspace : std::enable_shared_from_this<Workspace> {
  Workspace() = default;
  // Counted in `holdings` (if given) from now until it is destroyed.
  Workspace(std::string ws_name, Holdings* holdings_to_count) : name(std::move(ws_name)), holdings(holdings_to_count) {
    if (holdings) holdings->memory += Holdings::kWorkspaceCost + name.size();
  }
  ~Workspace() {
    if (holdings) holdings->memory -= Holdings::kWorkspaceCost + name.size();
  }
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  std::string name;
  std::uint64_t instance = 0;
  std::string owner;                // "" = unowned
  std::uint64_t owner_session = 0;  // the session that became owner (0 = none)
  std::string creator;              // the user who created it (authenticated servers), who may delete it
  bool persistent = false;
  bool durable = false;             // its changes go to the engine's journal
  bool alive = true;                // false once deleted/purged
  std::size_t sessions = 0;         // connections that have it open (use ws / open ws / mktemp)
  StringMap<std::unique_ptr<Variable>> vars;
  // The same variables in name order (keys view their own names): listings
  // and the web interface's pages walk it, so a page of names costs
  // O(page + log n) instead of a sort of them all.
  std::map<std::string_view, Variable*, std::less<>> ordered;
  Holdings* holdings = nullptr;

  Variable* find(std::string_view var) {
    auto it = vars.find(var);
    return it == vars.end() ? nullptr : it->second.get();
  }
  const Variable* find(std::string_view var) const { return const_cast<Workspace*>(this)->find(var); }
  // Adds a variable (its name must be new here); removes one by name (null
  // if there is none).  Both keep `vars` and `ordered` together.
  Variable& add(std::unique_ptr<Variable> var);
  std::unique_ptr<Variable> take(std::string_view name);
  // Answers every waiter with "Variable purged." and drops every value.
  void purge(const Deliver& deliver);
};

// `list vars` and `list wss` bodies, byte-exact (§7.5, §7.6).
std::string list_vars_text(const Workspace& ws);
std::string list_wss_line(const Workspace& ws, bool mine);
// The same appended to `out`, stopping once `out` is longer than `limit`
// (then false: the listing would be too long to send).
bool append_list_vars(std::string& out, const Workspace& ws, std::size_t limit);
bool append_list_wss_line(std::string& out, const Workspace& ws, bool mine, std::size_t limit);

// Formats a `mktemp ws` template with one integer (§7.7): printf-style %d,
// %i, %u, %x, %X, %o with flags, width and precision, and %% literals.
// Nothing if the template does not hold exactly one such conversion.
std::optional<std::string> format_mktemp_template(std::string_view tmpl, std::uint64_t n);

}  // namespace nws::engine
