# Iterators, as in the original: each returns a function; calling it gives
# the next value.  nwsIFetch/nwsIFind wait for a value (the function takes
# an optional timeout); the Try forms return defaultVal when there is none.
# ifetch consumes the values (fetch); ifind walks them without removing.

.iterator <- function(.Object, xName, consuming) {
  ws <- .wsArg(.Object)
  .nws(.nws_iterator(ws$ptr, .nameArg(xName), consuming), call = sys.call(-1))
}

nwsIFetch <- function(.Object, xName) {
  it <- .iterator(.Object, xName, TRUE)
  function(timeout = NULL) .decodeValue(.nws(.nws_iterator_next(it, TRUE, .timeoutArg(timeout))))
}

nwsIFind <- function(.Object, xName) {
  it <- .iterator(.Object, xName, FALSE)
  function(timeout = NULL) .decodeValue(.nws(.nws_iterator_next(it, TRUE, .timeoutArg(timeout))))
}

nwsIFetchTry <- function(.Object, xName, defaultVal = NULL) {
  it <- .iterator(.Object, xName, TRUE)
  function() {
    r <- .nws(.nws_iterator_next(it, FALSE, -1))
    if (isTRUE(r$found)) .decodeValue(r) else defaultVal
  }
}

nwsIFindTry <- function(.Object, xName, defaultVal = NULL) {
  it <- .iterator(.Object, xName, FALSE)
  function() {
    r <- .nws(.nws_iterator_next(it, FALSE, -1))
    if (isTRUE(r$found)) .decodeValue(r) else defaultVal
  }
}
