# Ctrl-C on a blocked call: a background shell sends SIGINT to this R
# process 0.3 s after the call starts, noting when it did; the call must
# give control back (as an R interrupt) within half a second of that.
interruptSoon <- function() {
  stamp <- tempfile()
  system(sprintf("sh -c 'sleep 0.3; date +%%s.%%N > %s; kill -INT %d' >/dev/null 2>&1 &", stamp, Sys.getpid()))
  stamp
}

interruptedAfter <- function(stamp) {
  caught <- as.numeric(Sys.time())
  expect_true(pollUntil(function() file.exists(stamp) && length(readLines(stamp, warn = FALSE)) == 1))
  caught - as.numeric(readLines(stamp))
}

for (verb in c("nwsFetch", "nwsFind")) {
  test_that(paste("Ctrl-C interrupts a blocked", verb, "within half a second"), {
    ws <- testWs()
    call <- get(verb)
    stamp <- interruptSoon()
    result <- tryCatch(call(ws, "x", timeout = 30), interrupt = function(e) "interrupted")
    expect_equal(result, "interrupted")
    lag <- interruptedAfter(stamp)
    expect_lt(lag, 0.5)
    # The request was withdrawn, and the session goes on using the workspace.
    expect_equal(nwsListVars(ws, showDataFrame = TRUE)$NumFetchers, 0)
    expect_equal(nwsListVars(ws, showDataFrame = TRUE)$NumFinders, 0)
    # A value stored afterwards, by another connection, is not swallowed by
    # the abandoned request: the next fetcher gets it.
    other <- nwsUseWs(testConnection(), nwsWsName(ws))
    nwsStore(other, "x", "after the interrupt")
    expect_equal(nwsFetchTry(ws, "x"), "after the interrupt")
    nwsStore(ws, "y", 1)
    expect_equal(nwsFetch(ws, "y", timeout = 5), 1)
    nwsClose(ws)
    nwsClose(other)
  })
}
