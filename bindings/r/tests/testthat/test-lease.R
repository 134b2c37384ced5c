# Leased fetch (reliable consume): nwsLease and its settlements, and the
# nwsWithLease idiom.

test_that("a leased value is acknowledged: gone for good", {
  ws <- testWs()
  other <- nwsUseWs(testConnection(), nwsWsName(ws))
  nwsStore(ws, "task", "a")
  l <- nwsLease(ws, "task")
  expect_s3_class(l, "nwsLease")
  expect_identical(l$variable, "task")
  expect_identical(nwsLeaseValue(l), "a")
  expect_false(nwsLeaseSettled(l))
  expect_output(print(l), "^<nwsLease [0-9]+ of variable 'task' in workspace '.*', unsettled>$")
  # Leased, the value is out of its variable: nobody else gets it.
  expect_null(nwsFetchTry(other, "task"))
  expect_null(nwsAck(l))
  expect_true(nwsLeaseSettled(l))
  expect_output(print(l), ", settled>$")
  expect_null(nwsFetchTry(ws, "task"))
  expect_null(nwsFetchTry(other, "task"))
  # The value stays readable; settling twice is a mistake.
  expect_identical(nwsLeaseValue(l), "a")
  expect_error(nwsAck(l), "settled already", class = "nwsInvalidArgument")
  expect_error(nwsRelease(l), "settled already", class = "nwsInvalidArgument")
  expect_error(nwsAckStore(l, "out", 1), "settled already", class = "nwsInvalidArgument")
  expect_null(nwsFetchTry(ws, "out"))
  nwsClose(ws)
  nwsClose(other)
})

test_that("a released value goes back to the head of its variable (fifo and lifo)", {
  ws <- testWs()
  for (i in 1:3) nwsStore(ws, "f", i)
  l <- nwsLease(ws, "f")
  expect_identical(nwsLeaseValue(l), 1L)
  expect_null(nwsRelease(l))
  expect_true(nwsLeaseSettled(l))
  expect_identical(c(nwsFetch(ws, "f"), nwsFetch(ws, "f"), nwsFetch(ws, "f")), 1:3)
  expect_null(nwsFetchTry(ws, "f"))

  nwsDeclare(ws, "l", "lifo")
  for (i in 1:3) nwsStore(ws, "l", i)
  l <- nwsLease(ws, "l")
  expect_identical(nwsLeaseValue(l), 3L)
  nwsRelease(l)
  expect_identical(nwsFetch(ws, "l"), 3L)
  expect_identical(nwsFetch(ws, "l"), 2L)
  nwsClose(ws)
})

test_that("nwsLeaseTry: NULL on an empty variable, else a lease", {
  ws <- testWs()
  expect_null(nwsLeaseTry(ws, "empty"))
  expect_null(nwsLeaseTry(ws, "empty", duration = 1))
  nwsStore(ws, "empty", 42L)
  l <- nwsLeaseTry(ws, "empty")
  expect_s3_class(l, "nwsLease")
  expect_identical(nwsLeaseValue(l), 42L)
  expect_null(nwsLeaseTry(ws, "empty"))
  nwsAck(l)
  expect_null(nwsFetchTry(ws, "empty"))
  nwsClose(ws)
})

test_that("a blocking nwsLease waits for a value, or for its timeout", {
  ws <- testWs()
  expect_error(nwsLease(ws, "late", timeout = 0.2), class = "nwsTimeout")
  script <- sprintf(
    'library(nws); ws <- nwsUseWs(nwsServer("127.0.0.1", %d), "%s")
     repeat { d <- nwsListVars(ws, showDataFrame = TRUE)
              if (any(d$Variable == "late" & d$NumFetchers == 1)) break; Sys.sleep(0.02) }
     nwsStore(ws, "late", "arrived")', testServer()$port, nwsWsName(ws))
  p <- rscript(script)
  l <- nwsLease(ws, "late", timeout = 20)
  expect_identical(nwsLeaseValue(l), "arrived")
  nwsAck(l)
  p$wait(10000)
  expect_equal(p$get_exit_status(), 0)
  expect_null(nwsFetchTry(ws, "late"))
  nwsClose(ws)
})

test_that("the value converts as nwsFetch converts it", {
  ws <- testWs()
  values <- list("text \u00e9", as.raw(0:5), list(a = 1, b = "x"), 1:10, factor(c("lo", "hi")),
                 data.frame(n = 1:2, s = c("u", "v"), stringsAsFactors = FALSE))
  for (portable in c(FALSE, TRUE)) {
    for (v in values) {
      # Two copies: one fetched, one leased.
      nwsStore(ws, "v", v, portable = portable)
      nwsStore(ws, "v", v, portable = portable)
      fetched <- nwsFetch(ws, "v")
      l <- nwsLease(ws, "v")
      expect_identical(nwsLeaseValue(l), fetched)
      nwsAck(l)
    }
  }
  # A portable factor is its labels; R's own serialisation keeps the factor.
  # Each lease acknowledged: one left to the garbage collector could be
  # released (its value back at the head) before the next lease is taken.
  nwsStore(ws, "v", factor("a"), portable = TRUE)
  l <- nwsLease(ws, "v")
  expect_identical(nwsLeaseValue(l), "a")
  nwsAck(l)
  nwsStore(ws, "v", factor("a"))
  l <- nwsLease(ws, "v")
  expect_identical(nwsLeaseValue(l), factor("a"))
  nwsAck(l)
  nwsClose(ws)
})

test_that("nwsAckStore stores the result and acknowledges in one step", {
  ws <- testWs()
  nwsStore(ws, "task", 5)
  l <- nwsLease(ws, "task")
  expect_null(nwsAckStore(l, "result", nwsLeaseValue(l)^2))
  expect_true(nwsLeaseSettled(l))
  expect_identical(nwsFetch(ws, "result", timeout = 5), 25)
  expect_null(nwsFetchTry(ws, "task"))
  expect_error(nwsAck(l), class = "nwsInvalidArgument")
  nwsClose(ws)
})

test_that("nwsAckStore serialises as nwsStore does, portable option included", {
  ws <- testWs()
  f <- factor(c("lo", "hi"))
  for (i in 1:4) nwsStore(ws, "task", i)
  nwsAckStore(nwsLease(ws, "task"), "out", f)                     # R's own: the factor
  nwsAckStore(nwsLease(ws, "task"), "out", f, portable = TRUE)    # portable: its labels
  nwsAckStore(nwsLease(ws, "task"), "out", "plain", portable = TRUE)
  expect_identical(nwsFetch(ws, "out"), f)
  expect_identical(nwsFetch(ws, "out"), c("lo", "hi"))
  expect_identical(nwsFetch(ws, "out"), "plain")
  # A value R cannot write portably stores nothing and leaves the lease held.
  l <- nwsLease(ws, "task")
  expect_error(nwsAckStore(l, "out", matrix(1:4, 2), portable = TRUE), class = "nwsSerialisation")
  expect_false(nwsLeaseSettled(l))
  expect_error(nwsAckStore(l, "out", 1, portable = NA), class = "nwsInvalidArgument")
  expect_null(nwsFetchTry(ws, "out"))
  nwsAck(l)
  expect_null(nwsFetchTry(ws, "task"))
  # The workspace object's default applies.
  pws <- nwsUseWs(nwsServerObject(ws), nwsWsName(ws), portable = TRUE)
  nwsStore(pws, "task", 1)
  nwsAckStore(nwsLease(pws, "task"), "out", f)
  expect_identical(nwsFetch(ws, "out"), c("lo", "hi"))
  nwsClose(ws)
})

test_that("an expired lease's value goes to the next fetcher; its ack raises nwsLeaseLost", {
  ws <- testWs()
  other <- nwsUseWs(testConnection(), nwsWsName(ws))
  nwsStore(ws, "job", "j1")
  l <- nwsLease(ws, "job", duration = 0.2)
  # Another connection's blocking fetch gets it once the lease ends.
  expect_identical(nwsFetch(other, "job", timeout = 20), "j1")
  err <- expect_error(nwsAck(l), "expired", class = "nwsLeaseLost")
  expect_s3_class(err, c("nwsLeaseLost", "nwsOperation", "nwsError", "error", "condition"), exact = TRUE)
  expect_identical(err$kind, "lease lost")
  expect_true(nwsLeaseSettled(l))
  expect_null(nwsFetchTry(ws, "job"))
  nwsClose(ws)
  nwsClose(other)
})

test_that("nwsRenew extends a lease; renewing a lost one raises nwsLeaseLost", {
  ws <- testWs()
  other <- nwsUseWs(testConnection(), nwsWsName(ws))
  nwsStore(ws, "job", "j1")
  l <- nwsLease(ws, "job", duration = 2)
  expect_null(nwsRenew(l, 60))
  expect_false(nwsLeaseSettled(l))
  # Past the first 2 s, the value is still leased.
  expect_error(nwsFetch(other, "job", timeout = 2.5), class = "nwsTimeout")
  nwsAck(l)
  expect_null(nwsFetchTry(other, "job"))

  nwsStore(ws, "job", "j2")
  l <- nwsLease(ws, "job", duration = 0.2)
  expect_identical(nwsFetch(other, "job", timeout = 20), "j2")
  expect_error(nwsRenew(l, 10), "expired", class = "nwsLeaseLost")
  nwsClose(ws)
  nwsClose(other)
})

test_that("closing the holder's connection gives the value back", {
  ws <- testWs()
  other <- nwsUseWs(testConnection(), nwsWsName(ws))
  holder <- nwsUseWs(testConnection(), nwsWsName(ws))
  nwsStore(ws, "task", "t1")
  l <- nwsLease(holder, "task")
  expect_null(nwsFetchTry(other, "task"))
  nwsClose(holder)
  expect_identical(nwsFetch(other, "task", timeout = 20), "t1")
  expect_error(nwsAck(l), class = "nwsClosed")
  nwsClose(ws)
  nwsClose(other)
})

test_that("a holder killed while holding the lease loses it to the next fetcher, once", {
  ws <- testWs()
  nwsStore(ws, "task", "t1")
  holder <- rscript(sprintf(
    'library(nws); ws <- nwsUseWs(nwsServer("127.0.0.1", %d), "%s")
     l <- nwsLease(ws, "task", duration = 300)
     cat("LEASED", nwsLeaseValue(l), "\\n"); flush(stdout())
     Sys.sleep(600)', testServer()$port, nwsWsName(ws)), stdout = "|", stderr = "|")
  on.exit(holder$kill(), add = TRUE)
  expect_equal(trimws(nextLine(holder, 30)), "LEASED t1")
  expect_null(nwsFetchTry(ws, "task"))
  holder$kill()  # SIGKILL: no chance to release
  holder$wait(10000)
  expect_false(holder$is_alive())
  expect_identical(nwsFetch(ws, "task", timeout = 20), "t1")
  expect_null(nwsFetchTry(ws, "task"))
  nwsStore(ws, "task", "t2")
  expect_identical(nwsFetchTry(ws, "task"), "t2")
  nwsClose(ws)
})

test_that("a lease R collects unsettled releases its value", {
  ws <- testWs()
  nwsStore(ws, "task", "t1")
  nwsStore(ws, "task", "t2")
  local({
    l <- nwsLease(ws, "task")
    expect_identical(nwsLeaseValue(l), "t1")
  })
  invisible(gc())
  expect_identical(nwsFetchTry(ws, "task"), "t1")
  expect_identical(nwsFetchTry(ws, "task"), "t2")
  nwsClose(ws)
})

test_that("nwsWithLease acknowledges when fun returns and gives fun's result", {
  ws <- testWs()
  nwsStore(ws, "task", 4)
  nwsStore(ws, "task", 5)
  expect_identical(nwsWithLease(ws, "task", function(v) v * 10), 40)
  expect_identical(nwsWithLease(ws, "task", sqrt), sqrt(5))
  expect_null(nwsFetchTry(ws, "task"))
  # A function's name works, as for lapply; a second argument with a
  # default (round's digits) is not given the lease.
  nwsStore(ws, "task", 2.4)
  expect_identical(nwsWithLease(ws, "task", "round"), 2)
  nwsStore(ws, "task", 2.4)
  expect_identical(nwsWithLease(ws, "task", function(x, digits = 1) round(x, digits)), 2.4)
  nwsStore(ws, "task", 1)
  expect_identical(nwsWithLease(ws, "task", function(x, ...) list(...)), list())
  expect_null(nwsFetchTry(ws, "task"))
  nwsClose(ws)
})

test_that("nwsWithLease releases the value when fun raises, and the error goes on", {
  ws <- testWs()
  for (i in 1:2) nwsStore(ws, "task", i)
  custom <- structure(class = c("myError", "error", "condition"), list(message = "boom", call = NULL))
  expect_error(nwsWithLease(ws, "task", function(v) stop(custom)), "boom", class = "myError")
  # Back at the head, in order.
  expect_identical(nwsFetch(ws, "task"), 1L)
  expect_identical(nwsFetch(ws, "task"), 2L)
  # A value R cannot read (another language's) is released too, for a
  # reader that can; nwsLeaseValue raises, as nwsFetch does.
  nws:::.nws_store(ws$ptr, "task", 200 * 2^nws:::.nwsDescriptor$language_shift, raw(1))
  called <- FALSE
  expect_error(nwsWithLease(ws, "task", function(v) called <<- TRUE), "language 200", class = "nwsSerialisation")
  expect_false(called)
  l <- nwsLeaseTry(ws, "task")
  expect_error(nwsLeaseValue(l), "variable 'task'", class = "nwsSerialisation")
  expect_false(nwsLeaseSettled(l))
  nwsAck(l)
  expect_null(nwsFetchTry(ws, "task"))
  nwsClose(ws)
})

test_that("fun reaches the lease: a second argument, or one named lease", {
  ws <- testWs()
  nwsStore(ws, "task", 3)
  got <- nwsWithLease(ws, "task", function(v, l) {
    expect_s3_class(l, "nwsLease")
    nwsAckStore(l, "result", v + 1)
    "stored"
  })
  expect_identical(got, "stored")
  expect_identical(nwsFetch(ws, "result"), 4)
  expect_null(nwsFetchTry(ws, "task"))
  # Settled by fun, then an error: nothing more is done (no release).
  nwsStore(ws, "task", 6)
  expect_error(nwsWithLease(ws, "task", function(v, ..., lease) {
    nwsAckStore(lease, "result", v * 2)
    stop("after the store")
  }), "after the store")
  expect_identical(nwsFetch(ws, "result"), 12)
  expect_null(nwsFetchTry(ws, "task"))
  # Released by fun: back at the head, and no second settlement.
  nwsStore(ws, "task", 7)
  expect_null(nwsWithLease(ws, "task", function(v, lease) { nwsRelease(lease); NULL }))
  expect_identical(nwsFetchTry(ws, "task"), 7)
  # Renewed by fun: still acknowledged when fun returns.
  nwsStore(ws, "task", 8)
  expect_identical(nwsWithLease(ws, "task", duration = 2, function(v, lease) { nwsRenew(lease, 60); v }), 8)
  expect_null(nwsFetchTry(ws, "task"))
  nwsClose(ws)
})

test_that("nwsWithLease raises fun's lost lease: an ack after expiry", {
  ws <- testWs()
  other <- nwsUseWs(testConnection(), nwsWsName(ws))
  nwsStore(ws, "task", "slow")
  expect_error(nwsWithLease(ws, "task", duration = 0.2, function(v) {
    # The lease expires while fun works: the value goes to another fetcher.
    expect_identical(nwsFetch(other, "task", timeout = 20), "slow")
    "done"
  }), "expired", class = "nwsLeaseLost")
  expect_null(nwsFetchTry(ws, "task"))
  # A timeout: no lease, fun not called.
  called <- FALSE
  expect_error(nwsWithLease(ws, "task", function(v) called <<- TRUE, timeout = 0.1), class = "nwsTimeout")
  expect_false(called)
  nwsClose(ws)
  nwsClose(other)
})

test_that("bad arguments raise nwsInvalidArgument before anything is leased", {
  ws <- testWs()
  nwsStore(ws, "task", 1)
  for (d in list(0, -1, -0.5, NA, NaN, Inf, "60", c(1, 2), TRUE, list(1)))
    expect_error(nwsLeaseTry(ws, "task", duration = d), class = "nwsInvalidArgument")
  expect_error(nwsLease(ws, "task", duration = 0), "from 1 ms", class = "nwsInvalidArgument")
  expect_error(nwsLease(ws, "task", duration = -5), class = "nwsInvalidArgument")
  expect_error(nwsLease(ws, "task", duration = 3e6), "24 days", class = "nwsInvalidArgument")
  expect_error(nwsLease(ws, "task", timeout = -1), class = "nwsInvalidArgument")
  expect_error(nwsLease(ws, NULL), class = "nwsInvalidArgument")
  expect_error(nwsLease(ws, NA_character_), class = "nwsInvalidArgument")
  expect_error(nwsLease("ws", "task"), class = "nwsInvalidArgument")
  expect_error(nwsWithLease(ws, "task", 42), "fun must be a function", class = "nwsInvalidArgument")
  expect_error(nwsWithLease(ws, "task", identity, duration = 0), class = "nwsInvalidArgument")
  for (f in list(nwsLeaseValue, nwsAck, nwsRelease, nwsLeaseSettled, function(x) nwsRenew(x, 1),
                 function(x) nwsAckStore(x, "out", 1)))
    expect_error(f(list()), "nwsLease object", class = "nwsInvalidArgument")
  # Nothing was leased by any of these.
  l <- nwsLease(ws, "task")
  expect_identical(nwsLeaseValue(l), 1)
  for (d in list(0, -1, NA, "1"))
    expect_error(nwsRenew(l, d), class = "nwsInvalidArgument")
  expect_error(nwsRenew(l), class = "nwsInvalidArgument")
  expect_error(nwsAckStore(l, NULL, 1), class = "nwsInvalidArgument")
  expect_false(nwsLeaseSettled(l))
  nwsRelease(l)
  expect_identical(nwsFetchTry(ws, "task"), 1)
  nwsClose(ws)
})

test_that("Ctrl-C interrupts a blocked nwsLease; nothing stays leased", {
  ws <- testWs()
  watcher <- rscript(sprintf(
    'library(nws); ws <- nwsUseWs(nwsServer("127.0.0.1", %d), "%s")
     repeat { d <- nwsListVars(ws, showDataFrame = TRUE)
              if (any(d$Variable == "x" & d$NumFetchers == 1)) break; Sys.sleep(0.01) }
     tools::pskill(%d, tools::SIGINT)', testServer()$port, nwsWsName(ws), Sys.getpid()),
    stdout = "|", stderr = "|")
  got <- tryCatch(nwsWithLease(ws, "x", identity, timeout = 60), interrupt = identity)
  expect_s3_class(got, c("nwsCancelled", "interrupt", "condition"), exact = TRUE)
  expect_false(got$arrived)
  watcher$wait(10000)
  expect_equal(nwsListVars(ws, showDataFrame = TRUE)$NumFetchers, 0)
  nwsStore(ws, "x", "after the interrupt")
  expect_identical(nwsFetchTry(ws, "x"), "after the interrupt")
  nwsClose(ws)
})

test_that("a server without leases: nwsUnsupported", {
  peer <- racePeer()
  ws <- netWorkSpace("race", "127.0.0.1", peer$port)
  expect_error(nwsLeaseTry(ws, "x"), "does not offer leases", class = "nwsUnsupported")
  expect_error(nwsLease(ws, "x"), class = "nwsUnsupported")
  expect_error(nwsWithLease(ws, "x", identity), class = "nwsUnsupported")
  nwsClose(ws)
  racePeerLog(peer)
})
