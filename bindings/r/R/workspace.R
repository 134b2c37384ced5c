# Variables: store, fetch/find (blocking, with an optional timeout in
# seconds), the Try forms, declare, delete, list.  Names, modes and
# timeouts are checked by the core (nws/args.hpp) before anything is sent.

nwsStore <- function(.Object, xName, xVal) {
  ws <- .wsArg(.Object)
  v <- .encodeValue(xVal)
  invisible(.nws(.nws_store(ws$ptr, xName, v$descriptor, v$bytes)))
}

# how: 0 fetch, 1 fetchTry, 2 find, 3 findTry.  The raw reply (found,
# descriptor, ..., bytes); `arrived` turns a value that came with an
# interrupt into what the caller returns (see .nws).
.retrieve <- function(.Object, how, xName, timeout = NULL, call = sys.call(-1),
                      arrived = .decoderFor(.Object, xName, call)) {
  ws <- .wsArg(.Object, call = call)
  .nws(.nws_retrieve(ws$ptr, as.integer(how), xName, timeout), call = call, arrived = arrived)
}

nwsFetch <- function(.Object, xName, timeout = NULL) {
  r <- .retrieve(.Object, 0L, xName, timeout)
  .decodeValue(r, .Object$name, xName)
}

nwsFetchTry <- function(.Object, xName, defaultVal = NULL) {
  r <- .retrieve(.Object, 1L, xName)
  if (isTRUE(r$found)) .decodeValue(r, .Object$name, xName) else defaultVal
}

nwsFind <- function(.Object, xName, timeout = NULL) {
  r <- .retrieve(.Object, 2L, xName, timeout)
  .decodeValue(r, .Object$name, xName)
}

nwsFindTry <- function(.Object, xName, defaultVal = NULL) {
  r <- .retrieve(.Object, 3L, xName)
  if (isTRUE(r$found)) .decodeValue(r, .Object$name, xName) else defaultVal
}

nwsDeclare <- function(.Object, xName, mode) {
  ws <- .wsArg(.Object)
  invisible(.nws(.nws_declare(ws$ptr, xName, mode)))
}

nwsDeleteVar <- function(.Object, xName) {
  ws <- .wsArg(.Object)
  invisible(.nws(.nws_delete_var(ws$ptr, xName)))
}

# wsName: "" for this workspace, or another one this connection opened or
# used (the server refuses others: nwsNotOpened).  One round trip gives the
# text and the rows.
nwsListVars <- function(.Object, wsName = "", showDataFrame = FALSE) {
  ws <- .wsArg(.Object)
  r <- .nws(.nws_list_vars(ws$ptr, wsName))
  if (!isTRUE(showDataFrame)) return(r$text)
  data.frame(Variable = r$Variable, NumValues = r$NumValues, NumFetchers = r$NumFetchers,
             NumFinders = r$NumFinders, Mode = r$Mode, stringsAsFactors = FALSE)
}
