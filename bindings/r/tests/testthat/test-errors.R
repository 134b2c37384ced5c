test_that("every error is an nwsError condition of its kind with a clear message", {
  ws <- testWs()
  err <- expect_error(nwsFetch(ws, "none", timeout = 0), class = "nwsTimeout")
  expect_s3_class(err, c("nwsTimeout", "nwsError", "error", "condition"), exact = TRUE)
  expect_match(conditionMessage(err), "none")
  err <- expect_error(nwsDeclare(ws, "v", "nonsense"), class = "nwsDeclarationFailed")
  expect_s3_class(err, "nwsError")
  expect_error(nwsStore(ws, 1, "v"), "variable name must be one string", class = "nwsInvalidArgument")
  expect_error(nwsStore(list(), "x", 1), class = "nwsInvalidArgument")
  expect_error(nwsFetch(ws, "x", timeout = -1), class = "nwsInvalidArgument")
  expect_error(nwsServer("127.0.0.1", 70000), class = "nwsInvalidArgument")
  nwsClose(ws)
  err <- expect_error(nwsStore(ws, "x", 1), class = "nwsClosed")
  expect_s3_class(err, "nwsError")
})

test_that("a workspace that does not exist raises nwsNoSuchWorkspace", {
  s <- testConnection()
  expect_error(nwsOpenWs(s, "r_never_made_ws", create = FALSE), class = "nwsNoSuchWorkspace")
  expect_error(nwsUseWs(s, "r_never_made_ws", create = FALSE), class = "nwsNoSuchWorkspace")
  nwsClose(s)
})

test_that("connecting to a port with no server raises nwsConnectionError", {
  srv <- nwsStartServer(Sys.getenv("NWS_SERVER_BINARY"))
  port <- srv$port
  nwsStopServer(srv)
  err <- expect_error(nwsServer("127.0.0.1", port, connectTimeout = 2), class = "nwsConnectionError")
  expect_s3_class(err, "nwsError")
})

test_that("a server that goes away raises nwsConnectionDropped", {
  srv <- nwsStartServer(Sys.getenv("NWS_SERVER_BINARY"))
  ws <- netWorkSpace("doomed", "127.0.0.1", srv$port)
  nwsStore(ws, "x", 1)
  srv$process$kill()
  srv$process$wait(5000)
  expect_error(nwsFetch(ws, "x"), class = "nwsConnectionDropped")
})

test_that("nwsCondition builds the classed conditions", {
  c1 <- nwsCondition("timeout", "it took too long")
  expect_s3_class(c1, c("nwsTimeout", "nwsError", "error", "condition"), exact = TRUE)
  expect_equal(conditionMessage(c1), "it took too long")
  expect_error(stop(c1), class = "nwsTimeout")
})
