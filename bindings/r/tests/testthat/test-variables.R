test_that("store, fetch, find and the Try forms", {
  ws <- testWs()
  nwsStore(ws, "x", 1)
  nwsStore(ws, "x", 2)
  expect_equal(nwsFind(ws, "x"), 1)
  expect_equal(nwsFindTry(ws, "x"), 1)
  expect_equal(nwsFetch(ws, "x"), 1)
  expect_equal(nwsFetchTry(ws, "x"), 2)
  expect_null(nwsFetchTry(ws, "x"))
  expect_equal(nwsFetchTry(ws, "x", defaultVal = "none"), "none")
  expect_equal(nwsFindTry(ws, "x", "none"), "none")
  expect_equal(nwsFindTry(ws, "never stored", 0L), 0L)
  nwsClose(ws)
})

test_that("a blocked nwsFetch gets a value stored by another connection", {
  ws <- testWs()
  other <- nwsUseWs(testConnection(), nwsWsName(ws))
  # Another process stores once this one is seen blocked (the fetcher count).
  script <- sprintf(
    'library(nws); ws <- nwsUseWs(nwsServer("127.0.0.1", %d), "%s")
     repeat { d <- nwsListVars(ws, showDataFrame = TRUE)
              if (any(d$Variable == "late" & d$NumFetchers == 1)) break; Sys.sleep(0.02) }
     nwsStore(ws, "late", "arrived")', testServer()$port, nwsWsName(ws))
  p <- rscript(script)
  expect_equal(nwsFetch(ws, "late", timeout = 20), "arrived")
  p$wait(10000)
  expect_equal(p$get_exit_status(), 0)
  nwsClose(ws)
  nwsClose(other)
})

test_that("modes: fifo, lifo, single, multi", {
  ws <- testWs()
  nwsDeclare(ws, "f", "fifo")
  nwsDeclare(ws, "l", "lifo")
  nwsDeclare(ws, "s", "single")
  nwsDeclare(ws, "m", "multi")
  for (v in c("f", "l", "s", "m")) for (i in 1:3) nwsStore(ws, v, i)
  expect_equal(c(nwsFetch(ws, "f"), nwsFetch(ws, "f"), nwsFetch(ws, "f")), 1:3)
  expect_equal(c(nwsFetch(ws, "l"), nwsFetch(ws, "l"), nwsFetch(ws, "l")), 3:1)
  expect_equal(nwsFetch(ws, "s"), 3L)
  expect_null(nwsFetchTry(ws, "s"))
  df <- nwsListVars(ws, showDataFrame = TRUE)
  expect_equal(df$Mode[match(c("f", "l", "s", "m"), df$Variable)], c("fifo", "lifo", "single", "multi"))
  expect_equal(df$NumValues[df$Variable == "m"], 3)
  got <- c(nwsFetch(ws, "m"), nwsFetch(ws, "m"), nwsFetch(ws, "m"))
  expect_setequal(got, 1:3)
  expect_error(nwsDeclare(ws, "f", "single"), class = "nwsDeclarationFailed")
  expect_error(nwsDeclare(ws, "q", "sideways"), "unknown mode 'sideways'", class = "nwsInvalidArgument")
  nwsDeclare(ws, "f", "fifo")  # the same mode again is fine
  nwsClose(ws)
})

test_that("nwsDeleteVar and nwsListVars (text, data frame, another workspace)", {
  ws <- testWs()
  nwsStore(ws, "a", "x")
  nwsStore(ws, "b", "y")
  nwsStore(ws, "b", "z")
  txt <- nwsListVars(ws)
  expect_equal(txt, "a\t1\t0\t0\tfifo\nb\t2\t0\t0\tfifo")
  df <- nwsListVars(ws, showDataFrame = TRUE)
  expect_named(df, c("Variable", "NumValues", "NumFetchers", "NumFinders", "Mode"))
  expect_equal(df$Variable, c("a", "b"))
  expect_equal(df$NumValues, c(1, 2))
  nwsDeleteVar(ws, "a")
  expect_equal(nwsListVars(ws, showDataFrame = TRUE)$Variable, "b")
  # Another workspace this connection used: one request, no opening.
  other <- testWs()
  expect_error(nwsListVars(other, wsName = nwsWsName(ws)), class = "nwsNotOpened")
  nwsUseWs(nwsServerObject(other), nwsWsName(ws))
  expect_equal(nwsListVars(other, wsName = nwsWsName(ws)), "b\t2\t0\t0\tfifo")
  expect_equal(nwsListVars(other, wsName = nwsWsName(ws), showDataFrame = TRUE)$NumValues, 2)
  expect_equal(nwsListVars(other), "")
  expect_null(nwsFetchTry(ws, "a"))
  nwsClose(ws)
  nwsClose(other)
})

test_that("nwsVariable binds an R variable to an NWS variable", {
  ws <- testWs()
  env <- new.env()
  expect_message(nwsVariable("q", ws, env = env), "bound")
  assign("q", "first", envir = env)
  env$q <- "second"
  expect_equal(nwsFindTry(ws, "q"), "first")
  expect_equal(env$q, "first")   # fifo: reading fetches
  expect_equal(env$q, "second")
  nwsVariable("m", ws, mode = "single", env = env, quietly = TRUE)
  env$m <- 10
  env$m <- 11
  expect_equal(env$m, 11)        # single: reading finds the last
  expect_equal(env$m, 11)
  expect_error(nwsVariable("m", ws, env = env), class = "nwsInvalidArgument")
  # The core's checks come first: nothing is bound, nothing declared.
  expect_error(nwsVariable("z", ws, mode = "stack", env = env), "unknown mode 'stack'", class = "nwsInvalidArgument")
  expect_error(nwsVariable(NULL, ws, env = env), "variable name is missing", class = "nwsInvalidArgument")
  expect_false(exists("z", envir = env, inherits = FALSE))
  expect_silent(nwsVariable("m", ws, mode = "single", env = env, force = TRUE, quietly = TRUE))
  expect_equal(nwsListVars(ws, showDataFrame = TRUE)$Mode, c("single", "fifo"))
  nwsClose(ws)
})
