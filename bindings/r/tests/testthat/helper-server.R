# The suite's fixture: one NWS server inside this R process
# (nwsStartServer), on a free loopback port, started on first use; and the
# scripted peer of the repository's tests/support/race_peer.py for the
# tests of an interrupt that comes with a value.

testServer <- local({
  srv <- NULL
  function() {
    if (is.null(srv) || !nws:::.nws_local_running(srv$ptr)) srv <<- nwsStartServer()
    srv
  }
})

# A new connection to the suite's server.
testConnection <- function() nwsServer("127.0.0.1", testServer()$port)

# A workspace of its own (fresh name) on a new connection.
testWs <- function() {
  s <- testConnection()
  nwsOpenWs(s, nwsMktempWs(s, "r_test_%d"))
}

# Polls f() until it is TRUE or `seconds` pass; the last value of f().  For
# states another process brings about (a fetcher shows up in a listing).
pollUntil <- function(f, seconds = 10) {
  deadline <- Sys.time() + seconds
  repeat {
    ok <- isTRUE(f())
    if (ok || Sys.time() > deadline) return(ok)
    Sys.sleep(0.02)
  }
}

# An Rscript running `code` with this session's libraries; a processx
# process.
rscript <- function(code, ...) {
  processx::process$new(file.path(R.home("bin"), "Rscript"), c("-e", code),
                        env = c("current", R_LIBS = paste(.libPaths(), collapse = ":")), ...)
}

# The next line `process` writes (poll_io waits for it; no sleeping).
nextLine <- function(process, seconds = 10) {
  deadline <- Sys.time() + seconds
  repeat {
    line <- process$read_output_lines(1)
    if (length(line)) return(line)
    if (Sys.time() > deadline || !process$is_alive()) stop("no line from the process: ", process$read_all_error())
    process$poll_io(1000)
  }
}

# tests/support/race_peer.py, started for one connection: it sends SIGINT to
# this R process as soon as a blocking call's request arrives, then answers
# the withdrawal with the value first (`value`, a direct string).  Found
# through $NWS_RACE_PEER (scripts/test-r.sh sets it) or in the repository
# around these tests; without it (or python3) the race tests are skipped,
# and scripts/test-r.sh counts a skip as a failure.
racePeer <- function(value = "arrived") {
  script <- Sys.getenv("NWS_RACE_PEER")
  if (!nzchar(script)) script <- test_path("..", "..", "..", "..", "tests", "support", "race_peer.py")
  if (!file.exists(script)) skip("tests/support/race_peer.py not found: set NWS_RACE_PEER")
  python <- Sys.which("python3")
  if (!nzchar(python)) skip("python3 not found (race_peer.py needs it)")
  p <- processx::process$new(python, c(script, "--signal-pid", Sys.getpid(), "--value", value),
                             stdout = "|", stderr = "|", cleanup = TRUE)
  line <- nextLine(p)
  port <- as.integer(sub("^PORT ", "", line))
  if (is.na(port)) stop("race_peer.py said ", line)
  list(process = p, port = port)
}

# What race_peer.py printed after its PORT line, once it ended (the client
# closed the connection).
racePeerLog <- function(peer) {
  peer$process$wait(10000)
  peer$process$read_all_output_lines()
}
