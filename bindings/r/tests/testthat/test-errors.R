test_that("every error is an nwsError condition of its kind with a clear message", {
  ws <- testWs()
  err <- expect_error(nwsFetch(ws, "none", timeout = 0), class = "nwsTimeout")
  expect_s3_class(err, c("nwsTimeout", "nwsOperation", "nwsError", "error", "condition"), exact = TRUE)
  expect_match(conditionMessage(err), "none")
  expect_error(nwsStore(ws, 1, "v"), "variable name is missing.*pass a string.*R gave a double",
               class = "nwsInvalidArgument")
  expect_error(nwsStore(list(), "x", 1), class = "nwsInvalidArgument")
  expect_error(nwsFetch(ws, "x", timeout = -1), "timeout must be", class = "nwsInvalidArgument")
  expect_error(nwsFetch(ws, "x", timeout = NA), "R gave NA", class = "nwsInvalidArgument")
  expect_error(nwsServer("127.0.0.1", 70000), "from 1 to 65535", class = "nwsInvalidArgument")
  expect_error(nwsServer("127.0.0.1", 0), "from 1 to 65535", class = "nwsInvalidArgument")
  expect_error(nwsServer("127.0.0.1", 1.5), class = "nwsInvalidArgument")
  expect_error(nwsServer(42), "host must be one string", class = "nwsInvalidArgument")
  expect_error(nwsServer("127.0.0.1", testServer()$port, connectTimeout = 0), "connect timeout",
               class = "nwsInvalidArgument")
  nwsClose(ws)
  err <- expect_error(nwsStore(ws, "x", 1), class = "nwsClosed")
  expect_s3_class(err, "nwsError")
})

test_that("a NULL or NA name and an unknown mode are refused before anything is sent", {
  ws <- testWs()
  expect_error(nwsStore(ws, NULL, 1), "the variable name is missing \\(null\\): pass a string",
               class = "nwsInvalidArgument")
  expect_error(nwsStore(ws, NA_character_, 1), "R gave NA", class = "nwsInvalidArgument")
  expect_error(nwsFetch(ws, NULL), class = "nwsInvalidArgument")
  expect_error(nwsFindTry(ws, NULL), class = "nwsInvalidArgument")
  expect_error(nwsIFetch(ws, NULL), class = "nwsInvalidArgument")
  expect_error(nwsDeleteVar(ws, NULL), class = "nwsInvalidArgument")
  expect_error(nwsDeclare(ws, NULL, "fifo"), class = "nwsInvalidArgument")
  err <- expect_error(nwsDeclare(ws, "v", "stack"), class = "nwsInvalidArgument")
  expect_identical(conditionMessage(err), "unknown mode 'stack': use fifo, lifo, multi or single")
  expect_error(nwsDeclare(ws, "v", NULL), "the mode is missing", class = "nwsInvalidArgument")
  expect_error(nwsOpenWs(nwsServerObject(ws), NULL), "workspace name is missing", class = "nwsInvalidArgument")
  expect_error(nwsMktempWs(ws, NULL), "template is missing", class = "nwsInvalidArgument")
  # The server saw none of it: no variable, no workspace was made.
  expect_identical(nwsListVars(ws), "")
  nwsClose(ws)
  # On a closed connection any request fails (nwsClosed): these are refused
  # first, so they never reached the point of sending.
  expect_error(nwsStore(ws, NULL, 1), class = "nwsInvalidArgument")
  expect_error(nwsDeclare(ws, "v", "stack"), class = "nwsInvalidArgument")
  expect_error(nwsDeclare(ws, "v", "fifo"), class = "nwsClosed")
})

test_that("a workspace that does not exist raises nwsNoSuchWorkspace", {
  s <- testConnection()
  expect_error(nwsOpenWs(s, "r_never_made_ws", create = FALSE), class = "nwsNoSuchWorkspace")
  expect_error(nwsUseWs(s, "r_never_made_ws", create = FALSE), class = "nwsNoSuchWorkspace")
  nwsClose(s)
})

test_that("connecting to a port with no server raises nwsConnection", {
  srv <- nwsStartServer()
  port <- srv$port
  nwsStopServer(srv)
  err <- expect_error(nwsServer("127.0.0.1", port, connectTimeout = 2), class = "nwsConnection")
  expect_s3_class(err, c("nwsCommunication", "nwsError"))
})

test_that("a server that goes away raises nwsConnectionDropped", {
  srv <- nwsStartServer()
  ws <- netWorkSpace("doomed", "127.0.0.1", srv$port)
  nwsStore(ws, "x", 1)
  nwsStopServer(srv)
  expect_error(nwsFetch(ws, "x"), class = "nwsConnectionDropped")
})

test_that("nwsCondition builds the classed conditions", {
  c1 <- nwsCondition("timeout", "it took too long")
  expect_s3_class(c1, c("nwsTimeout", "nwsOperation", "nwsError", "error", "condition"), exact = TRUE)
  expect_equal(conditionMessage(c1), "it took too long")
  expect_error(stop(c1), class = "nwsTimeout")
})
