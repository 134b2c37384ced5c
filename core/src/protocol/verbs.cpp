#include "protocol/verbs.hpp"

#include <array>

namespace nws::proto {
namespace {

// In the order of enum Verb.
constexpr std::array<VerbInfo, 19> kVerbs{{
    {Verb::store, "store", false, 5, 5},
    {Verb::fetch, "fetch", true, 3, 5},
    {Verb::fetch_try, "fetchTry", true, 3, 5},
    {Verb::find, "find", true, 3, 5},
    {Verb::find_try, "findTry", true, 3, 5},
    {Verb::ifetch, "ifetch", true, 4, 5},
    {Verb::ifetch_try, "ifetchTry", true, 4, 5},
    {Verb::ifind, "ifind", true, 4, 5},
    {Verb::ifind_try, "ifindTry", true, 4, 5},
    {Verb::declare_var, "declare var", false, 4, 4},
    {Verb::delete_var, "delete var", false, 3, 3},
    {Verb::delete_ws, "delete ws", false, 2, 2},
    {Verb::open_ws, "open ws", false, 4, 5},
    {Verb::use_ws, "use ws", false, 4, 5},
    {Verb::list_vars, "list vars", true, 2, 2},
    {Verb::list_wss, "list wss", true, 1, 2},
    {Verb::mktemp_ws, "mktemp ws", true, 1, 2},
    {Verb::deadman, "deadman", false, 1, 1},
    {Verb::cancel, "cancel", false, 1, 1},
}};

constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < kVerbs.size(); ++i)
    if (static_cast<std::size_t>(kVerbs[i].verb) != i) return false;
  return true;
}
static_assert(in_enum_order(), "kVerbs must list the verbs in the order of enum Verb");

}  // namespace

const VerbInfo& verb_info(Verb v) noexcept { return kVerbs[static_cast<std::size_t>(v)]; }

const VerbInfo* find_verb(std::string_view name) noexcept {
  for (const VerbInfo& v : kVerbs)
    if (v.name == name) return &v;
  return nullptr;
}

}  // namespace nws::proto
