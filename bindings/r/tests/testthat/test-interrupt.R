# Ctrl-C on a blocked call.

# A watcher process that sends SIGINT to this R process once the server
# lists it blocked on `var` in `ws` (a fetcher or a finder), and prints
# when it did.
interruptWhenBlocked <- function(ws, var) {
  rscript(sprintf(
    'library(nws); ws <- nwsUseWs(nwsServer("127.0.0.1", %d), "%s")
     repeat { d <- nwsListVars(ws, showDataFrame = TRUE)
              if (any(d$Variable == "%s" & d$NumFetchers + d$NumFinders == 1)) break; Sys.sleep(0.01) }
     tools::pskill(%d, tools::SIGINT); cat(sprintf("%%.6f\\n", as.numeric(Sys.time())))',
    testServer()$port, nwsWsName(ws), var, Sys.getpid()), stdout = "|", stderr = "|")
}

for (verb in c("nwsFetch", "nwsFind")) {
  test_that(paste("Ctrl-C interrupts a blocked", verb, "within half a second, as an R interrupt"), {
    ws <- testWs()
    call <- get(verb)
    watcher <- interruptWhenBlocked(ws, "x")
    result <- tryCatch(call(ws, "x", timeout = 60), interrupt = identity)
    caught <- as.numeric(Sys.time())
    expect_s3_class(result, c("nwsCancelled", "interrupt", "condition"), exact = TRUE)
    expect_false(result$arrived)
    expect_null(result$value)
    watcher$wait(10000)
    sent <- as.numeric(watcher$read_all_output())
    expect_lt(caught - sent, 0.5)
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

test_that("an interrupt nobody handles stops a script, as R's own interrupt does", {
  ws <- testWs()
  script <- rscript(sprintf(
    'library(nws); ws <- nwsUseWs(nwsServer("127.0.0.1", %d), "%s"); cat("blocking\\n")
     nwsFetch(ws, "never")
     cat("went on\\n")', testServer()$port, nwsWsName(ws)), stdout = "|", stderr = "|")
  expect_equal(nextLine(script), "blocking")
  expect_true(pollUntil(function() {
    d <- nwsListVars(ws, showDataFrame = TRUE)
    any(d$Variable == "never" & d$NumFetchers == 1)
  }))
  script$interrupt()
  script$wait(10000)
  expect_false(script$is_alive())
  expect_false(identical(script$get_exit_status(), 0L))
  expect_false("went on" %in% script$read_all_output_lines())
  nwsClose(ws)
})

# The race: the value is sent just as the interrupt comes (race_peer.py
# sends SIGINT to this process when the blocking request arrives and
# answers the withdrawal with the value first).  Neither may be lost.
expectBoth <- function(peer, got, value = "arrived") {
  expect_s3_class(got, c("nwsCancelled", "interrupt", "condition"), exact = TRUE)
  expect_true(got$arrived)
  expect_identical(got$value, value)
  expect_identical(got$kind, "cancelled")
}

raceWs <- function(peer) netWorkSpace("race", "127.0.0.1", peer$port)

for (verb in c("nwsFetch", "nwsFind")) {
  test_that(paste("an interrupted", verb, "whose value had arrived keeps both"), {
    peer <- racePeer()
    ws <- raceWs(peer)
    got <- tryCatch(get(verb)(ws, "x"), interrupt = identity)
    expectBoth(peer, got)
    # The connection is still in step: the peer answers "no value".
    expect_identical(nwsFetchTry(ws, "x", "none"), "none")
    nwsClose(ws)
    expect_identical(racePeerLog(peer), c("BLOCKED", "CANCELLED"))
  })
}

for (verb in c("nwsIFetch", "nwsIFind")) {
  test_that(paste("an interrupted", verb, "step whose value had arrived keeps both"), {
    peer <- racePeer("step value")
    ws <- raceWs(peer)
    it <- get(verb)(ws, "x")
    got <- tryCatch(it(), interrupt = identity)
    expectBoth(peer, got, "step value")
    nwsClose(ws)
    expect_identical(racePeerLog(peer), c("BLOCKED", "CANCELLED"))
  })
}

for (verb in c("nwsFetchFile", "nwsFindFile")) {
  test_that(paste("an interrupted", verb, "whose value had arrived writes the file and keeps the interrupt"), {
    peer <- racePeer("file content")
    ws <- raceWs(peer)
    out <- tempfile()
    got <- tryCatch(get(verb)(ws, "x", out), interrupt = identity)
    expectBoth(peer, got, TRUE)
    expect_identical(readLines(out, warn = FALSE), "file content")
    nwsClose(ws)
    expect_identical(racePeerLog(peer), c("BLOCKED", "CANCELLED"))
  })
}

test_that("a calling handler sees the value too, and the interrupt still ends the call", {
  peer <- racePeer()
  ws <- raceWs(peer)
  seen <- NULL
  after <- FALSE
  tryCatch(withCallingHandlers({
    nwsFetch(ws, "x")
    after <- TRUE
  }, interrupt = function(e) seen <<- e$value), interrupt = function(e) NULL)
  expect_identical(seen, "arrived")
  expect_false(after)
  nwsClose(ws)
  racePeerLog(peer)
})
