#include "protocol/verbs.hpp"

namespace nws::proto {
namespace {

using A = ArgKind;
constexpr ArgKind V = A::verb, W = A::workspace, N = A::variable, L = A::owner_label, T = A::name_template,
                  F = A::field, X = A::value, _ = A::none;

// In the order of enum Verb.
constexpr std::array<VerbInfo, kVerbCount> kVerbs{{
    {Verb::store, "store", false, 5, 5, {V, W, N, F, X, _}},
    {Verb::fetch, "fetch", true, 3, 5, {V, W, N, F, F, _}},
    {Verb::fetch_try, "fetchTry", true, 3, 5, {V, W, N, F, F, _}},
    {Verb::find, "find", true, 3, 5, {V, W, N, F, F, _}},
    {Verb::find_try, "findTry", true, 3, 5, {V, W, N, F, F, _}},
    {Verb::ifetch, "ifetch", true, 4, 5, {V, W, N, F, F, _}},
    {Verb::ifetch_try, "ifetchTry", true, 4, 5, {V, W, N, F, F, _}},
    {Verb::ifind, "ifind", true, 4, 5, {V, W, N, F, F, _}},
    {Verb::ifind_try, "ifindTry", true, 4, 5, {V, W, N, F, F, _}},
    {Verb::declare_var, "declare var", false, 4, 4, {V, W, N, F, _, _}},
    {Verb::delete_var, "delete var", false, 3, 3, {V, W, N, _, _, _}},
    {Verb::delete_ws, "delete ws", false, 2, 2, {V, W, _, _, _, _}},
    {Verb::open_ws, "open ws", false, 4, 5, {V, W, L, F, F, _}},
    {Verb::use_ws, "use ws", false, 4, 5, {V, W, L, F, F, _}},
    {Verb::list_vars, "list vars", true, 2, 2, {V, W, _, _, _, _}},
    {Verb::list_wss, "list wss", true, 1, 2, {V, W, _, _, _, _}},
    {Verb::mktemp_ws, "mktemp ws", true, 1, 2, {V, T, _, _, _, _}},
    {Verb::deadman, "deadman", false, 1, 1, {V, _, _, _, _, _}},
    {Verb::cancel, "cancel", false, 1, 1, {V, _, _, _, _, _}},
    // lease fetch WS VAR MILLISECONDS: a fetch whose value is held under a
    // lease (its id in the reply's index field) until acknowledged.
    {Verb::lease_fetch, "lease fetch", true, 4, 4, {V, W, N, F, _, _}},
    {Verb::lease_fetch_try, "lease fetchTry", true, 4, 4, {V, W, N, F, _, _}},
    {Verb::lease_ack, "lease ack", false, 2, 2, {V, F, _, _, _, _}},
    // lease ack store WS VAR DESCRIPTOR VALUE LEASE: a store and an
    // acknowledgement as one step (the store's arguments first, as `store`).
    {Verb::lease_ack_store, "lease ack store", false, 6, 6, {V, W, N, F, X, F}},
    {Verb::lease_release, "lease release", false, 2, 2, {V, F, _, _, _, _}},
    {Verb::lease_renew, "lease renew", false, 3, 3, {V, F, F, _, _, _}},
    // auth MECHANISM MESSAGE: one step of an authentication exchange; the
    // server's answer (a challenge, or its proof) is the reply's value.
    {Verb::auth, "auth", true, 3, 3, {V, F, F, _, _, _}},
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
