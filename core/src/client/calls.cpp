#include "client/calls.hpp"

namespace nws::detail {

void expect_ok(Connection& conn, const Op& op, const Outgoing& request) {
  Reply r = conn.round_trip(request, proto::ReplyDecoder::Kind::short_reply, op);
  if (r.status() != 0) throw status_error(op, r.status(), r.reason());
}

std::string expect_text(Connection& conn, const Op& op, const Outgoing& request) {
  Reply r = conn.round_trip(request, proto::ReplyDecoder::Kind::long_reply, op);
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

}  // namespace nws::detail
