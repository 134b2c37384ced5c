# Connections (nwsServer) and workspace management.
#
# The server a program names none of: serverHost NULL means $NWS_HOST, else
# "localhost", and port NULL means $NWS_PORT, else 8765 (the original
# defaults); the core resolves both, so the environment applies everywhere.
#
# TLS and credentials (docs/security.md): tls, tlsCa, tlsCert, tlsKey,
# tlsServerName, user, password, token.  NULL means "not given": the core
# then takes $NWS_TLS, $NWS_TLS_CA, $NWS_TLS_CERT, $NWS_TLS_KEY, $NWS_USER,
# $NWS_PASSWORD, $NWS_TOKEN.  Their types are checked by the glue
# (glue::security_args) before anything is sent.

nwsServer <- function(serverHost = NULL, port = NULL, connectTimeout = NULL,
                      tls = NULL, tlsCa = NULL, tlsCert = NULL, tlsKey = NULL, tlsServerName = NULL,
                      user = NULL, password = NULL, token = NULL) {
  .nwsConnect(serverHost, port, connectTimeout,
              .securityOptions(tls, tlsCa, tlsCert, tlsKey, tlsServerName, user, password, token),
              call = sys.call())
}

.nwsConnect <- function(serverHost, port, connectTimeout = NULL, security = NULL, call = sys.call(-1)) {
  r <- .nws(.nws_connect(serverHost, port, connectTimeout, security), call = call)
  structure(list(ptr = r$ptr, serverHost = r$host, port = r$port), class = "nwsServer")
}

# The security options as the glue takes them: a list without the NULL
# ones; file names with ~ expanded (anything but one string is left to the
# glue, which refuses it).
.securityOptions <- function(tls = NULL, tlsCa = NULL, tlsCert = NULL, tlsKey = NULL, tlsServerName = NULL,
                             user = NULL, password = NULL, token = NULL) {
  path <- function(x) if (is.character(x) && length(x) == 1L && !is.na(x)) path.expand(x) else x
  o <- list(tls = tls, tlsCa = path(tlsCa), tlsCert = path(tlsCert), tlsKey = path(tlsKey),
            tlsServerName = tlsServerName, user = user, password = password, token = token)
  o[!vapply(o, is.null, NA)]
}

.serverOf <- function(.Object, call = sys.call(-1)) {
  if (inherits(.Object, "nwsServer")) return(.Object)
  if (inherits(.Object, "netWorkSpace")) return(.Object$server)
  .nwsStop("invalid argument", "expected an nwsServer or a netWorkSpace object", call = call)
}

.wsArg <- function(.Object, call = sys.call(-1)) {
  if (!inherits(.Object, "netWorkSpace"))
    .nwsStop("invalid argument", "expected a netWorkSpace object", call = call)
  .Object
}

# portable: the default of nwsStore(portable = ) for this object.
.newWs <- function(server, r, portable = FALSE)
  structure(list(ptr = r$ptr, server = server, name = r$name, portable = portable), class = "netWorkSpace")

nwsOpenWs <- function(.Object, wsName, create = TRUE, persistent = FALSE, portable = FALSE) {
  s <- .serverOf(.Object)
  portable <- .portableArg(portable)
  .newWs(s, .nws(.nws_open_ws(s$ptr, wsName, isTRUE(persistent), isTRUE(create), FALSE)), portable)
}

nwsUseWs <- function(.Object, wsName, create = TRUE, portable = FALSE) {
  s <- .serverOf(.Object)
  portable <- .portableArg(portable)
  .newWs(s, .nws(.nws_open_ws(s$ptr, wsName, FALSE, isTRUE(create), TRUE)), portable)
}

nwsMktempWs <- function(.Object, wsNameTemplate = "__Rws__%010d") {
  s <- .serverOf(.Object)
  .nws(.nws_mktemp_ws(s$ptr, wsNameTemplate))
}

nwsDeleteWs <- function(.Object, wsName) {
  s <- .serverOf(.Object)
  invisible(.nws(.nws_delete_ws(s$ptr, wsName)))
}

# One round trip gives the text and the rows.
nwsListWss <- function(.Object, showDataFrame = FALSE) {
  s <- .serverOf(.Object)
  r <- .nws(.nws_list_wss(s$ptr))
  if (!isTRUE(showDataFrame)) return(r$text)
  data.frame(Owned = r$Owned, Name = r$Name, Owner = r$Owner, Persistent = r$Persistent,
             NumVariables = r$NumVariables, Variables = r$Variables, stringsAsFactors = FALSE)
}

# portable = TRUE: every nwsStore through this object stores portable values
# (docs/values.md), unless the store says otherwise.  The TLS and credential
# options go to a new connection (nwsServer); with serverWrap, whose
# connection is already made, they are refused.
netWorkSpace <- function(wsName = "__default", serverHost = NULL, port = NULL,
                         useUse = FALSE, create = TRUE, persistent = FALSE, serverWrap = NULL,
                         portable = FALSE, tls = NULL, tlsCa = NULL, tlsCert = NULL, tlsKey = NULL,
                         tlsServerName = NULL, user = NULL, password = NULL, token = NULL) {
  portable <- .portableArg(portable)
  security <- .securityOptions(tls, tlsCa, tlsCert, tlsKey, tlsServerName, user, password, token)
  s <- if (is.null(serverWrap)) {
    .nwsConnect(serverHost, port, security = security, call = sys.call())
  } else {
    if (length(security))
      .nwsStop("invalid argument", sprintf("%s: connection options for a new connection, not with serverWrap (its connection is made)",
                                           paste(names(security), collapse = ", ")))
    .serverOf(serverWrap)
  }
  if (isTRUE(useUse)) nwsUseWs(s, wsName, create = create, portable = portable)
  else nwsOpenWs(s, wsName, create = create, persistent = persistent, portable = portable)
}

# Closes the connection (shared by the server object and every workspace
# opened through it).  Idempotent.
nwsClose <- function(.Object) {
  s <- .serverOf(.Object)
  invisible(.nws(.nws_server_close(s$ptr)))
}

nwsWsName <- function(.Object) .wsArg(.Object)$name

nwsServerObject <- function(.Object) .wsArg(.Object)$server

print.nwsServer <- function(x, ...) {
  cat(sprintf("<nwsServer %s:%d%s>\n", x$serverHost, x$port,
              if (.nws_server_closed(x$ptr)) " (closed)" else ""))
  invisible(x)
}

print.netWorkSpace <- function(x, ...) {
  cat(sprintf("<netWorkSpace '%s' on %s:%d%s>\n", x$name, x$server$serverHost, x$server$port,
              if (isTRUE(x$portable)) ", portable" else ""))
  invisible(x)
}
