// nws::Server: a connection, and the workspace-level verbs that need no
// opened workspace.
#include "client/calls.hpp"
#include "client/listing.hpp"
#include "nws/client.hpp"

namespace nws {
namespace {
using detail::Op;
using proto::Verb;

ConnectOptions to(std::string host, std::uint16_t port) {
  ConnectOptions o;
  o.host = std::move(host);
  o.port = port;
  return o;
}
}  // namespace

Server::Server(const ConnectOptions& options) : conn_(std::make_shared<detail::Connection>(options)) {}

Server::Server(std::string host, std::uint16_t port) : Server(to(std::move(host), port)) {}

Workspace Server::open_ws(const std::string& name, bool persistent, bool create) {
  detail::Connection& c = *conn_;
  const Op op{Verb::open_ws, name};
  const char* keep = persistent ? "yes" : "no";
  // The optional fifth argument goes out only to refuse creation, as the
  // Python client does; "yes" is the server's default.
  detail::expect_ok(c, op, create ? request(c, op, {name, c.owner_label(), keep})
                                  : request(c, op, {name, c.owner_label(), keep, "no"}));
  return Workspace(conn_, name);
}

Workspace Server::use_ws(const std::string& name, bool create) {
  detail::Connection& c = *conn_;
  const Op op{Verb::use_ws, name};
  // Owner label and persistence are ignored by `use ws`; clients send '' and 'no'.
  detail::expect_ok(c, op, create ? request(c, op, {name, "", "no"}) : request(c, op, {name, "", "no", "no"}));
  return Workspace(conn_, name);
}

std::string Server::mktemp_ws(const std::string& name_template) {
  detail::Connection& c = *conn_;
  // The template is not a workspace name, so it goes into the description.
  const std::string detail = "with template '" + name_template + "'";
  const Op op{Verb::mktemp_ws, {}, {}, detail};
  return detail::expect_text(c, op, request(c, op, {name_template}));
}

void Server::delete_ws(const std::string& name) {
  detail::Connection& c = *conn_;
  const Op op{Verb::delete_ws, name};
  detail::expect_ok(c, op, request(c, op, {name}));
}

WsListing Server::list_wss(const std::string& name) {
  detail::Connection& c = *conn_;
  const Op op{Verb::list_wss, name};
  WsListing out;
  out.text = detail::expect_text(c, op, name.empty() ? request(c, op, {}) : request(c, op, {name}));
  out.rows = detail::parse_ws_listing(out.text);
  return out;
}

VarListing Server::list_vars(const std::string& ws) {
  detail::Connection& c = *conn_;
  const Op op{Verb::list_vars, ws};
  VarListing out;
  out.text = detail::expect_text(c, op, request(c, op, {ws}));
  out.rows = detail::parse_var_listing(out.text);
  return out;
}

void Server::close() { conn_->close(); }
bool Server::closed() const { return conn_->closed(); }
const std::string& Server::host() const { return conn_->host(); }
std::uint16_t Server::port() const { return conn_->port(); }
bool Server::supports_cancel() const { return conn_->supports_cancel(); }
bool Server::supports_lease() const { return conn_->supports_lease(); }
bool Server::cookie_format() const { return conn_->cookie_format(); }
std::optional<std::uint16_t> Server::web_port() const { return conn_->web_port(); }
const std::string& Server::owner_label() const { return conn_->owner_label(); }

}  // namespace nws
