# The sleigh tests' fixtures: one sleigh of two R workers on the suite's
# server, shared by the tests that only use it (started on first use; its
# finalizer stops it when R exits), and the process table.

sharedSleigh <- local({
  s <- NULL
  function() {
    if (is.null(s) || is.null(s$ptr) || isTRUE(nws:::.nws_sleigh_info(s$ptr)$stopped)) {
      s <<- sleigh(nwsHost = "127.0.0.1", nwsPort = testServer()$port, workerCount = 2)
      if (!status(s, closeGroup = FALSE, timeout = 60)$closed) stop("the shared sleigh's workers did not join within 60 s")
    }
    s
  }
})

# A new sleigh of `n` workers for one test, stopped when the test ends.
testSleigh <- function(n = 2, env = parent.frame(), ...) {
  s <- sleigh(nwsHost = "127.0.0.1", nwsPort = testServer()$port, workerCount = n, ...)
  withr::defer(stopSleigh(s), envir = env)
  st <- status(s, closeGroup = FALSE, timeout = 60)
  if (!st$closed) stop("the test sleigh's workers did not all join within 60 s")
  s
}

# Whether process `pid` exists (and is not a zombie).
processAlive <- function(pid) {
  f <- sprintf("/proc/%d/stat", as.integer(pid))
  if (!file.exists(f)) return(FALSE)
  st <- tryCatch(suppressWarnings(readLines(f, warn = FALSE)), error = function(e) "")
  length(st) > 0 && !grepl("^[0-9]+ \\(.*\\) Z ", st[[1]])
}

# The processes whose environment names the sleigh workspace `ws`: its
# workers, wherever they came from.
sleighProcesses <- function(ws) {
  pids <- as.integer(basename(Sys.glob("/proc/[0-9]*")))
  needle <- paste0("RSleighNwsName=", ws)
  Filter(function(p) {
    # A process may end while we look.  (Muffled, not caught: a warning
    # caught by tryCatch would leave the half-opened connection behind.)
    env <- tryCatch(suppressWarnings(readBin(sprintf("/proc/%d/environ", p), "raw", 1e6)), error = function(e) raw())
    env[env == as.raw(0)] <- as.raw(10)
    length(env) > 0 && needle %in% strsplit(rawToChar(env), "\n", fixed = TRUE)[[1]]
  }, pids)
}
