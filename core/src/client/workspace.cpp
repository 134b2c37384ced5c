// nws::Workspace: the variable-level verbs of one workspace.
#include "client/calls.hpp"
#include "client/listing.hpp"
#include "nws/client.hpp"
#include "protocol/fields.hpp"

namespace nws {
namespace {
using detail::Op;
using detail::Outgoing;
using proto::Verb;

Workspace connect_and_open(const std::string& name, const ConnectOptions& options, bool use_use, bool create,
                           bool persistent) {
  Server server(options);
  return use_use ? server.use_ws(name, create) : server.open_ws(name, persistent, create);
}

Verb verb_of(Retrieve how) {
  switch (how) {
    case Retrieve::fetch: return Verb::fetch;
    case Retrieve::fetch_try: return Verb::fetch_try;
    case Retrieve::find: return Verb::find;
    case Retrieve::find_try: return Verb::find_try;
  }
  return Verb::fetch_try;
}
}  // namespace

Workspace::Workspace(const std::string& name, const ConnectOptions& options, bool use_use, bool create,
                     bool persistent)
    : Workspace(connect_and_open(name, options, use_use, create, persistent)) {}

void Workspace::store(const std::string& var, const Value& value, const Metadata* metadata) {
  store(var, value.descriptor, value.bytes, metadata);
}

void Workspace::store(const std::string& var, std::uint64_t descriptor, std::string_view bytes,
                      const Metadata* metadata) {
  detail::Connection& c = *conn_;
  c.check_value_size(bytes.size(), Op{Verb::store, name_, var});
  std::string desc;
  proto::append_n20u(desc, descriptor);
  // The value follows its header straight from the caller's memory.
  Outgoing req{c.encode_head(metadata, Verb::store, {name_, var, desc}, bytes.size()), bytes};
  detail::expect_ok(c, Op{Verb::store, name_, var}, req);
}

void Workspace::store_stream(const std::string& var, std::uint64_t descriptor, std::uint64_t length,
                             const ByteSource& source, const Metadata* metadata) {
  if (!source) throw Error(Errc::invalid_argument, "store_stream of variable '" + var + "' needs a byte source");
  detail::Connection& c = *conn_;
  c.check_value_size(length, Op{Verb::store, name_, var});
  std::string desc;
  proto::append_n20u(desc, descriptor);
  Outgoing req{c.encode_head(metadata, Verb::store, {name_, var, desc}, length)};
  req.source = &source;
  req.source_length = length;
  detail::expect_ok(c, Op{Verb::store, name_, var}, req);
}

std::optional<Fetched> Workspace::retrieve(Retrieve how, const std::string& var, const Wait& wait,
                                           const ByteSink* sink) {
  detail::Connection& c = *conn_;
  const bool blocking = how == Retrieve::fetch || how == Retrieve::find;
  const Op op{verb_of(how), name_, var};
  detail::Reply r = c.round_trip(request(c, op, {name_, var}), op, sink, blocking ? &wait : nullptr);
  if (r.status() != 0) {
    // A Try verb's failure means "no value" (the original clients return
    // their default), unless the workspace handle itself is bad.
    if (blocking || detail::is_hard_failure(r.status())) throw detail::status_error(op, r.status(), r.reason());
    return std::nullopt;
  }
  return detail::take_value(std::move(r), op);
}

Value Workspace::fetch(const std::string& var, const Wait& wait) {
  return std::move(retrieve(Retrieve::fetch, var, wait)->value);
}

Value Workspace::find(const std::string& var, const Wait& wait) {
  return std::move(retrieve(Retrieve::find, var, wait)->value);
}

std::optional<Value> Workspace::fetch_try(const std::string& var) {
  auto f = retrieve(Retrieve::fetch_try, var);
  if (!f) return std::nullopt;
  return std::move(f->value);
}

std::optional<Value> Workspace::find_try(const std::string& var) {
  auto f = retrieve(Retrieve::find_try, var);
  if (!f) return std::nullopt;
  return std::move(f->value);
}

void Workspace::declare(const std::string& var, Mode mode) {
  if (!declarable(mode)) args::mode(mode_name(mode));  // raises the usual invalid_argument
  detail::Connection& c = *conn_;
  const Op op{Verb::declare_var, name_, var};
  detail::expect_ok(c, op, request(c, op, {name_, var, mode_name(mode)}));
}

void Workspace::delete_var(const std::string& var) {
  detail::Connection& c = *conn_;
  const Op op{Verb::delete_var, name_, var};
  detail::expect_ok(c, op, request(c, op, {name_, var}));
}

VarListing Workspace::list_vars() { return server().list_vars(name_); }

Iterator Workspace::ifetch(const std::string& var) {
  if (!conn_->cookie_format())
    throw Error(Errc::unsupported, "ifetch needs the cookie reply format, which this connection lacks");
  return Iterator(*this, var, true);
}

Iterator Workspace::ifind(const std::string& var) {
  if (!conn_->cookie_format())
    throw Error(Errc::unsupported, "ifind needs the cookie reply format, which this connection lacks");
  return Iterator(*this, var, false);
}

void Workspace::close() { conn_->close(); }
bool Workspace::closed() const { return conn_->closed(); }

}  // namespace nws
