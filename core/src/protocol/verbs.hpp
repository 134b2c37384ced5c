// Every request verb (PROTOCOL.md §6.4, §7): its wire name, the kind of reply
// it gets and how many arguments it takes.  The engine dispatches on this
// table and the client builds its requests from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace nws::proto {

enum class Verb : std::uint8_t {
  store, fetch, fetch_try, find, find_try, ifetch, ifetch_try, ifind, ifind_try,
  declare_var, delete_var, delete_ws, open_ws, use_ws, list_vars, list_wss, mktemp_ws,
  deadman, cancel,
};

struct VerbInfo {
  Verb verb;
  std::string_view name;  // as on the wire: "declare var"
  bool long_reply;        // answered by a long reply (§6.2), else a short one
  std::size_t min_args;   // argument count, the verb included
  std::size_t max_args;
};

const VerbInfo& verb_info(Verb v) noexcept;
// The verb of a wire name (case-sensitive); nothing for an unknown one.
const VerbInfo* find_verb(std::string_view name) noexcept;
inline std::string_view verb_name(Verb v) noexcept { return verb_info(v).name; }

}  // namespace nws::proto
