// nws::Iterator: client-side (variable id, index) state over ifetch/ifind
// (PROTOCOL.md §11).
#include "client/calls.hpp"
#include "nws/client.hpp"
#include "protocol/fields.hpp"

namespace nws {

Fetched Iterator::next(const Wait& wait) { return *step(true, wait, nullptr); }

std::optional<Fetched> Iterator::try_next(const ByteSink* sink) { return step(false, Wait{}, sink); }

std::optional<Fetched> Iterator::step(bool block, const Wait& wait, const ByteSink* sink) {
  detail::Connection& conn = *ws_.conn_;
  using proto::Verb;
  const Verb verb = consuming_ ? (block ? Verb::ifetch : Verb::ifetch_try) : (block ? Verb::ifind : Verb::ifind_try);
  const detail::Op op{verb, ws_.name(), var_};
  if (!conn.cookie_format())
    throw Error(Errc::unsupported, detail::describe(op) + " needs the cookie reply format, which this connection lacks");

  // An empty id (20 spaces) with index 0 asks for the first value.
  std::string id;
  proto::append_id20(id, var_id_);
  std::string index;
  proto::append_n20(index, index_);
  detail::Reply r = conn.round_trip(request(conn, op, {ws_.name(), var_, id, index}), op, sink,
                                    block ? &wait : nullptr);
  if (r.status() != 0) {
    if (detail::is_hard_failure(r.status())) throw detail::status_error(op, r.status(), r.reason());
    // The end of iteration (no newer value, or the variable was deleted and
    // the id no longer matches); the position is kept, so the next step
    // goes on from here.
    ended_ = true;
    if (block) throw detail::status_error(op, r.status(), r.reason());
    return std::nullopt;
  }
  ended_ = false;
  const bool interrupted = r.interrupted;
  Fetched f = detail::to_fetched(std::move(r));
  var_id_ = f.var_id;
  index_ = f.index;
  if (interrupted) detail::raise_interrupted(std::move(f), op);
  return f;
}

}  // namespace nws
