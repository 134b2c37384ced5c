// nws::Server: a connection, and the workspace-level verbs that need no
// opened workspace.
#include "client/calls.hpp"
#include "client/listing.hpp"
#include "nws/client.hpp"

namespace nws {
namespace {
using detail::Op;
using detail::Outgoing;

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
  const char* keep = persistent ? "yes" : "no";
  // The optional fifth argument goes out only to refuse creation, as the
  // Python client does; "yes" is the server's default.
  Outgoing req{create ? c.encode(nullptr, {"open ws", name, c.owner_label(), keep})
                      : c.encode(nullptr, {"open ws", name, c.owner_label(), keep, "no"})};
  detail::expect_ok(c, Op{"open ws", name, {}}, req);
  return Workspace(conn_, name);
}

Workspace Server::use_ws(const std::string& name, bool create) {
  detail::Connection& c = *conn_;
  // Owner label and persistence are ignored by `use ws`; clients send '' and 'no'.
  Outgoing req{create ? c.encode(nullptr, {"use ws", name, "", "no"})
                      : c.encode(nullptr, {"use ws", name, "", "no", "no"})};
  detail::expect_ok(c, Op{"use ws", name, {}}, req);
  return Workspace(conn_, name);
}

std::string Server::mktemp_ws(const std::string& name_template) {
  detail::Connection& c = *conn_;
  // The template is not a workspace name, so it goes into the verb's description.
  const std::string what = "mktemp ws with template '" + name_template + "'";
  return detail::expect_text(c, Op{what, {}, {}}, Outgoing{c.encode(nullptr, {"mktemp ws", name_template})});
}

void Server::delete_ws(const std::string& name) {
  detail::Connection& c = *conn_;
  detail::expect_ok(c, Op{"delete ws", name, {}}, Outgoing{c.encode(nullptr, {"delete ws", name})});
}

std::string Server::list_wss_text(const std::string& name) {
  detail::Connection& c = *conn_;
  Outgoing req{name.empty() ? c.encode(nullptr, {"list wss"}) : c.encode(nullptr, {"list wss", name})};
  return detail::expect_text(c, Op{"list wss", name, {}}, req);
}

std::vector<WsInfo> Server::list_wss(const std::string& name) { return detail::parse_ws_listing(list_wss_text(name)); }

void Server::close() { conn_->close(); }
bool Server::closed() const { return conn_->closed(); }
const std::string& Server::host() const { return conn_->host(); }
std::uint16_t Server::port() const { return conn_->port(); }
bool Server::supports_cancel() const { return conn_->supports_cancel(); }
bool Server::cookie_format() const { return conn_->cookie_format(); }
std::optional<std::uint16_t> Server::web_port() const { return conn_->web_port(); }
const std::string& Server::owner_label() const { return conn_->owner_label(); }

}  // namespace nws
