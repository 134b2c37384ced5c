#include "client/calls.hpp"

#include <memory>

namespace nws::detail {

Outgoing request(const Connection& conn, const Op& op, std::initializer_list<std::string_view> args) {
  return Outgoing{conn.encode(nullptr, op.verb, args)};
}

void expect_ok(Connection& conn, const Op& op, const Outgoing& request) {
  Reply r = conn.round_trip(request, op);
  if (r.status() != 0) throw status_error(op, r.status(), r.reason());
}

std::string expect_text(Connection& conn, const Op& op, const Outgoing& request) {
  Reply r = conn.round_trip(request, op);
  if (r.status() != 0) throw status_error(op, r.status(), r.reason());
  return std::move(r.value);
}

Fetched to_fetched(Reply&& reply) {
  Fetched f;
  f.value.descriptor = reply.head.descriptor;
  f.value.bytes = std::move(reply.value);
  // The id travels space-padded to 20 bytes; callers want the id itself.
  std::string& id = reply.head.var_id;
  id.erase(id.find_last_not_of(' ') + 1);
  f.var_id = std::move(id);
  f.index = reply.head.index;
  for (const auto& [key, value] : reply.head.metadata.entries()) f.metadata[key] = value;
  return f;
}

Fetched take_value(Reply&& reply, const Op& op) {
  const bool interrupted = reply.interrupted;
  Fetched f = to_fetched(std::move(reply));
  if (interrupted) raise_interrupted(std::move(f), op);
  return f;
}

void raise_interrupted(Fetched&& fetched, const Op& op) {
  Error e(Errc::cancelled, describe(op) + " was interrupted after its value had arrived; the value is kept with the error");
  e.set_arrived(std::make_shared<const Fetched>(std::move(fetched)));
  throw e;
}

}  // namespace nws::detail
