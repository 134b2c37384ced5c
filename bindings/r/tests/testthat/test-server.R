test_that("nwsServer connects and nwsClose is idempotent", {
  s <- testConnection()
  expect_s3_class(s, "nwsServer")
  expect_output(print(s), "nwsServer 127.0.0.1")
  nwsClose(s)
  nwsClose(s)
  expect_error(nwsMktempWs(s), class = "nwsClosed")
})

test_that("nwsOpenWs owns a workspace, nwsUseWs does not", {
  s <- testConnection()
  name <- nwsMktempWs(s, "r_own_%d")
  ws <- nwsOpenWs(s, name)
  expect_equal(nwsWsName(ws), name)
  expect_identical(nwsServerObject(ws), s)
  other <- testConnection()
  used <- nwsUseWs(other, name)
  df <- nwsListWss(other, showDataFrame = TRUE)
  expect_false(df$Owned[df$Name == name])
  mine <- nwsListWss(s, showDataFrame = TRUE)
  expect_true(mine$Owned[mine$Name == name])
  nwsStore(used, "v", "from the user")
  expect_equal(nwsFetch(ws, "v"), "from the user")
  nwsClose(s)
  nwsClose(other)
})

test_that("a non-persistent workspace goes when its owner disconnects; a persistent one stays", {
  s <- testConnection()
  gone <- nwsMktempWs(s, "r_gone_%d")
  kept <- nwsMktempWs(s, "r_kept_%d")
  nwsOpenWs(s, gone)
  nwsOpenWs(s, kept, persistent = TRUE)
  nwsClose(s)
  watcher <- testConnection()
  expect_true(pollUntil(function() !(gone %in% nwsListWss(watcher, showDataFrame = TRUE)$Name)))
  expect_true(kept %in% nwsListWss(watcher, showDataFrame = TRUE)$Name)
  nwsDeleteWs(watcher, kept)
  expect_false(kept %in% nwsListWss(watcher, showDataFrame = TRUE)$Name)
  nwsClose(watcher)
})

test_that("nwsMktempWs makes distinct names from the template", {
  s <- testConnection()
  a <- nwsMktempWs(s)
  b <- nwsMktempWs(s, "r_tmpl_%d_x")
  expect_match(a, "^__Rws__[0-9]{10}")
  expect_match(b, "^r_tmpl_[0-9]+_x")
  expect_false(identical(a, b))
  nwsClose(s)
})

test_that("nwsListWss gives the server's text or a data frame", {
  ws <- testWs()
  nwsStore(ws, "a", 1)
  txt <- nwsListWss(ws)
  expect_type(txt, "character")
  expect_length(txt, 1)
  expect_match(txt, nwsWsName(ws), fixed = TRUE)
  df <- nwsListWss(ws, showDataFrame = TRUE)
  expect_named(df, c("Owned", "Name", "Owner", "Persistent", "NumVariables", "Variables"))
  row <- df[df$Name == nwsWsName(ws), ]
  expect_equal(nrow(row), 1)
  expect_equal(row$NumVariables, 1)
  expect_equal(row$Variables, "a")
  expect_true(row$Owned)
  nwsClose(ws)
})

test_that("netWorkSpace takes the original arguments", {
  port <- testServer()$port
  name <- paste0("r_nws_", Sys.getpid())
  expect_error(netWorkSpace(name, "127.0.0.1", port, create = FALSE), class = "nwsNoSuchWorkspace")
  ws <- netWorkSpace(name, serverHost = "127.0.0.1", port = port, persistent = TRUE)
  expect_s3_class(ws, "netWorkSpace")
  user <- netWorkSpace(name, "127.0.0.1", port, useUse = TRUE, create = FALSE)
  nwsStore(user, "x", 42L)
  expect_identical(nwsFetch(ws, "x"), 42L)
  shared <- netWorkSpace(nwsMktempWs(ws), serverWrap = nwsServerObject(ws))
  expect_identical(nwsServerObject(shared), nwsServerObject(ws))
  nwsDeleteWs(ws, name)
  nwsClose(ws)
  nwsClose(user)
})

test_that("nwsStartServer runs a server inside R; nwsStopServer stops it and frees its port", {
  srv <- nwsStartServer()
  expect_s3_class(srv, "nwsLocalServer")
  expect_identical(srv$host, "127.0.0.1")
  expect_true(srv$port > 0)
  expect_output(print(srv), sprintf("<nwsLocalServer 127.0.0.1:%d>", srv$port), fixed = TRUE)
  ws <- netWorkSpace("local", srv$host, srv$port)
  nwsStore(ws, "x", list(a = 1))
  expect_identical(nwsFetch(ws, "x"), list(a = 1))
  # Another program can use it as well.
  other <- rscript(sprintf('library(nws); ws <- netWorkSpace("local", "127.0.0.1", %d, useUse = TRUE)
                            nwsStore(ws, "from", "another process")', srv$port))
  other$wait(30000)
  expect_identical(other$get_exit_status(), 0L)
  expect_identical(nwsFetch(ws, "from", timeout = 10), "another process")
  nwsClose(ws)
  # A second server cannot take a port that is in use.
  expect_error(nwsStartServer(port = srv$port), "cannot start an NWS server", class = "nwsConnection")
  nwsStopServer(srv)
  nwsStopServer(srv)  # idempotent
  expect_output(print(srv), "(stopped)", fixed = TRUE)
  expect_error(nwsServer("127.0.0.1", srv$port, connectTimeout = 2), class = "nwsConnection")
  # The port is free again.
  again <- nwsStartServer(port = srv$port)
  expect_identical(again$port, srv$port)
  nwsStopServer(again)
})

test_that("a server nobody refers to any more is stopped by the garbage collector", {
  port <- local({
    srv <- nwsStartServer()
    srv$port
  })
  invisible(gc())
  expect_error(nwsServer("127.0.0.1", port, connectTimeout = 2), class = "nwsConnection")
})

test_that("nwsStartServer checks its arguments", {
  expect_error(nwsStartServer(port = 70000), "from 0 to 65535", class = "nwsInvalidArgument")
  expect_error(nwsStartServer(port = -1), class = "nwsInvalidArgument")
  expect_error(nwsStartServer("/usr/bin/nws-server"), "takes no program", class = "nwsInvalidArgument")
  expect_error(nwsStartServer(host = NA), class = "nwsInvalidArgument")
  expect_error(nwsStopServer(list()), class = "nwsInvalidArgument")
})

test_that("a host and port not given are $NWS_HOST and $NWS_PORT", {
  port <- testServer()$port
  old <- Sys.getenv(c("NWS_HOST", "NWS_PORT"), unset = NA)
  on.exit(for (n in names(old)) {
    if (is.na(old[[n]])) Sys.unsetenv(n) else do.call(Sys.setenv, setNames(list(old[[n]]), n))
  })
  Sys.setenv(NWS_HOST = "127.0.0.1", NWS_PORT = port)
  s <- nwsServer()
  expect_identical(s$serverHost, "127.0.0.1")
  expect_identical(s$port, port)
  ws <- netWorkSpace("r_env_default")
  expect_identical(ws$server$port, port)
  nwsClose(ws)
  nwsClose(s)
  Sys.setenv(NWS_PORT = "not a port")
  expect_error(nwsServer(), "NWS_PORT", class = "nwsInvalidArgument")
})
