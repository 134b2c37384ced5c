test_that("blocking calls honour a timeout and the connection stays usable", {
  ws <- testWs()
  t0 <- Sys.time()
  expect_error(nwsFetch(ws, "x", timeout = 0.3), class = "nwsTimeout")
  elapsed <- as.numeric(Sys.time() - t0, units = "secs")
  expect_gte(elapsed, 0.3)
  expect_lt(elapsed, 3)
  expect_error(nwsFind(ws, "x", timeout = 0), class = "nwsTimeout")
  # The withdrawn request holds no value back: the next store reaches us.
  expect_equal(nwsListVars(ws, showDataFrame = TRUE)$NumFetchers, 0)
  nwsStore(ws, "x", "kept")
  expect_equal(nwsFetch(ws, "x", timeout = 5), "kept")
  nwsClose(ws)
})

test_that("a timeout does not lose a value that is already there", {
  ws <- testWs()
  nwsStore(ws, "x", 7)
  expect_equal(nwsFetch(ws, "x", timeout = 0), 7)
  nwsClose(ws)
})
