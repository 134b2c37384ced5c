# A foreach backend: registerDoNWS(s) makes foreach(...) %dopar% run its
# iterations on the sleigh, one eachElem element each.  .combine (through
# foreach's own accumulator), .export, .packages, .noexport and
# .errorhandling ('stop', 'remove', 'pass') behave as with doParallel.

registerDoNWS <- function(s) {
  if (!requireNamespace("foreach", quietly = TRUE))
    .nwsStop("invalid argument", "registerDoNWS needs the foreach package: install.packages('foreach')")
  .sleighPtr(s)
  foreach::setDoPar(.doNWS, data = s, info = .doNWSInfo)
  invisible(s)
}

.doNWSInfo <- function(data, item) {
  switch(item,
         workers = tryCatch(workerCount(data), error = function(e) NA_integer_),
         name = "doNWS",
         version = as.character(utils::packageVersion("nws")),
         NULL)
}

.doNWS <- function(obj, expr, envir, data) {
  if (!inherits(obj, "foreach")) .nwsStop("invalid argument", "doNWS: obj must be a foreach object")
  it <- iterators::iter(obj)
  accumulate <- foreach::makeAccum(it)
  argsList <- as.list(it)

  # What the expression needs from the caller's environment travels with
  # the function: what foreach finds it uses, and .export.
  exportenv <- new.env(parent = globalenv())
  foreach::getexports(expr, exportenv, envir, bad = union(obj$noexport, obj$argnames))
  for (name in obj$export) {
    if (!exists(name, envir = envir, inherits = TRUE))
      .nwsStop("invalid argument", sprintf("doNWS: unable to find variable \"%s\" to export", name))
    assign(name, get(name, envir = envir, inherits = TRUE), envir = exportenv)
  }
  packages <- obj$packages
  errorHandling <- obj$errorHandling

  # One iteration on a worker: the packages, then the expression with the
  # iteration's variables bound.  An error is the element's value, for
  # foreach's accumulator to handle by .errorhandling.
  task <- local(function(args) {
    for (p in packages) library(p, character.only = TRUE)
    env <- new.env(parent = exportenv)
    for (n in names(args)) assign(n, args[[n]], envir = env)
    tryCatch(eval(expr, envir = env), error = function(e) e)
  }, envir = list2env(list(packages = packages, exportenv = exportenv, expr = expr), parent = globalenv()))

  results <- eachElem(data, task, list(argsList), eo = list(closure = TRUE))
  tryCatch(accumulate(results, seq_along(results)), error = function(e) {
    .nwsStop("invalid argument", paste("error calling combine function:", conditionMessage(e)))
  })
  errorValue <- foreach::getErrorValue(it)
  errorIndex <- foreach::getErrorIndex(it)
  if (identical(errorHandling, "stop") && !is.null(errorValue)) {
    stop(simpleError(sprintf("task %d failed - \"%s\"", errorIndex, conditionMessage(errorValue)),
                     call = conditionCall(errorValue)))
  }
  foreach::getResult(it)
}
