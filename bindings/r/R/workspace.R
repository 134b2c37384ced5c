# Variables: store, fetch/find (blocking, with an optional timeout in
# seconds), the Try forms, declare, delete, list.

nwsStore <- function(.Object, xName, xVal) {
  ws <- .wsArg(.Object)
  v <- .encodeValue(xVal)
  invisible(.nws(.nws_store(ws$ptr, .nameArg(xName), v$descriptor, v$bytes)))
}

# how: 0 fetch, 1 fetchTry, 2 find, 3 findTry.  The raw reply (found,
# descriptor, language, bytes).
.retrieve <- function(.Object, how, xName, timeout = NULL, call = sys.call(-1)) {
  ws <- .wsArg(.Object)
  .nws(.nws_retrieve(ws$ptr, as.integer(how), .nameArg(xName), .timeoutArg(timeout)), call = call)
}

nwsFetch <- function(.Object, xName, timeout = NULL) {
  .decodeValue(.retrieve(.Object, 0L, xName, timeout))
}

nwsFetchTry <- function(.Object, xName, defaultVal = NULL) {
  r <- .retrieve(.Object, 1L, xName)
  if (isTRUE(r$found)) .decodeValue(r) else defaultVal
}

nwsFind <- function(.Object, xName, timeout = NULL) {
  .decodeValue(.retrieve(.Object, 2L, xName, timeout))
}

nwsFindTry <- function(.Object, xName, defaultVal = NULL) {
  r <- .retrieve(.Object, 3L, xName)
  if (isTRUE(r$found)) .decodeValue(r) else defaultVal
}

nwsDeclare <- function(.Object, xName, mode) {
  ws <- .wsArg(.Object)
  invisible(.nws(.nws_declare(ws$ptr, .nameArg(xName), .nameArg(mode, "mode"))))
}

nwsDeleteVar <- function(.Object, xName) {
  ws <- .wsArg(.Object)
  invisible(.nws(.nws_delete_var(ws$ptr, .nameArg(xName))))
}

# wsName: another workspace on the same connection ("" = this one); it is
# used, not opened, and never created.
nwsListVars <- function(.Object, wsName = "", showDataFrame = FALSE) {
  ws <- .wsArg(.Object)
  ptr <- ws$ptr
  if (nzchar(wsName) && !identical(wsName, ws$name))
    ptr <- .nws(.nws_open_ws(ws$server$ptr, .nameArg(wsName, "wsName"), FALSE, FALSE, TRUE))
  r <- .nws(.nws_list_vars(ptr))
  if (!isTRUE(showDataFrame)) return(r$text)
  data.frame(Variable = r$Variable, NumValues = r$NumValues, NumFetchers = r$NumFetchers,
             NumFinders = r$NumFinders, Mode = r$Mode, stringsAsFactors = FALSE)
}
