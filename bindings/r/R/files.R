# Files: a value's bytes to or from a file.  fObj is a file name or an R
# connection (opened in binary mode, or it is opened here and closed after).
# nwsStoreFile stores the whole content as one binary value; the retrieving
# forms write the value's bytes as they are, whatever the value's type.

.readAll <- function(con) {
  chunks <- list()
  repeat {
    b <- readBin(con, "raw", 65536L)
    if (length(b) == 0L) break
    chunks[[length(chunks) + 1L]] <- b
  }
  if (length(chunks)) do.call(c, chunks) else raw(0)
}

.fileArg <- function(fObj, call = sys.call(-1)) {
  if (!is.character(fObj) && !inherits(fObj, "connection"))
    .nwsStop("invalid argument", "fObj must be a file name or a connection", call = call)
}

nwsStoreFile <- function(.Object, xName, fObj) {
  ws <- .wsArg(.Object)
  .fileArg(fObj)
  bytes <- if (is.character(fObj)) {
    con <- file(fObj, "rb")
    on.exit(close(con))
    .readAll(con)
  } else {
    if (!isOpen(fObj)) { open(fObj, "rb"); on.exit(close(fObj)) }
    .readAll(fObj)
  }
  .nws(.nws_store(ws$ptr, xName, .descriptorR(TRUE, TRUE), bytes))
  invisible(length(bytes))
}

# Writes the value's bytes; TRUE.
.toFile <- function(r, fObj) {
  if (is.character(fObj)) {
    con <- file(fObj, "wb")
    on.exit(close(con))
    writeBin(r$bytes, con)
  } else {
    if (!isOpen(fObj)) { open(fObj, "wb"); on.exit(close(fObj)) }
    writeBin(r$bytes, fObj)
  }
  TRUE
}

# A value that arrives with an interrupt is written to the file before the
# interrupt is signalled (its `value` is then TRUE): it is not lost.
.retrieveFile <- function(.Object, how, xName, fObj, timeout = NULL, call = sys.call(-1)) {
  .fileArg(fObj, call = call)
  r <- .retrieve(.Object, how, xName, timeout, call = call, arrived = function(v) .toFile(v, fObj), decode = FALSE)
  if (isTRUE(r$found)) .toFile(r, fObj) else FALSE
}

nwsFetchFile <- function(.Object, xName, fObj, timeout = NULL) .retrieveFile(.Object, 0L, xName, fObj, timeout)

nwsFindFile <- function(.Object, xName, fObj, timeout = NULL) .retrieveFile(.Object, 2L, xName, fObj, timeout)

nwsFetchTryFile <- function(.Object, xName, fObj) .retrieveFile(.Object, 1L, xName, fObj)

nwsFindTryFile <- function(.Object, xName, fObj) .retrieveFile(.Object, 3L, xName, fObj)
