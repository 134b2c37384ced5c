# A worker of docs/security.md's worked example.
#
#   Rscript worker.R HOST PORT CA USER
#
# Connects over TLS as USER (password in $WORKER_PASSWORD), fetches tasks
# from workspace `jobs` until "STOP", and stores each result into
# `results`.  The users file lets the workers fetch from `jobs` and store
# into `results`, nothing else: a store into `jobs` is refused.
suppressPackageStartupMessages(library(nws))
args <- commandArgs(trailingOnly = TRUE)
host <- args[1]; port <- as.integer(args[2]); ca <- args[3]; user <- args[4]
connect <- function(name) {
  netWorkSpace(name, host, port, useUse = TRUE, create = FALSE,
               tls = TRUE, tlsCa = ca, user = user, password = Sys.getenv("WORKER_PASSWORD"))
}
jobs <- connect("jobs")
results <- connect("results")

refused <- tryCatch({ nwsStore(jobs, "task", "not mine to give"); FALSE },
                    nwsPermissionDenied = function(e) TRUE)
if (!refused) stop("a store into jobs was allowed; the users file says it must not be")

done <- 0
repeat {
  task <- nwsFetch(jobs, "task")
  if (identical(task, "STOP")) break
  nwsStore(results, "result", list(id = task$id, y = task$x^2, by = user), portable = TRUE)
  done <- done + 1
}
cat(sprintf("%s: %d tasks\n", user, done))
nwsClose(jobs)
nwsClose(results)
