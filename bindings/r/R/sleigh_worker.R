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
  .worker$named <- list()
  .worker$job <- NULL
  .worker$loadError <- NULL
  invisible(.nws(.nws_sleigh_worker(.workerRunChunk, .workerCall, .workerJoined, paste("R", getRversion()))))
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
  .workerLoad(e$modulePath, e$load)
  NULL
}

# The sleigh's modulePath (library paths) and load (.R files sourced into
# the global environment, packages attached), before the first task, so
# that tasks named by a master of any language find their functions.  A
# failure is kept, not signalled: every task then fails with it, which the
# master sees, where a worker that died here would only never join.
.workerLoad <- function(modulePath, load) {
  split <- function(x) Filter(nzchar, strsplit(x %||% "", ":", fixed = TRUE)[[1]])
  item <- "its modulePath"
  tryCatch({
    paths <- split(modulePath)
    if (length(paths)) .libPaths(c(paths, .libPaths()))
    for (item in split(load)) {
      if (grepl("[.][Rr]$", item)) {
        source(item, local = globalenv())
      } else {
        library(item, character.only = TRUE)
      }
    }
  }, error = function(e) {
    .worker$loadError <- sprintf("this R worker could not load %s: %s", item, conditionMessage(e))
  })
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
  if (!is.null(.worker$loadError)) return(list(error = .worker$loadError))
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

# ---- portable tasks ----------------------------------------------------------
#
# One element of a job whose function a master of any language named: `name`
# is `fun` (found from the global environment, so in what load sourced or
# attached) or `pkg::fun` (an exported function of the package), resolved
# once per function id; `args` is the element's argument list, read from
# portable values (named elements are passed by name).  list(value = the
# result), or list(error = text) with the condition's class, message, call
# and the calls that led to it.  Never signals.

.workerResolve <- function(name) {
  if (grepl("::", name, fixed = TRUE)) {
    parts <- strsplit(name, "::", fixed = TRUE)[[1]]
    fun <- getExportedValue(parts[[1]], parts[[2]])
    short <- parts[[2]]
  } else {
    fun <- get0(name, envir = globalenv(), mode = "function")
    if (is.null(fun))
      stop(sprintf("no function %s on this R worker: define it in a file the sleigh's load option sources, or name its package (pkg::fun, or load = \"pkg\")",
                   sQuote(name, FALSE)), call. = FALSE)
    short <- name
  }
  if (!is.function(fun)) stop(sprintf("%s is not a function", sQuote(name, FALSE)), call. = FALSE)
  # The call is made with the function's own name, so that an error's call
  # and traceback read as the user wrote them.
  env <- new.env(parent = globalenv())
  assign(short, fun, envir = env)
  list(symbol = as.name(short), env = env)
}

.workerCall <- function(functionId, name, args, meta) {
  if (!is.null(.worker$loadError)) return(list(error = .worker$loadError))
  calls <- NULL
  tryCatch({
    f <- .worker$named[[functionId]]
    if (is.null(f)) {
      f <- .workerResolve(name)
      if (length(.worker$named) >= 16L) .worker$named <- list()
      .worker$named[[functionId]] <- f
    }
    # Portable values are data (no symbols or calls): they can sit in the
    # call as they are.
    call <- as.call(c(list(f$symbol), args))
    value <- withCallingHandlers(eval(call, f$env), error = function(e) calls <<- sys.calls())
    list(value = value)
  }, error = function(e) list(error = .workerErrorText(e, calls, name)))
}

# "simpleError in fit(row): the message", then the calls from the task's
# function down to the error, innermost last.
.workerErrorText <- function(e, calls, name) {
  cl <- conditionCall(e)
  head <- sprintf("%s%s: %s", class(e)[[1]], if (is.null(cl)) "" else paste0(" in ", paste(deparse(cl, nlines = 1L), collapse = " ")),
                  conditionMessage(e))
  if (!length(calls)) return(head)
  short <- sub("^.*::", "", name)
  starts <- which(vapply(calls, function(c) identical(c[[1]], as.name(short)), NA))
  if (!length(starts)) return(head)
  # From the task's call to the error, without the handler's own frames:
  # the last one, and R's .handleSimpleError (stop() with a message, and
  # errors of R's C code) with everything after it.
  inner <- calls[starts[[1]]:(length(calls) - 1L)]
  machinery <- which(vapply(inner, function(c) identical(c[[1]], as.name(".handleSimpleError")), NA))
  if (length(machinery)) inner <- inner[seq_len(machinery[[1]] - 1L)]
  tb <- vapply(utils::tail(inner, 8L), function(c) paste(deparse(c, nlines = 1L), collapse = " "), "")
  paste(c(head, "Traceback (innermost last):", paste0("  ", tb)), collapse = "\n")
}
