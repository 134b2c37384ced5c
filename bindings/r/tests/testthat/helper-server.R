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

# ---- nws-server as a process of its own ----------------------------------
# The security tests (test-security.R) need what the server inside R does
# not do: TLS, users, tokens.  They start the nws-server program with extra
# flags, each test its own servers, stopped when the test ends.

# The nws-server program: $NWS_SERVER_BINARY (scripts/test-r.sh sets it),
# else the repository's build/core/nws-server around these tests, else one
# on the PATH; without any the test is skipped (test-r.sh fails on a skip).
serverBinary <- function() {
  b <- Sys.getenv("NWS_SERVER_BINARY")
  if (!nzchar(b)) b <- test_path("..", "..", "..", "..", "build", "core", "nws-server")
  if (!file.exists(b)) b <- Sys.which("nws-server")
  if (!nzchar(b) || !file.exists(b)) skip("no nws-server program: set NWS_SERVER_BINARY")
  normalizePath(b)
}

# nws-server on a free loopback port with the extra flags `...`:
# list(process, host, port).  No web interface (its fixed default port
# would clash between servers).  Stopped when the calling test ends.
serverProcess <- function(..., env = parent.frame()) {
  args <- c("--bind", "127.0.0.1", "--port", "0", "--no-web", "--log-level", "warn", ...)
  log <- tempfile("nws-server-", fileext = ".log")
  p <- processx::process$new(serverBinary(), args, stdin = NULL, stdout = "|", stderr = log, cleanup = TRUE)
  withr::defer(if (p$is_alive()) {
    p$signal(tools::SIGTERM)
    p$wait(5000)
    if (p$is_alive()) p$kill()
  }, envir = env)
  # Its first line says where it listens ("nws-server listening on
  # 127.0.0.1:PORT"); nextLine() waits for it, or for the process's end.
  line <- tryCatch(nextLine(p), error = function(e) stop("nws-server did not start: ", paste(readLines(log), collapse = "\n")))
  m <- regmatches(line, regexec("^nws-server listening on (\\S+):([0-9]+)$", line))[[1]]
  if (length(m) != 3L) stop("nws-server did not start: it said ", line)
  list(process = p, host = m[[2]], port = as.integer(m[[3]]))
}

# The SCRAM-SHA-256 secret of `password` for a users file (nws-server
# --hash-password reads the password on stdin).
hashPassword <- function(password) {
  out <- system2(serverBinary(), "--hash-password", input = password, stdout = TRUE, stderr = FALSE)
  if (!is.null(attr(out, "status")) || length(out) != 1L || !startsWith(out, "SCRAM-SHA-256$"))
    stop("nws-server --hash-password failed: ", paste(out, collapse = "\n"))
  out
}

# A users file: `users` a named character vector of passwords (name: the
# user), then the lines `rules` (group and allow lines).
usersFile <- function(users, rules = character()) {
  f <- tempfile("nws-users-", fileext = ".txt")
  writeLines(c("# made by the R tests", sprintf("user %s %s", names(users), vapply(users, hashPassword, "")), rules), f)
  f
}

# A file whose first line is `text` (a token file).
lineFile <- function(text) {
  f <- tempfile("nws-token-")
  writeLines(text, f)
  f
}

# The test certificates of the repository's scripts/make-test-certs.sh,
# made once per R session into a temporary directory: a function giving
# the path of one of them (certs("ca.pem")).  The script is found through
# $NWS_MAKE_TEST_CERTS, in the repository around these tests, or beside
# the nws-server program of a repository build (build/core/nws-server);
# without it the test is skipped (a failure for test-r.sh).
testCerts <- local({
  dir <- NULL
  function() {
    if (is.null(dir)) {
      candidates <- c(Sys.getenv("NWS_MAKE_TEST_CERTS"),
                      test_path("..", "..", "..", "..", "scripts", "make-test-certs.sh"),
                      file.path(dirname(dirname(dirname(serverBinary()))), "scripts", "make-test-certs.sh"))
      script <- Filter(function(f) nzchar(f) && file.exists(f), candidates)
      if (!length(script)) skip("scripts/make-test-certs.sh not found: set NWS_MAKE_TEST_CERTS")
      d <- tempfile("nws-certs-")
      out <- system2("bash", c(shQuote(script[[1]]), shQuote(d)), stdout = TRUE, stderr = TRUE)
      if (!is.null(attr(out, "status")) || !file.exists(file.path(d, "ca.pem")))
        stop("make-test-certs.sh failed: ", paste(out, collapse = "\n"))
      dir <<- d
    }
    function(name) {
      f <- file.path(dir, name)
      if (!file.exists(f)) stop("no test certificate ", name)
      f
    }
  }
})

# No TLS or credentials from the environment for the rest of the calling
# test (the core's fallbacks would otherwise change what it shows).
noSecurityEnvironment <- function(env = parent.frame()) {
  vars <- c("NWS_TLS", "NWS_TLS_CA", "NWS_TLS_CERT", "NWS_TLS_KEY", "NWS_USER", "NWS_PASSWORD", "NWS_TOKEN")
  withr::local_envvar(stats::setNames(rep(NA_character_, length(vars)), vars), .local_envir = env)
}
