# Checks of the sleigh's options and arguments: a wrong type or value is an
# nwsInvalidArgument naming the option and what R gave, before anything is
# started or sent.

.given <- function(x) {
  if (is.null(x)) return("NULL")
  if (is.atomic(x) && length(x) == 1L) return(paste0(class(x)[1], " ", format(x)))
  sprintf("a %s of length %d", class(x)[1], length(x))
}

.bad <- function(what, rule, x, call) .nwsStop("invalid argument", sprintf("%s must be %s (R gave %s)", what, rule, .given(x)), call = call)

# One number (NA refused), or NULL when allowed; `whole` for counts.
.checkNumber <- function(x, what, min = -Inf, whole = FALSE, null = TRUE, call = sys.call(-1)) {
  if (is.null(x) && null) return(invisible(x))
  rule <- paste0(if (whole) "a whole number" else "a number", if (is.finite(min)) sprintf(" of at least %s", format(min)) else "",
                 if (null) " or NULL" else "")
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || x < min || (whole && x != round(x))) .bad(what, rule, x, call)
  invisible(x)
}

.checkFlag <- function(x, what, call = sys.call(-1)) {
  if (is.null(x)) return(invisible(x))
  if (!is.logical(x) || length(x) != 1L || is.na(x)) .bad(what, "TRUE or FALSE", x, call)
  invisible(x)
}

.checkStrings <- function(x, what, call = sys.call(-1)) {
  if (is.null(x)) return(invisible(x))
  if (!is.character(x) || anyNA(x)) .bad(what, "a character vector", x, call)
  invisible(x)
}

.checkFunction <- function(x, what, call = sys.call(-1)) {
  if (!is.null(x) && !is.function(x)) .bad(what, "a function or NULL", x, call)
  invisible(x)
}

# sleigh()'s options.
.checkSleighOptions <- function(o, call) {
  .checkNumber(o$workerCount, "workerCount", min = 1, whole = TRUE, call = call)
  if (!is.null(o$nwsPort) && !(is.numeric(o$nwsPort) || (is.character(o$nwsPort) && grepl("^[0-9]+$", o$nwsPort))))
    .bad("nwsPort", "a port number", o$nwsPort, call)
  if (!is.null(o$nwsPortRemote)) .checkNumber(o$nwsPortRemote, "nwsPortRemote", min = 1, whole = TRUE, call = call)
  .checkNumber(o$inboxDepth, "inboxDepth", min = 1, whole = TRUE, null = FALSE, call = call)
  .checkNumber(o$stopTimeout, "stopTimeout", min = 0, null = FALSE, call = call)
  .checkNumber(o$joinTimeout, "joinTimeout", min = 0, call = call)
  .checkFlag(o$verbose, "verbose", call = call)
  .checkFlag(o$progress, "progress", call = call)
  if (!is.character(o$language) || length(o$language) != 1L || is.na(o$language))
    .bad("language", "one of \"r\", \"python\", \"java\", \"perl\", \"ruby\"", o$language, call)
  for (n in c("nodeList", "libPaths", "slurmArgs", "nwsHost", "nwsHostRemote", "workingDir", "logDir", "rprog", "user",
              "load", "modulePath"))
    .checkStrings(o[[n]], n, call = call)
  # tls, tlsCa, ..., user, password, token: the glue's own checks (the
  # same as nwsServer's), before anything is started.
  .nws(.nws_check_security(.sleighSecurity(o)), call = call)
}

# eachElem's and eachWorker's options.
.checkJobOptions <- function(eo, call) {
  .checkFlag(eo$blocking, "eo$blocking", call = call)
  .checkFlag(eo$closure, "eo$closure", call = call)
  .checkFlag(eo$progress, "eo$progress", call = call)
  .checkFunction(eo$accumulator, "eo$accumulator", call = call)
  .checkFunction(eo$elementFunc, "eo$elementFunc", call = call)
  .checkNumber(eo$chunkSize, "eo$chunkSize", call = call)  # below 1 means 1, as in the original
  .checkNumber(eo$loadFactor, "eo$loadFactor", min = 0, call = call)
  if (!is.null(eo$by) && !(is.character(eo$by) && length(eo$by) == 1L && eo$by %in% .byChoices))
    .bad("eo$by", "one of \"row\", \"column\", \"cell\"", eo$by, call)
  p <- eo$argPermute
  if (!is.null(p) && (!is.numeric(p) || anyNA(p) || any(p < 1) || any(p != round(p))))
    .bad("eo$argPermute", "indices (whole numbers of at least 1) of the call's arguments", p, call)
}

# An element argument: what eachElem can cut into elements.
.checkElementArg <- function(x, call) {
  if (!(is.atomic(x) || is.list(x)) || is.null(x))
    .bad("every element argument", "a vector, list, matrix or data frame", x, call)
}
