# Trivial-task throughput of the R sleigh, for bench/sleigh/languages.sh:
# N tasks of x -> x + 1 on 2 local workers, best of --repeat runs, as an R
# closure and as the named function `inc` (sourced by the workers: the
# portable path every other language's master uses).  Prints markdown rows.
#
#   Rscript bench/sleigh/r/trivial.R [--tasks 20000] [--repeat 3]
suppressPackageStartupMessages(library(nws))
args <- commandArgs(trailingOnly = TRUE)
opt <- function(name, default) {
  at <- match(paste0("--", name), args)
  if (is.na(at)) default else as.integer(args[[at + 1L]])
}
N <- opt("tasks", 20000L)
repeats <- opt("repeat", 3L)
here <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE)[1])))
source(file.path(here, "trivial_tasks.R"))

best <- function(run) min(vapply(seq_len(repeats), function(i) system.time(run())[["elapsed"]], 0))
xs <- seq_len(N)
want <- as.list(xs + 1)
s <- sleigh(workerCount = 2L, load = file.path(here, "trivial_tasks.R"))
invisible(eachElem(s, inc, list(xs[1:100])))
invisible(eachElem(s, "inc", list(xs[1:100])))
closure <- best(function() stopifnot(identical(unlist(eachElem(s, inc, list(xs))), unlist(want))))
named <- best(function() stopifnot(identical(unlist(eachElem(s, "inc", list(xs))), unlist(want))))
stopSleigh(s)
cat(sprintf("| R sleigh (closure) | %.0f |\n| R sleigh (named, portable) | %.0f |\n", N / closure, N / named))
