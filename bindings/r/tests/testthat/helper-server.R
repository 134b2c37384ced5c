# One real nws-server for the whole suite, on a free loopback port: the
# program named by NWS_SERVER_BINARY (scripts/test-r.sh sets it), else
# nws-server on PATH.  Not finding one fails the suite; nothing is skipped.
testServer <- local({
  srv <- NULL
  function() {
    if (is.null(srv) || !srv$process$is_alive())
      srv <<- nwsStartServer(Sys.getenv("NWS_SERVER_BINARY"))
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

# Polls f() until it is TRUE or `seconds` pass; the last value of f().
pollUntil <- function(f, seconds = 5) {
  deadline <- Sys.time() + seconds
  repeat {
    ok <- isTRUE(f())
    if (ok || Sys.time() > deadline) return(ok)
    Sys.sleep(0.02)
  }
}
