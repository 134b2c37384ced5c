# The R sleigh against R's own parallel tools, 2 local workers each:
#
#   (a) 10,000 trivial tasks (x -> x + 1): tasks per second
#   (b) 1,000 tasks of about 1 ms of CPU each: wall time
#
# Peers, each called the way its users call it (its own default batching):
#   nws sleigh            eachElem(s, f, xs)                     (automatic chunks)
#   parLapply (PSOCK)     parLapply(makePSOCKcluster(2), xs, f)  (one chunk per worker)
#   mclapply (fork)       mclapply(xs, f, mc.cores = 2)          (prescheduled)
#   foreach + doParallel  foreach(x = xs) %dopar% f(x)           (on a PSOCK cluster of 2)
# Pools are started and warmed up before they are timed; each figure is the
# best of --repeat runs.  Prints one table, then the sleigh's targets.
#
#   Rscript bench/sleigh/bench.R [--repeat 3]
suppressPackageStartupMessages({
  library(nws)
  library(parallel)
  library(foreach)
  library(doParallel)
})

args <- commandArgs(trailingOnly = TRUE)
repeats <- if ("--repeat" %in% args) as.integer(args[[match("--repeat", args) + 1L]]) else 3L
N_TRIVIAL <- 10000L
N_CPU <- 1000L
WORKERS <- 2L

inc <- function(x) x + 1

# A fixed amount of arithmetic that takes about 1 ms here: the same work
# for every peer, however loaded the machine is while they run.  Calibrated
# on 200 warm runs, twice (the second corrects the first's estimate).
work <- compiler::cmpfun(function(k) sum(sqrt(seq_len(k))))
perRun <- function(k) {
  work(k)
  system.time(for (i in 1:200) work(k))[["elapsed"]] / 200
}
K <- 50000L
for (step in 1:2) K <- as.integer(K * 0.001 / max(perRun(K), 1e-6))
spin <- function(x) {
  sum(sqrt(seq_len(K)))
  x
}
environment(spin) <- list2env(list(K = K), parent = globalenv())
spin(0)
taskMs <- system.time(for (i in 1:500) spin(i))[["elapsed"]] / 500 * 1000

best <- function(f) min(replicate(repeats, system.time(f())[["elapsed"]]))

peers <- list(
  "nws sleigh" = function() {
    srv <- nwsStartServer()
    s <- sleigh(nwsHost = srv$host, nwsPort = srv$port, workerCount = WORKERS)
    status(s, timeout = 60)
    eachWorker(s, function() NULL)
    list(run = function(f, xs) eachElem(s, f, xs),
         stop = function() { stopSleigh(s); nwsStopServer(srv) })
  },
  "parLapply (PSOCK)" = function() {
    cl <- makePSOCKcluster(WORKERS)
    clusterEvalQ(cl, NULL)
    list(run = function(f, xs) parLapply(cl, xs, f), stop = function() stopCluster(cl))
  },
  "mclapply (fork)" = function() {
    list(run = function(f, xs) mclapply(xs, f, mc.cores = WORKERS), stop = function() NULL)
  },
  "foreach + doParallel" = function() {
    cl <- makePSOCKcluster(WORKERS)
    registerDoParallel(cl)
    foreach(i = 1:2) %dopar% i
    list(run = function(f, xs) foreach(x = xs) %dopar% f(x),
         stop = function() { stopCluster(cl); registerDoSEQ() })
  }
)

rows <- list()
for (name in names(peers)) {
  p <- peers[[name]]()
  trivial <- best(function() stopifnot(length(p$run(inc, seq_len(N_TRIVIAL))) == N_TRIVIAL))
  cpu <- best(function() stopifnot(length(p$run(spin, seq_len(N_CPU))) == N_CPU))
  p$stop()
  rows[[name]] <- c(trivial = N_TRIVIAL / trivial, cpu = cpu)
  cat(sprintf("  %-22s done\n", name), file = stderr())
}

cat(sprintf("\nR %s, %d workers, best of %d; the 1 ms task: %d square roots, %.2f ms measured here\n\n",
            getRversion(), WORKERS, repeats, K, taskMs))
cat("| peer | (a) 10k trivial: tasks/s | (b) 1000 x 1 ms CPU: s |\n|---|---:|---:|\n")
for (name in names(rows)) cat(sprintf("| %s | %.0f | %.3f |\n", name, rows[[name]][["trivial"]], rows[[name]][["cpu"]]))

target <- function(ok, text) cat(sprintf("    %-6s %s\n", if (ok) "met" else "MISSED", text))
s <- rows[["nws sleigh"]]
pl <- rows[["parLapply (PSOCK)"]]
mc <- rows[["mclapply (fork)"]]
cat("\n")
target(s[["trivial"]] >= pl[["trivial"]],
       sprintf("(a) >= parLapply's tasks/s: %.0f vs %.0f (%.2fx)", s[["trivial"]], pl[["trivial"]], s[["trivial"]] / pl[["trivial"]]))
target(s[["cpu"]] <= 1.15 * mc[["cpu"]],
       sprintf("(b) <= 1.15x mclapply's wall time: %.3f s vs %.3f s (%.2fx)", s[["cpu"]], mc[["cpu"]], s[["cpu"]] / mc[["cpu"]]))
