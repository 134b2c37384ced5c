# Faults: a worker SIGKILLed mid-job, a master killed, a worker error.

test_that("a worker SIGKILLed mid-job: its tasks run again elsewhere, every result exactly once", {
  s <- testSleigh(3)
  user <- userNetWorkSpaceObject(s)
  victim <- workerInfo(s)[1, ]  # rank 0
  arrivals <- integer()
  # Rank 0 says it is inside a task, then stays there until it is killed;
  # its chunks must be run again by the others.
  p <- eachElem(s, function(x) {
    if (SleighRank == 0) {
      nwsStore(SleighUserNws, "rank0 running", x)
      Sys.sleep(120)
    }
    Sys.sleep(0.01)
    x * 2
  }, 1:60, eo = list(chunkSize = 2, blocking = FALSE,
                     accumulator = function(v, i) arrivals <<- c(arrivals, i)))
  nwsFind(user, "rank0 running", timeout = 60)  # rank 0 is inside a task now
  tools::pskill(victim$pid, tools::SIGKILL)
  expect_null(waitSleigh(p))
  expect_equal(sort(arrivals), 1:60)  # each once: no duplicate, none missing
  expect_true(pollUntil(function() !processAlive(victim$pid)))
  # The others carry on; eachWorker leaves the dead rank's place empty.
  expect_equal(eachElem(s, function(x) x + 1, 1:10), as.list(2:11))
  expect_equal(eachWorker(s, function() SleighRank), list(NULL, 1L, 2L))
})

test_that("a worker SIGKILLed mid-job gives correct values, in order, to a blocking eachElem", {
  s <- testSleigh(2)
  user <- userNetWorkSpaceObject(s)
  victim <- workerInfo(s)[2, ]  # rank 1
  killer <- rscript(sprintf(
    'library(nws); u <- nwsUseWs(nwsServer("127.0.0.1", %d), "%s"); invisible(nwsFind(u, "rank1 running", timeout = 60))
     invisible(tools::pskill(%d, tools::SIGKILL)); cat("killed\n")', s$port, s$userWsName, victim$pid), stdout = "|", stderr = "|")
  r <- eachElem(s, function(x) {
    if (SleighRank == 1) {
      nwsStore(SleighUserNws, "rank1 running", x)
      Sys.sleep(120)  # until the killer's SIGKILL
    }
    sqrt(x)
  }, 1:40, eo = list(chunkSize = 1))
  killer$wait(30000)
  expect_equal(killer$read_all_output_lines(), "killed")
  expect_equal(r, as.list(sqrt(1:40)))
})

# A master in its own Rscript: it starts a sleigh on the suite's server (or
# on a server it runs inside itself), prints the sleigh workspace and the
# workers' pids, and waits.
masterProcess <- function(embedded) {
  server <- if (embedded) "srv <- nwsStartServer(); h <- srv$host; p <- srv$port"
            else sprintf('h <- "127.0.0.1"; p <- %d', testServer()$port)
  rscript(sprintf(
    'library(nws); %s; s <- sleigh(nwsHost = h, nwsPort = p, workerCount = 2); invisible(status(s, timeout = 60))
     cat(s$wsName, workerInfo(s)$pid, "\n"); Sys.sleep(600)', server), stdout = "|", stderr = "|")
}

for (embedded in c(FALSE, TRUE)) {
  test_that(paste("a master SIGKILLed leaves no R worker behind within 10 s; server",
                  if (embedded) "inside the master" else "outside"), {
    m <- masterProcess(embedded)
    words <- strsplit(nextLine(m, 60), " ")[[1]]
    ws <- words[[1]]
    pids <- as.integer(words[-1])
    expect_length(pids, 2)
    expect_true(all(vapply(pids, processAlive, TRUE)))
    expect_length(sleighProcesses(ws), 2)
    tools::pskill(m$get_pid(), tools::SIGKILL)
    expect_true(pollUntil(function() !any(vapply(pids, processAlive, TRUE)), seconds = 10))
    expect_length(sleighProcesses(ws), 0)
  })
}
