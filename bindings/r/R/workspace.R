# Variables: store, fetch/find (blocking, with an optional timeout in
# seconds), the Try forms, declare, delete, list.  Names, modes and
# timeouts are checked by the core (nws/args.hpp) before anything is sent.

# portable: TRUE stores a portable value (docs/values.md) every language
# reads, FALSE R's own serialisation; NULL the workspace's default
# (netWorkSpace(portable = )).  A single string or a raw vector is stored
# plain either way.
nwsStore <- function(.Object, xName, xVal, portable = NULL) {
  ws <- .wsArg(.Object)
  if (.portableArg(portable, ws$portable) && !.isPlain(xVal))
    return(invisible(.nws(.nws_store_portable(ws$ptr, xName, xVal))))
  v <- .encodeValue(xVal)
  invisible(.nws(.nws_store(ws$ptr, xName, v$descriptor, v$bytes)))
}

# TRUE or FALSE; NULL is `default` (FALSE if that is NULL too).
.portableArg <- function(portable, default = FALSE, call = sys.call(-1)) {
  if (is.null(portable)) return(isTRUE(default))
  if (!is.logical(portable) || length(portable) != 1L || is.na(portable))
    .nwsStop("invalid argument", "portable must be TRUE or FALSE (or NULL: the workspace's default)", call = call)
  portable
}

# how: 0 fetch, 1 fetchTry, 2 find, 3 findTry.  The raw reply (found,
# descriptor, ..., bytes, or a portable value decoded unless `decode` is
# FALSE); `arrived` turns a value that came with an interrupt into what the
# caller returns (see .nws).
.retrieve <- function(.Object, how, xName, timeout = NULL, call = sys.call(-1),
                      arrived = .decoderFor(.Object, xName, call), decode = TRUE) {
  ws <- .wsArg(.Object, call = call)
  .nws(.nws_retrieve(ws$ptr, as.integer(how), xName, timeout, decode), call = call, arrived = arrived)
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
