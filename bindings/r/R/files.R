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

nwsStoreFile <- function(.Object, xName, fObj) {
  ws <- .wsArg(.Object)
  bytes <- if (is.character(fObj)) {
    con <- file(fObj, "rb")
    on.exit(close(con))
    .readAll(con)
  } else if (inherits(fObj, "connection")) {
    if (!isOpen(fObj)) { open(fObj, "rb"); on.exit(close(fObj)) }
    .readAll(fObj)
  } else {
    .nwsStop("invalid argument", "fObj must be a file name or a connection")
  }
  .nws(.nws_store(ws$ptr, .nameArg(xName), .descRaw, bytes))
  invisible(length(bytes))
}

.toFile <- function(r, fObj) {
  if (is.character(fObj)) {
    con <- file(fObj, "wb")
    on.exit(close(con))
    writeBin(r$bytes, con)
  } else if (inherits(fObj, "connection")) {
    if (!isOpen(fObj)) { open(fObj, "wb"); on.exit(close(fObj)) }
    writeBin(r$bytes, fObj)
  } else {
    .nwsStop("invalid argument", "fObj must be a file name or a connection", call = sys.call(-2))
  }
  TRUE
}

.fileArg <- function(fObj) {
  if (!is.character(fObj) && !inherits(fObj, "connection"))
    .nwsStop("invalid argument", "fObj must be a file name or a connection", call = sys.call(-1))
}

nwsFetchFile <- function(.Object, xName, fObj, timeout = NULL) {
  .fileArg(fObj)
  .toFile(.retrieve(.Object, 0L, xName, timeout), fObj)
}

nwsFindFile <- function(.Object, xName, fObj, timeout = NULL) {
  .fileArg(fObj)
  .toFile(.retrieve(.Object, 2L, xName, timeout), fObj)
}

nwsFetchTryFile <- function(.Object, xName, fObj) {
  .fileArg(fObj)
  r <- .retrieve(.Object, 1L, xName)
  if (isTRUE(r$found)) .toFile(r, fObj) else FALSE
}

nwsFindTryFile <- function(.Object, xName, fObj) {
  .fileArg(fObj)
  r <- .retrieve(.Object, 3L, xName)
  if (isTRUE(r$found)) .toFile(r, fObj) else FALSE
}
