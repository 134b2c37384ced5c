# Portable jobs: a function given by its name (a string) runs as the
# workers' language names it, on workers of any language (R `fun` or
# `pkg::fun`, Python `module:function`, Java `package.Class#method`, Perl
# `Module::function`, Ruby `Module.method`).  Each task's argument list and
# each result travel as portable values (docs/values.md), so every language
# reads them; the core (src/sleigh_portable.cpp) chunks, paces and decodes.

# The function spec of `fun` when it is a name; NULL for an R function,
# which takes R's own path and so runs only on R workers.
.sleighNamed <- function(s, fun, what) {
  language <- s$language %||% "r"
  if (is.character(fun)) {
    if (length(fun) != 1L || is.na(fun) || !nzchar(fun))
      .nwsStop("invalid argument", sprintf("%s: fun must be a function or the name of one (one string)", what),
               call = sys.call(-1))
    return(.nws(.nws_sleigh_named_function(language, fun), call = sys.call(-1)))
  }
  if (language != "r")
    .nwsStop("invalid argument", sprintf(
      "%s: this sleigh's workers are %s: an R function cannot run there; give the name of a %s function as a string (%s)",
      what, language, language, .nws_sleigh_name_form(language)), call = sys.call(-1))
  NULL
}

# Another language's function takes its arguments by position: names
# would turn the argument list into a map it cannot call with.
.checkPositional <- function(language, args, what) {
  if (language != "r" && !is.null(names(args)) && any(nzchar(names(args))))
    .nwsStop("invalid argument", sprintf("%s: %s functions take their arguments by position: give them without names (%s)",
                                         what, language, paste(names(args)[nzchar(names(args))], collapse = ", ")),
             call = sys.call(-1))
}

# An element that failed on the worker, as R's own jobs give it: a
# sleighTaskError in its place, with the worker's text (its class, message
# and traceback, as the worker's language writes them).
.outcomeValue <- function(o) {
  if (isTRUE(o$ok)) return(o$value)
  .sleighTaskError(o$error, task = o$index + 1, rank = o$rank, traceback = character())
}

.putOutcomes <- function(p, outs) {
  if (!length(outs)) return(invisible())
  p$collector$put(lapply(outs, .outcomeValue), vapply(outs, p$place, numeric(1)))
}

# .drain() of a portable job: waits up to `timeout` for an outcome, then
# takes every one that has arrived.
.drainPortable <- function(p, timeout) {
  outs <- tryCatch(.nws(.nws_map_take(p$job, TRUE, timeout)), nwsTimeout = function(e) FALSE)
  if (isFALSE(outs)) return(FALSE)
  if (is.null(outs)) {
    p$done <- TRUE
    return(FALSE)
  }
  .putOutcomes(p, outs)
  TRUE
}

.portablePending <- function(job, eo, s, total, place) {
  progress <- .sleighProgress(eo$progress %||% s$options$progress, total)
  p <- .pending(job, .collector(eo$accumulator, progress, NULL), if (is.na(total)) 0 else total)
  p$portable <- TRUE
  p$place <- place
  p
}

# eachElem with a named function.  The core cuts the elements into chunks
# (eo$chunkSize, else its own rule) and, for a blocking job, holds the
# feed at eo$loadFactor chunks per worker; R hands elements over in
# batches and takes what has arrived between them (progress, accumulator).
.eachElemPortable <- function(s, ptr, spec, ea, elementFunc, by, total, fixedArgs, argPermute, eo, blocking) {
  language <- s$language %||% "r"
  chunkSize <- if (is.null(eo$chunkSize)) 0 else max(min(eo$chunkSize, .Machine$integer.max), 1)
  job <- .nws(.nws_map_each_elem(ptr, spec, if (is.na(total)) NULL else total, chunkSize,
                                 if (blocking) eo$loadFactor))
  pending <- .portablePending(job, eo, s, total, function(o) o$index + 1)
  # An elementFunc is called as the original calls it (one element at a
  # time unless chunkSize says more); element arguments go 64 at a time.
  batch <- if (is.na(total)) max(chunkSize, 1) else max(chunkSize, 64)
  added <- 0
  checked <- FALSE
  ok <- FALSE
  on.exit(if (!ok) {
    .nws_map_close(job)
    pending$collector$progress$close()
  })
  repeat {
    if (!is.na(total)) {
      n <- min(batch, total - added)
      if (n <= 0) break
      args <- .taskArgs(ea, added + seq_len(n), fixedArgs, argPermute)
      ended <- FALSE
    } else {
      g <- .generatedArgs(elementFunc, added, batch, by, fixedArgs, argPermute)
      args <- g$args
      ended <- g$ended
    }
    if (!checked && length(args)) {
      .checkPositional(language, args[[1]], "eachElem")
      checked <- TRUE
    }
    if (length(args)) .nws(.nws_map_add(job, args))
    added <- added + length(args)
    if (is.na(total)) pending$total <- added
    .putOutcomes(pending, .nws(.nws_map_take(job, FALSE, NULL)))
    if (ended || !length(args)) break
  }
  .nws(.nws_map_close(job))
  ok <- TRUE
  if (blocking) waitSleigh(pending) else pending
}

# eachWorker with a named function: one call on every worker, its result
# at the worker's rank + 1.
.eachWorkerPortable <- function(s, ptr, spec, args, eo) {
  .checkPositional(s$language %||% "r", args, "eachWorker")
  job <- .nws(.nws_map_each_worker(ptr, spec, args, s$options$joinTimeout))
  expected <- .nws_map_state(job)$added
  pending <- .portablePending(job, eo, s, expected, function(o) o$rank + 1)
  pending$size <- status(s)$numWorkers
  if (is.null(eo$blocking) || isTRUE(as.logical(eo$blocking))) waitSleigh(pending) else pending
}
