# Connections (nwsServer) and workspace management.

nwsServer <- function(serverHost = "localhost", port = 8765, connectTimeout = 10) {
  port <- .portArg(port)
  ptr <- .nws(.nws_connect(as.character(serverHost), port, as.numeric(connectTimeout)))
  structure(list(ptr = ptr, serverHost = serverHost, port = port), class = "nwsServer")
}

.portArg <- function(port) {
  if (!is.numeric(port) || length(port) != 1L || is.na(port) || port < 0 || port > 65535 || port != round(port))
    .nwsStop("invalid argument", "port must be one whole number in 0..65535", call = sys.call(-1))
  as.integer(port)
}

.serverOf <- function(.Object) {
  if (inherits(.Object, "nwsServer")) return(.Object)
  if (inherits(.Object, "netWorkSpace")) return(.Object$server)
  .nwsStop("invalid argument", "expected an nwsServer or a netWorkSpace object", call = sys.call(-1))
}

.wsArg <- function(.Object) {
  if (!inherits(.Object, "netWorkSpace"))
    .nwsStop("invalid argument", "expected a netWorkSpace object", call = sys.call(-1))
  .Object
}

.nameArg <- function(x, what = "a variable name") {
  if (!is.character(x) || length(x) != 1L || is.na(x))
    .nwsStop("invalid argument", paste(what, "must be one string"), call = sys.call(-1))
  enc2utf8(x)
}

.newWs <- function(server, ptr) {
  structure(list(ptr = ptr, server = server, name = .nws(.nws_ws_name(ptr))), class = "netWorkSpace")
}

nwsOpenWs <- function(.Object, wsName, create = TRUE, persistent = FALSE) {
  s <- .serverOf(.Object)
  .newWs(s, .nws(.nws_open_ws(s$ptr, .nameArg(wsName, "wsName"), isTRUE(persistent), isTRUE(create), FALSE)))
}

nwsUseWs <- function(.Object, wsName, create = TRUE) {
  s <- .serverOf(.Object)
  .newWs(s, .nws(.nws_open_ws(s$ptr, .nameArg(wsName, "wsName"), FALSE, isTRUE(create), TRUE)))
}

nwsMktempWs <- function(.Object, wsNameTemplate = "__Rws__%010d") {
  s <- .serverOf(.Object)
  .nws(.nws_mktemp_ws(s$ptr, .nameArg(wsNameTemplate, "wsNameTemplate")))
}

nwsDeleteWs <- function(.Object, wsName) {
  s <- .serverOf(.Object)
  invisible(.nws(.nws_delete_ws(s$ptr, .nameArg(wsName, "wsName"))))
}

nwsListWss <- function(.Object, showDataFrame = FALSE) {
  s <- .serverOf(.Object)
  r <- .nws(.nws_list_wss(s$ptr, ""))
  if (!isTRUE(showDataFrame)) return(r$text)
  data.frame(Owned = r$Owned, Name = r$Name, Owner = r$Owner, Persistent = r$Persistent,
             NumVariables = r$NumVariables, Variables = r$Variables, stringsAsFactors = FALSE)
}

netWorkSpace <- function(wsName = "__default", serverHost = "localhost", port = 8765,
                         useUse = FALSE, create = TRUE, persistent = FALSE, serverWrap = NULL) {
  s <- if (is.null(serverWrap)) nwsServer(serverHost, port) else .serverOf(serverWrap)
  if (isTRUE(useUse)) nwsUseWs(s, wsName, create = create)
  else nwsOpenWs(s, wsName, create = create, persistent = persistent)
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
  cat(sprintf("<netWorkSpace '%s' on %s:%d>\n", x$name, x$server$serverHost, x$server$port))
  invisible(x)
}
