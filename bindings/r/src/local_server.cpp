// nwsStartServer(): an NWS server inside this R process (nws::LocalServer,
// its event loop on a thread of its own).
#include "nws/local_server.hpp"

#include "common.h"

namespace {

void stop_and_free(SEXP p) {
  auto* srv = static_cast<nws::LocalServer*>(R_ExternalPtrAddr(p));
  if (srv == nullptr) return;
  R_ClearExternalPtr(p);
  delete srv;  // stops it: closes every connection, removes its spool directory
}

}  // namespace

// port: 0..65535 (0: a free one); host: the address to listen on; spool_dir:
// where large values go ("" : the core's default).  The handle is stopped
// by nwsStopServer(), by the garbage collector, or when R exits.
// [[Rcpp::export(.nws_local_start)]]
SEXP nws_local_start(SEXP port, std::string host, std::string spool_dir) {
  NWS_BEGIN
  nws::LocalServerOptions o;
  o.port = glue::port_arg(port, nws::args::PortUse::listen).value_or(0);
  o.bind = host;
  o.spool_dir = spool_dir;
  // Its thread takes no asynchronous signal, so Ctrl-C reaches R's thread.
  auto srv = std::make_unique<nws::LocalServer>(o);
  const nws::ConnectOptions where = srv->connect_options();
  SEXP ptr = PROTECT(R_MakeExternalPtr(srv.release(), R_NilValue, R_NilValue));
  R_RegisterCFinalizerEx(ptr, stop_and_free, TRUE);
  Rcpp::List out = Rcpp::List::create(Rcpp::Named("ptr") = ptr, Rcpp::Named("host") = glue::utf8(where.host),
                                      Rcpp::Named("port") = static_cast<int>(where.port.value_or(0)));
  UNPROTECT(1);
  return out;
  NWS_END
}

// Idempotent.
// [[Rcpp::export(.nws_local_stop)]]
SEXP nws_local_stop(SEXP ptr) {
  if (TYPEOF(ptr) == EXTPTRSXP) stop_and_free(ptr);
  return R_NilValue;
}

// [[Rcpp::export(.nws_local_running)]]
bool nws_local_running(SEXP ptr) {
  if (TYPEOF(ptr) != EXTPTRSXP) return false;
  auto* srv = static_cast<nws::LocalServer*>(R_ExternalPtrAddr(ptr));
  return srv != nullptr && srv->running();
}
