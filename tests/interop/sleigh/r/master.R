# The cross-language sleigh matrix's R master (tests/interop/sleigh):
#
#   Rscript master.R WORKER_LANG [LOAD]
#
# Opens a sleigh of 2 local WORKER_LANG workers on the server in
# $NWS_HOST/$NWS_PORT (loading LOAD when given), runs that language's
# matrix function over 20 elements (i, i + 0.5, "e<i>", c("a", "b", "c")),
# checks every result, runs it once on each worker (eachWorker) and checks
# both results, stops the sleigh and
# prints "ok r -> WORKER_LANG: 20 results" (exit 0), or "FAIL <reason>"
# (exit 1).
suppressPackageStartupMessages(library(nws))

functions <- c(python = "nws_matrix:combine", r = "combine", java = "org.networkspaces.matrix.Matrix#combine",
               perl = "NwsMatrix::combine", ruby = "NwsMatrix.combine")

fail <- function(...) {
  cat("FAIL", paste0(...), "\n")
  quit(save = "no", status = 1)
}

# The problems with result k (0-based), or none.
check <- function(v, k, lang) {
  if (inherits(v, "sleighTaskError")) return(paste("it failed:", conditionMessage(v)))
  if (!is.list(v) || is.null(names(v))) return(paste("it is not a map but", class(v)[[1]]))
  want <- c("i", "x", "label", "n", "lang")
  if (!setequal(names(v), want)) return(paste("its keys are", paste(names(v), collapse = ", ")))
  c(if (!is.integer(v$i) || length(v$i) != 1L || v$i != k + 1L) paste("i is", deparse(v$i)),
    if (!is.double(v$x) || length(v$x) != 1L || !identical(v$x, (k + 0.5) * 2)) paste("x is", deparse(v$x)),
    if (!identical(v$label, sprintf("e%d@%s", k, lang))) paste("label is", deparse(v$label)),
    if (length(v$n) != 1L || !is.numeric(v$n) || v$n != 3) paste("n is", deparse(v$n)),
    if (!identical(v$lang, lang)) paste("lang is", deparse(v$lang)))
}

main <- function() {
  args <- commandArgs(trailingOnly = TRUE)
  if (!length(args) || !(args[[1]] %in% names(functions))) fail("usage: Rscript master.R WORKER_LANG [LOAD]")
  lang <- args[[1]]
  load <- if (length(args) >= 2L && nzchar(args[[2]])) args[[2]]
  host <- Sys.getenv("NWS_HOST")
  port <- Sys.getenv("NWS_PORT")
  if (!nzchar(host) || !nzchar(port)) fail("NWS_HOST and NWS_PORT must name the server")

  n <- 20L
  i <- 0:(n - 1L)
  s <- sleigh(nwsHost = host, nwsPort = as.integer(port), launch = "local", workerCount = 2, language = lang,
              load = load)
  on.exit(stopSleigh(s))
  if (!status(s, timeout = 120)$closed) fail("the ", lang, " workers did not all join within 120 s")
  got <- eachElem(s, functions[[lang]], list(i, i + 0.5, paste0("e", i)), list(c("a", "b", "c")))
  if (length(got) != n) fail(length(got), " results, not ", n)
  for (k in i) {
    problems <- check(got[[k + 1L]], k, lang)
    if (length(problems)) fail("result ", k, ": ", paste(problems, collapse = "; "))
  }
  # Trivial tasks may all go to one worker (the core gives each chunk to
  # the least busy): eachWorker runs the function once on each, so both
  # are seen to run it.
  each <- eachWorker(s, functions[[lang]], 7L, 7.5, "e7", c("a", "b", "c"))
  if (length(each) != 2L) fail("eachWorker gave ", length(each), " results")
  for (r in seq_along(each)) {
    problems <- check(each[[r]], 7L, lang)
    if (length(problems)) fail("eachWorker, rank ", r - 1L, ": ", paste(problems, collapse = "; "))
  }
  stopSleigh(s)
  cat(sprintf("ok r -> %s: %d results\n", lang, n))
}

tryCatch(main(), error = function(e) fail(conditionMessage(e)))
