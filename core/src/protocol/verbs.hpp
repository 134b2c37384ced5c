// Every request verb (PROTOCOL.md §6.4, §7): its wire name, the kind of reply
// it gets, how many arguments it takes and what each argument is.  The
// engine dispatches and checks names with this table, the request decoder
// bounds argument sizes with it, and the client builds requests from it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace nws::proto {

enum class Verb : std::uint8_t {
  store, fetch, fetch_try, find, find_try, ifetch, ifetch_try, ifind, ifind_try,
  declare_var, delete_var, delete_ws, open_ws, use_ws, list_vars, list_wss, mktemp_ws,
  deadman, cancel,
  // Leased fetch (NwsLease, docs/protocol-extensions.md).
  lease_fetch, lease_fetch_try, lease_ack, lease_ack_store, lease_release, lease_renew,
  // Authentication (NwsAuth, docs/protocol-extensions.md).
  auth,
};
inline constexpr std::size_t kVerbCount = static_cast<std::size_t>(Verb::auth) + 1;

// What an argument of a request is.
enum class ArgKind : std::uint8_t {
  none,           // beyond the verb's arguments
  verb,           // argument 0
  workspace,      // a workspace name (a filter for `list wss`)
  variable,       // a variable name
  owner_label,    // the label `open ws` shows as the owner
  name_template,  // `mktemp ws`'s template
  field,          // a short field: descriptor, mode, id, index, yes/no
  value,          // the value `store` stores: the one argument of any size
};

struct VerbInfo {
  Verb verb;
  std::string_view name;  // as on the wire: "declare var"
  bool long_reply;        // answered by a long reply (§6.2), else a short one
  std::size_t min_args;   // argument count, the verb included
  std::size_t max_args;
  std::array<ArgKind, 6> args;  // what arguments 0..5 are
};

const VerbInfo& verb_info(Verb v) noexcept;
// The verb of a wire name (case-sensitive); nothing for an unknown one.
const VerbInfo* find_verb(std::string_view name) noexcept;
inline std::string_view verb_name(Verb v) noexcept { return verb_info(v).name; }
// What argument `index` of a request for `info` is (`none` for an unknown verb).
inline ArgKind arg_kind(const VerbInfo* info, std::size_t index) noexcept {
  return info && index < info->args.size() ? info->args[index] : ArgKind::none;
}

}  // namespace nws::proto
