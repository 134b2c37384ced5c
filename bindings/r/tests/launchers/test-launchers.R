# The R sleigh's launchers against real services, which
# scripts/test-sleigh.sh starts: an sshd on 127.0.0.1 (the node named by
# $NWS_SLEIGH_SSH_NODE, which `ssh` on PATH reaches) and a one-node SLURM
# ($SLURM_CONF).  Without them these tests fail; they never skip.

requiredEnv <- function(name) {
  v <- Sys.getenv(name)
  if (!nzchar(v)) stop(name, " is not set: run these tests through scripts/test-sleigh.sh")
  v
}

srv <- nwsStartServer()

processAlive <- function(pid) file.exists(sprintf("/proc/%d", as.integer(pid)))

waitUntil <- function(f, seconds = 10) {
  deadline <- Sys.time() + seconds
  while (!isTRUE(f()) && Sys.time() < deadline) Sys.sleep(0.05)
  isTRUE(f())
}

# Two workers on `node`: they join, compute, run eachWorker once each.
exercise <- function(s, node) {
  expect_equal(status(s, closeGroup = TRUE, timeout = 60), list(numWorkers = 2L, closed = TRUE))
  info <- workerInfo(s)
  expect_equal(info$name, paste0(node, "@", 0:1))
  expect_equal(eachElem(s, function(x) x * 2, 1:20), as.list((1:20) * 2))
  expect_equal(unlist(eachWorker(s, function() SleighRank)), 0:1)
  info$pid
}

test_that("sshcmd starts R workers through a real sshd (one node, recycled to workerCount)", {
  node <- requiredEnv("NWS_SLEIGH_SSH_NODE")
  s <- sleigh(nwsHost = srv$host, nwsPort = srv$port, launch = sshcmd, nodeList = node, workerCount = 2)
  pids <- exercise(s, node)
  stopSleigh(s)
  expect_true(waitUntil(function() !any(vapply(pids, processAlive, TRUE))))
})

test_that("sshforwardcmd: workers reach the server through a reverse tunnel", {
  node <- requiredEnv("NWS_SLEIGH_SSH_NODE")
  probe <- nwsStartServer()  # a free port, given back at once: the tunnel's remote end
  tunnel <- probe$port
  nwsStopServer(probe)
  s <- sleigh(nwsHost = srv$host, nwsPort = srv$port, launch = sshforwardcmd, nodeList = c(node, node),
              nwsPortRemote = tunnel)
  pids <- exercise(s, node)
  env <- strsplit(rawToChar(local({
    e <- readBin(sprintf("/proc/%d/environ", pids[[1]]), "raw", 1e6)
    e[e == as.raw(0)] <- as.raw(10)
    e
  })), "\n", fixed = TRUE)[[1]]
  expect_true(paste0("RSleighNwsPort=", tunnel) %in% env)
  expect_false(paste0("RSleighNwsPort=", srv$port) %in% env)
  stopSleigh(s)
  expect_true(waitUntil(function() !any(vapply(pids, processAlive, TRUE))))
})

test_that("launch = 'slurm' from outside an allocation: one sbatch job of R workers", {
  requiredEnv("SLURM_CONF")
  old <- Sys.getenv("SLURM_JOB_ID", unset = NA)
  Sys.unsetenv("SLURM_JOB_ID")
  on.exit(if (!is.na(old)) Sys.setenv(SLURM_JOB_ID = old))
  logs <- tempfile("slurm-logs")
  dir.create(logs)
  s <- sleigh(nwsHost = srv$host, nwsPort = srv$port, launch = "slurm", workerCount = 2, logDir = logs)
  expect_equal(status(s, closeGroup = TRUE, timeout = 120), list(numWorkers = 2L, closed = TRUE))
  expect_equal(eachElem(s, function(x) x + 1, 1:50), as.list(2:51))
  expect_equal(sort(workerInfo(s)$id), 0:1)  # SLURM_PROCID
  ws <- s$wsName
  stopSleigh(s)
  expect_true(waitUntil(function() !nzchar(trimws(paste(system2("squeue", c("--noheader", "--name", ws), stdout = TRUE),
                                                          collapse = "")))))
  expect_setequal(list.files(logs), c(paste0(ws, ".txt"), paste0(ws, "_000", 0:1, ".txt")))
})
