# Jobs on a sleigh: eachElem, eachWorker, their pending form
# (blocking = FALSE, checkSleigh, waitSleigh), export / unexport.  The
# core dispatches chunks, keeps them in order and reruns those of a dead
# worker; here R values become the bytes of a chunk and back.

# eo: a list or an environment of options.  Unknown ones draw a warning,
# as in the original.
.eoOptions <- function(eo, known, what) {
  if (is.null(eo)) return(list())
  if (is.environment(eo)) eo <- as.list(eo)
  if (!is.list(eo)) .nwsStop("invalid argument", paste0(what, ": eo (the options) must be a list or an environment"))
  unknown <- setdiff(names(eo), known)
  if (length(unknown))
    warning(what, ": ignoring unknown option(s): ", paste0('"', unknown, '"', collapse = ", "), call. = FALSE)
  eo[intersect(names(eo), known)]
}

# The function's bytes.  closure = FALSE drops its environment for the
# global one (the original option); otherwise the environment travels
# with it (a function's namespace travels by name).  (A function's name,
# a string, takes the portable path instead: R/sleigh_portable.R.)
.sleighFunction <- function(fun, closure) {
  if (!is.function(fun)) .nwsStop("invalid argument", "fun must be a function (or the name of one, a string)")
  if (isFALSE(closure) && !is.primitive(fun)) environment(fun) <- globalenv()
  serialize(fun, NULL, xdr = FALSE)
}

.bytes <- function(x) serialize(x, NULL, xdr = FALSE)

# The values of one chunk's result: the worker's (an element that failed is
# its sleighTaskError), or one error per element when the whole chunk
# could not run or its worker died (eachWorker).
.chunkValues <- function(r) {
  if (identical(r$status, "ok")) return(unserialize(r$payload))
  message <- rawToChar(r$payload)
  lapply(seq_len(r$count), function(i)
    .sleighTaskError(message, task = r$first + i, rank = r$rank, traceback = character()))
}

# The error an element that failed comes back as: an R condition of class
# c("sleighTaskError", "error", "condition") with the worker's message
# (and its call, rank, task index and traceback).
.sleighTaskError <- function(message, task, rank, call = NULL, traceback = character()) {
  structure(class = c("sleighTaskError", "error", "condition"),
            list(message = message, call = call, task = task, rank = rank, traceback = traceback))
}

print.sleighTaskError <- function(x, ...) {
  cat(sprintf("<sleighTaskError in task %s on worker %s: %s>\n", format(x$task), format(x$rank), x$message))
  invisible(x)
}

# A job's results as they arrive: into a list by position, or to the
# accumulator, with the progress bar.  `where(r)` gives a chunk's positions.
.collector <- function(accumulator, progress, where) {
  got <- new.env(parent = emptyenv())
  got$values <- list()
  got$received <- 0
  got$chunks <- 0
  got$accumulator <- accumulator
  got$arity <- if (is.null(accumulator)) 0L else length(formals(accumulator))
  got$take <- function(r) got$put(.chunkValues(r), where(r))
  # Values `v` (a list) for the result list's positions `at`.
  got$put <- function(v, at) {
    if (is.null(accumulator)) {
      got$values[at] <- v
    } else if (got$arity == 0L) {
      accumulator()
    } else if (got$arity == 1L) {
      accumulator(v)
    } else {
      accumulator(v, at)
    }
    got$received <- got$received + length(v)
    got$chunks <- got$chunks + 1
    progress$update(got$received)
  }
  got$progress <- progress
  got
}

.pending <- function(job, collector, total) {
  p <- new.env(parent = emptyenv())
  p$job <- job
  p$collector <- collector
  p$total <- total   # results to come
  p$size <- NULL     # the result list's length, if not `total` (eachWorker: the group's size)
  p$done <- FALSE
  class(p) <- "sleighPending"
  p
}

# Takes one result; FALSE when the wait passed or the job has none left.
.drain <- function(p, timeout) {
  if (isTRUE(p$portable)) return(.drainPortable(p, timeout))
  r <- tryCatch(.nws(.nws_job_next(p$job, FALSE, timeout)), nwsTimeout = function(e) FALSE)
  if (isFALSE(r)) return(FALSE)
  if (is.null(r)) {
    p$done <- TRUE
    return(FALSE)
  }
  p$collector$take(r)
  TRUE
}

# The number of tasks whose results have not arrived yet.
checkSleigh <- function(sp) {
  if (!inherits(sp, "sleighPending")) .nwsStop("invalid argument", "expected a sleighPending object")
  while (!sp$done && .drain(sp, 0)) NULL
  sp$total - sp$collector$received
}

# Waits for every result: the list in task order, or NULL when an
# accumulator took them.
waitSleigh <- function(sp) {
  if (!inherits(sp, "sleighPending")) .nwsStop("invalid argument", "expected a sleighPending object")
  while (!sp$done) .drain(sp, NULL)
  sp$collector$progress$close()
  if (is.null(sp$collector$accumulator)) {
    v <- sp$collector$values
    length(v) <- sp$size %||% sp$total
    v
  } else {
    NULL
  }
}

print.sleighPending <- function(x, ...) {
  cat(sprintf("<sleighPending: %d of %d results>\n", as.integer(x$collector$received), as.integer(x$total)))
  invisible(x)
}

.workersHint <- function(s) {
  info <- .nws_sleigh_info(s$ptr)
  max(info$workersAlive, info$launched, 1L)
}

eachElem <- function(s, fun, elementArgs = list(), fixedArgs = list(), eo = NULL, DEBUG = FALSE) {
  ptr <- .sleighPtr(s)
  if (isTRUE(DEBUG)) browser()
  eo <- .eoOptions(eo, c("argPermute", "blocking", "loadFactor", "by", "chunkSize", "accumulator", "elementFunc",
                         "closure", "progress"), "eachElem")
  .checkJobOptions(eo, call = sys.call())
  named <- .sleighNamed(s, fun, "eachElem")
  by <- eo$by %||% "row"
  blocking <- if (is.null(eo$blocking)) TRUE else eo$blocking
  if (!is.list(fixedArgs)) fixedArgs <- list(fixedArgs)
  argPermute <- eo$argPermute
  elementFunc <- eo$elementFunc
  if (!is.null(elementFunc)) {
    if (length(elementArgs) > 0) .nwsStop("invalid argument", "eachElem: elementFunc cannot be used with elementArgs")
    if (length(formals(elementFunc)) > 2) .nwsStop("invalid argument", "eachElem: elementFunc takes too many arguments")
    total <- NA
  } else {
    if (!length(elementArgs) && !is.data.frame(elementArgs))
      .nwsStop("invalid argument", "eachElem: either elementArgs or elementFunc must be specified")
    ea <- .elementArgsOf(elementArgs, by)
    for (a in ea$args) .checkElementArg(a, call = sys.call())
    total <- ea$n
    if (!is.null(argPermute) && max(argPermute) > length(ea$args) + length(fixedArgs))
      .nwsStop("invalid argument", sprintf("eo$argPermute refers to argument %d, but each call has %d",
                                           as.integer(max(argPermute)), length(ea$args) + length(fixedArgs)))
  }
  if (!is.null(named))
    return(.eachElemPortable(s, ptr, named, if (is.null(elementFunc)) ea, elementFunc, by, total, fixedArgs,
                             argPermute, eo, blocking))
  workers <- .workersHint(s)
  chunkSize <- eo$chunkSize
  if (!is.null(chunkSize)) {
    chunkSize <- max(as.integer(min(chunkSize, .Machine$integer.max)), 1L)
  } else if (is.na(total)) {
    chunkSize <- 1L
  } else if (total > 0) {
    # The core's rule: four chunks a worker, none past what the server keeps in memory.
    first <- length(.bytes(.taskArgs(ea, 1, fixedArgs, argPermute)[[1]]))
    chunkSize <- max(as.integer(.nws_sleigh_chunk_size(total, workers, first)), 1L)
  }
  # The core's rule for a load factor; a non-blocking job feeds at once.
  limit <- if (blocking) .nws_sleigh_outstanding_limit(eo$loadFactor, workers) else Inf

  job <- .nws(.nws_sleigh_each_elem(ptr, .sleighFunction(fun, eo$closure)))
  progress <- .sleighProgress(eo$progress %||% s$options$progress, total)
  collector <- .collector(eo$accumulator, progress, function(r) r$first + seq_len(r$count))
  pending <- .pending(job, collector, 0)
  added <- 0
  exhausted <- FALSE
  feed <- function() {
    if (!is.na(total)) {
      n <- min(chunkSize, total - added)
      if (n <= 0) return(exhausted <<- TRUE)
      args <- .taskArgs(ea, added + seq_len(n), fixedArgs, argPermute)
    } else {
      g <- .generatedArgs(elementFunc, added, chunkSize, by, fixedArgs, argPermute)
      args <- g$args
      if (g$ended) exhausted <<- TRUE
      if (!length(args)) return(exhausted <<- TRUE)
    }
    .nws(.nws_job_add_chunk(job, added, length(args), .bytes(args)))
    added <<- added + length(args)
    pending$total <- added
  }
  ok <- FALSE
  on.exit(if (!ok) {
    .nws_job_close(job)
    progress$close()
  })
  repeat {
    while (!exhausted && .nws_job_state(job)$outstanding < limit) feed()
    if (exhausted) break
    .drain(pending, NULL)
  }
  .nws(.nws_job_close(job))
  ok <- TRUE
  if (blocking) waitSleigh(pending) else pending
}

eachWorker <- function(s, fun, ..., eo = NULL, DEBUG = FALSE) {
  ptr <- .sleighPtr(s)
  if (isTRUE(DEBUG)) browser()
  eo <- .eoOptions(eo, c("blocking", "accumulator", "closure", "progress"), "eachWorker")
  .checkJobOptions(eo, call = sys.call())
  args <- list(...)
  named <- .sleighNamed(s, fun, "eachWorker")
  if (!is.null(named)) return(.eachWorkerPortable(s, ptr, named, args, eo))
  job <- .nws(.nws_sleigh_each_worker(ptr, .sleighFunction(fun, eo$closure), .bytes(list(args)),
                                      s$options$joinTimeout))
  # One chunk went to each live worker: that many results to come.  They
  # are placed by rank, as the original does (the worker of rank r gives
  # value r + 1), in a list as long as the group, a worker gone before the
  # call leaving NULL in its place.
  st <- .nws_job_state(job)
  expected <- st$outstanding + st$undelivered
  progress <- .sleighProgress(eo$progress %||% s$options$progress, expected)
  pending <- .pending(job, .collector(eo$accumulator, progress, function(r) r$rank + 1L), expected)
  pending$size <- status(s)$numWorkers
  if (is.null(eo$blocking) || isTRUE(as.logical(eo$blocking))) waitSleigh(pending) else pending
}

# ---- exported variables (SLEIGH.md §6.3) ----------------------------------
#
# The original's records: the value in env_<name> (or env_<rank>_<name>
# for one worker), and list(worker, name, wsVar) appended to `exported`;
# each worker reads new records when it starts a new job's first task.

.exportVar <- function(xName, worker) {
  if (is.null(worker)) sprintf("env_%s", xName) else sprintf("env_%d_%s", as.integer(worker), xName)
}

.exportChecks <- function(s, xName, worker) {
  if (!is.character(xName) || length(xName) != 1L || is.na(xName) || !nzchar(xName))
    .nwsStop("invalid argument", "xName must be the variable's name, one string")
  if (!is.null(worker)) {
    if (!is.numeric(worker) || length(worker) != 1L || is.na(worker) || worker < 0)
      .nwsStop("invalid argument", "worker must be one rank, 0 or more")
    if (worker >= workerCount(s)) .nwsStop("invalid argument", "worker value is too large for this sleigh")
  }
}

export <- function(s, xName, xVal, worker = NULL) {
  .sleighPtr(s)
  if (missing(xVal)) .nwsStop("invalid argument", "export: no value given for xVal")
  .exportChecks(s, xName, worker)
  ws <- .sleighNws(s)
  var <- .exportVar(xName, worker)
  nwsDeclare(ws, var, "single")
  nwsStore(ws, var, xVal)
  nwsDeclare(ws, "exported", "fifo")
  nwsStore(ws, "exported", list(worker = worker, name = xName, wsVar = var))
  invisible(NULL)
}

unexport <- function(s, xName, worker = NULL) {
  .sleighPtr(s)
  .exportChecks(s, xName, worker)
  ws <- .sleighNws(s)
  nwsDeclare(ws, "exported", "fifo")
  nwsStore(ws, "exported", list(worker = worker, name = xName, wsVar = NULL))
  # Workers read an earlier record's value with findTry: gone is harmless.
  tryCatch(nwsDeleteVar(ws, .exportVar(xName, worker)), nwsError = function(e) NULL)
  invisible(NULL)
}
