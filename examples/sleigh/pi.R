# Monte Carlo pi on a sleigh: each task throws darts at the unit square and
# counts those inside the quarter circle; the master adds the counts.  The
# same program as pi.py, in R.
#
#     Rscript examples/sleigh/pi.R [--workers N] [--tasks T] [--darts D]
#
# Runs on a local sleigh (one worker per core unless --workers), against the
# server named by $NWS_HOST/$NWS_PORT, or one it starts inside itself if
# there is none.  Prints the estimate and exits non-zero if it is not within
# five standard errors of pi, so a test can run it.
library(nws)

option <- function(name, default) {
  args <- commandArgs(trailingOnly = TRUE)
  at <- match(paste0("--", name), args)
  if (is.na(at)) default else as.integer(args[[at + 1L]])
}
workers <- option("workers", NULL)
tasks <- option("tasks", 200L)
dartsPerTask <- option("darts", 20000L)

# How many of n random points of the unit square fall in the quarter circle.
darts <- function(seed, n) {
  set.seed(seed)
  x <- runif(n)
  y <- runif(n)
  sum(x * x + y * y <= 1)
}

start <- Sys.time()
s <- sleigh(workerCount = workers)
# One task per seed; the dart count is the same for every task (fixedArgs).
counts <- unlist(eachElem(s, darts, list(seq_len(tasks)), list(dartsPerTask)))
used <- status(s)$numWorkers
stopSleigh(s)

total <- tasks * dartsPerTask
p <- sum(counts) / total
estimate <- 4 * p
error <- 4 * sqrt(p * (1 - p) / total)
cat(sprintf("pi ~ %.5f (+/- %.5f) from %d darts on %d workers in %.2f s\n",
            estimate, error, total, used, as.numeric(Sys.time() - start, units = "secs")))
quit(status = if (abs(estimate - pi) < 5 * error) 0 else 1)
