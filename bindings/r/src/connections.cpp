// Connections and workspaces: nws::Server and nws::Workspace handles behind
// external pointers (R/server.R keeps them in its S3 objects), and the
// listings.
#include "common.h"

using glue::deref;
using glue::utf8;
using Rcpp::XPtr;
using NameOf = nws::args::NameOf;

// host, port: NULL means "not given" ($NWS_HOST / $NWS_PORT, else
// localhost:8765); connect_timeout NULL: the core's default; security the
// named list of TLS and credential options (glue::security_args).  Returns
// the handle and where the connection went (the defaults resolved).
// [[Rcpp::export(.nws_connect)]]
SEXP nws_connect(SEXP host, SEXP port, SEXP connect_timeout, SEXP security) {
  NWS_BEGIN
  nws::ConnectOptions o;
  o.host = glue::host_arg(host);
  o.port = glue::port_arg(port, nws::args::PortUse::connect);
  o.connect_timeout = glue::connect_timeout_arg(connect_timeout);
  glue::security_args(security, o);
  XPtr<nws::Server> s(new nws::Server(o), true);
  return Rcpp::List::create(Rcpp::Named("ptr") = s, Rcpp::Named("host") = utf8(s->host()),
                            Rcpp::Named("port") = static_cast<int>(s->port()));
  NWS_END
}

// Checks the security options (the sleigh's, before it starts anything).
// [[Rcpp::export(.nws_check_security)]]
SEXP nws_check_security(SEXP security) {
  NWS_BEGIN
  nws::ConnectOptions o;
  glue::security_args(security, o);
  return R_NilValue;
  NWS_END
}

// [[Rcpp::export(.nws_server_close)]]
SEXP nws_server_close(SEXP s) {
  NWS_BEGIN
  deref<nws::Server>(s).close();
  return R_NilValue;
  NWS_END
}

// [[Rcpp::export(.nws_server_closed)]]
bool nws_server_closed(SEXP s) {
  XPtr<nws::Server> x(s);
  return x.get() == nullptr || x->closed();
}

// use: use the workspace (no ownership); else open it.
// [[Rcpp::export(.nws_open_ws)]]
SEXP nws_open_ws(SEXP s, SEXP name, bool persistent, bool create, bool use) {
  NWS_BEGIN
  const std::string ws_name = glue::name_arg(name, NameOf::workspace);
  auto& srv = deref<nws::Server>(s);
  nws::Workspace ws = use ? srv.use_ws(ws_name, create) : srv.open_ws(ws_name, persistent, create);
  return Rcpp::List::create(Rcpp::Named("ptr") = XPtr<nws::Workspace>(new nws::Workspace(ws), true),
                            Rcpp::Named("name") = utf8(ws.name()));
  NWS_END
}

// [[Rcpp::export(.nws_mktemp_ws)]]
SEXP nws_mktemp_ws(SEXP s, SEXP name_template) {
  NWS_BEGIN
  const std::string tmpl = glue::name_arg(name_template, NameOf::name_template);
  return utf8(deref<nws::Server>(s).mktemp_ws(tmpl));
  NWS_END
}

// [[Rcpp::export(.nws_delete_ws)]]
SEXP nws_delete_ws(SEXP s, SEXP name) {
  NWS_BEGIN
  const std::string ws_name = glue::name_arg(name, NameOf::workspace);
  deref<nws::Server>(s).delete_ws(ws_name);
  return R_NilValue;
  NWS_END
}

// Every workspace: the server's text and its rows, from one round trip.
// [[Rcpp::export(.nws_list_wss)]]
SEXP nws_list_wss(SEXP s) {
  NWS_BEGIN
  const nws::WsListing l = deref<nws::Server>(s).list_wss();
  const auto n = static_cast<R_xlen_t>(l.rows.size());
  Rcpp::LogicalVector mine(n), persistent(n);
  Rcpp::CharacterVector names(n), owner(n), vars(n);
  Rcpp::NumericVector nvars(n);
  for (R_xlen_t i = 0; i < n; ++i) {
    const nws::WsInfo& r = l.rows[static_cast<std::size_t>(i)];
    mine[i] = r.mine;
    names[i] = Rcpp::String(r.name, CE_UTF8);
    owner[i] = Rcpp::String(r.owner, CE_UTF8);
    persistent[i] = r.persistent;
    nvars[i] = static_cast<double>(r.variables);
    std::string joined;
    for (std::size_t j = 0; j < r.variable_names.size(); ++j) joined += (j ? "," : "") + r.variable_names[j];
    vars[i] = Rcpp::String(joined, CE_UTF8);
  }
  return Rcpp::List::create(Rcpp::Named("text") = utf8(l.text), Rcpp::Named("Owned") = mine,
                            Rcpp::Named("Name") = names, Rcpp::Named("Owner") = owner,
                            Rcpp::Named("Persistent") = persistent, Rcpp::Named("NumVariables") = nvars,
                            Rcpp::Named("Variables") = vars);
  NWS_END
}

// The variables of this workspace (ws_name "") or of another one that this
// connection opened or used: text and rows from one round trip.
// [[Rcpp::export(.nws_list_vars)]]
SEXP nws_list_vars(SEXP w, SEXP ws_name) {
  NWS_BEGIN
  auto& ws = deref<nws::Workspace>(w);
  const nws::VarListing l = glue::is_empty_string(ws_name)
                                ? ws.list_vars()
                                : ws.server().list_vars(glue::name_arg(ws_name, NameOf::workspace));
  const auto n = static_cast<R_xlen_t>(l.rows.size());
  Rcpp::CharacterVector names(n), modes(n);
  Rcpp::NumericVector values(n), fetchers(n), finders(n);
  for (R_xlen_t i = 0; i < n; ++i) {
    const nws::VarInfo& r = l.rows[static_cast<std::size_t>(i)];
    names[i] = Rcpp::String(r.name, CE_UTF8);
    values[i] = static_cast<double>(r.values);
    fetchers[i] = static_cast<double>(r.fetchers);
    finders[i] = static_cast<double>(r.finders);
    modes[i] = r.mode;
  }
  return Rcpp::List::create(Rcpp::Named("text") = utf8(l.text), Rcpp::Named("Variable") = names,
                            Rcpp::Named("NumValues") = values, Rcpp::Named("NumFetchers") = fetchers,
                            Rcpp::Named("NumFinders") = finders, Rcpp::Named("Mode") = modes);
  NWS_END
}
