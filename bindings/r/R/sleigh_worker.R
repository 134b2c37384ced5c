# A sleigh worker: `Rscript -e 'library(nws); quit(status = cmdLaunch())'`,
# started by a sleigh's launcher with the environment contract
# (RSleighNwsHost, ...), or by launch() from a person's session.
#
# The core joins, runs the sentinel and loops; this file only turns a
# chunk's bytes into calls and the calls' values into bytes.  A worker is
# a process of its own, and its global environment is where user code
# finds what the original gave it: SleighRank, SleighWorkerCount, SleighNws,
# SleighUserNws, and the variables the master export()ed.

.worker <- new.env(parent = emptyenv())

# A variable of the worker's global environment, which is the user code's
# (the original's rule; a worker runs nothing else).
.workerGlobal <- function(name, value) {
  g <- globalenv()
  if (is.null(value)) {
    if (exists(name, envir = g, inherits = FALSE)) rm(list = name, envir = g)
  } else {
    assign(name, value, envir = g)
  }
}

cmdLaunch <- function(verbose = FALSE) {
  Sys.setenv(RSleighAllowed = "FALSE")  # no sleigh inside a worker
  .worker$env <- .nws(.nws_sleigh_worker_env())
  .worker$functions <- list()
  .worker$job <- NULL
  invisible(.nws(.nws_sleigh_worker(.workerRunChunk, .workerJoined, paste("R", getRversion()))))
}

.workerJoined <- function(rank, count) {
  e <- .worker$env
  ws <- netWorkSpace(e$wsName, serverHost = e$host, port = e$port, useUse = TRUE, create = FALSE)
  user <- if (nzchar(e$userWsName))
    netWorkSpace(e$userWsName, serverHost = e$host, port = e$port, useUse = TRUE, create = FALSE)
  .worker$nws <- ws
  .worker$exported <- nwsIFindTry(ws, "exported")
  .workerGlobal("SleighRank", as.integer(rank))
  .workerGlobal("SleighWorkerCount", as.integer(count))
  .workerGlobal("SleighNws", ws)
  .workerGlobal("SleighUserNws", user)
  NULL
}

# The master's export records since the last job (SLEIGH.md §6.3).
.workerImportExports <- function() {
  rank <- get("SleighRank", envir = globalenv())
  repeat {
    r <- .worker$exported()
    if (is.null(r)) break
    if (!is.null(r$worker) && r$worker != rank) next
    if (is.null(r$wsVar)) {
      .workerGlobal(r$name, NULL)
    } else {
      v <- nwsFindTry(.worker$nws, r$wsVar, defaultVal = .worker)
      if (!identical(v, .worker)) assign(r$name, v, envir = globalenv())
    }
  }
}

# One chunk: list(payload, failed, log), or list(error = message) when
# the chunk cannot run at all (the core then fails its elements with it).
# Never signals: an R error must not unwind through the core's frames.
.workerRunChunk <- function(functionId, functionBytes, payload, meta) {
  tryCatch({
    if (!identical(meta$job, .worker$job)) {
      .worker$job <- meta$job
      .workerImportExports()
    }
    fun <- .worker$functions[[functionId]]
    if (is.null(fun)) {
      fun <- unserialize(functionBytes)
      if (length(.worker$functions) >= 16L) .worker$functions <- list()
      .worker$functions[[functionId]] <- fun
    }
    args <- unserialize(payload)
    run <- .workerCalls(fun, args, meta$tag, meta$rank)
    log <- if (length(run$errors)) sprintf("task %d: %s", as.integer(meta$tag + run$errors[[1]]),
                                            conditionMessage(run$values[[run$errors[[1]]]])) else ""
    values <- run$values
    failed <- length(run$errors)
    list(payload = serialize(values, NULL, xdr = FALSE), failed = failed, log = log)
  }, error = function(e) list(error = conditionMessage(e)))
}

# The calls of one chunk, under one handler (setting one up per element
# would cost more than a small task): an error ends the inner loop, becomes
# that element's sleighTaskError with the calls that led to it, and the
# loop goes on with the next element.
.workerCalls <- function(fun, args, tag, rank) {
  n <- length(args)
  values <- vector("list", n)
  errors <- integer()
  i <- 0L
  calls <- NULL
  while (i < n) {
    tryCatch(withCallingHandlers({
      while (i < n) {
        i <- i + 1L
        a <- args[[i]]
        # One unnamed argument (most tasks) costs a plain call; do.call
        # (quoting, so that symbols and calls arrive as themselves) costs
        # several times more.
        v <- if (length(a) == 1L && is.null(names(a))) fun(a[[1L]]) else do.call(fun, a, quote = TRUE)
        if (!is.null(v)) values[i] <- list(v)
      }
    }, error = function(e) calls <<- sys.calls()),
    error = function(e) {
      tb <- vapply(utils::tail(calls, 12L), function(cl) paste(deparse(cl, nlines = 1L), collapse = " "), "")
      values[[i]] <<- .sleighTaskError(conditionMessage(e), task = tag + i, rank = rank, call = conditionCall(e),
                                       traceback = tb)
      errors[[length(errors) + 1L]] <<- i
    })
  }
  list(values = values, errors = errors)
}
