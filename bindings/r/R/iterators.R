# Iterators, as in the original: each returns a function; calling it gives
# the next value.  nwsIFetch/nwsIFind wait for a value (the function takes
# an optional timeout); the Try forms return defaultVal when there is none.
# ifetch consumes the values (fetch); ifind walks them without removing.
#
# The end is the core's rule: not sticky.  A step that finds no further
# value keeps the position, and the next call goes on from there, seeing
# values stored since.

.iterator <- function(.Object, xName, consuming, call = sys.call(-1)) {
  ws <- .wsArg(.Object, call = call)
  .nws(.nws_iterator(ws$ptr, xName, consuming), call = call)
}

# The step function of a blocking iterator.  A value that arrives with an
# interrupt has advanced the position; it goes with the interrupt.
.blockingSteps <- function(.Object, xName, consuming) {
  call <- sys.call(-1)
  it <- .iterator(.Object, xName, consuming, call = call)
  decode <- .decoderFor(.Object, xName, call)
  function(timeout = NULL) decode(.nws(.nws_iterator_next(it, TRUE, timeout), call = call, arrived = decode))
}

.trySteps <- function(.Object, xName, consuming, defaultVal) {
  call <- sys.call(-1)
  it <- .iterator(.Object, xName, consuming, call = call)
  decode <- .decoderFor(.Object, xName, call)
  function() {
    r <- .nws(.nws_iterator_next(it, FALSE, NULL), call = call)
    if (isTRUE(r$found)) decode(r) else defaultVal
  }
}

nwsIFetch <- function(.Object, xName) .blockingSteps(.Object, xName, TRUE)

nwsIFind <- function(.Object, xName) .blockingSteps(.Object, xName, FALSE)

nwsIFetchTry <- function(.Object, xName, defaultVal = NULL) .trySteps(.Object, xName, TRUE, defaultVal)

nwsIFindTry <- function(.Object, xName, defaultVal = NULL) .trySteps(.Object, xName, FALSE, defaultVal)
