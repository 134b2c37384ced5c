# TLS, users, tokens and permissions (docs/security.md) against real
# nws-server processes (helper-server.R: serverProcess), with the test
# certificates of scripts/make-test-certs.sh.  No test relies on the
# environment: each clears NWS_TLS, NWS_USER, ... first.

# The condition `expr` raised (NULL if none), so a test can look at its
# class and message.
conditionOf <- function(expr) tryCatch({
  force(expr)
  NULL
}, error = function(e) e)

# Asserts that `expr` fails with an nwsTls condition whose message matches
# `pattern`, within `seconds`.
expectTlsError <- function(expr, pattern, seconds = 5) {
  started <- Sys.time()
  e <- conditionOf(expr)
  elapsed <- as.numeric(difftime(Sys.time(), started, units = "secs"))
  expect_s3_class(e, "nwsTls")
  expect_s3_class(e, "nwsConnection")
  expect_match(conditionMessage(e), pattern)
  expect_lt(elapsed, seconds)
  invisible(e)
}

tlsServer <- function(cert = "server", ..., env = parent.frame()) {
  certs <- testCerts()
  serverProcess("--tls-cert", certs(paste0(cert, ".pem")), "--tls-key", certs(paste0(cert, ".key")), ..., env = env)
}

roundTrip <- function(ws, value = list(answer = 42L, text = "over TLS")) {
  nwsStore(ws, "v", value)
  expect_identical(nwsFetch(ws, "v", timeout = 10), value)
}

passwords <- c(producer = "pw-producer", worker1 = "pw-worker1", admin = "pw-admin")

# ---- 1. TLS round trip ----------------------------------------------------

test_that("a store and fetch over TLS, trusting the test CA (tlsCa)", {
  noSecurityEnvironment()
  certs <- testCerts()
  srv <- tlsServer()
  ws <- netWorkSpace("r_tls", serverHost = srv$host, port = srv$port, tlsCa = certs("ca.pem"))
  roundTrip(ws)
  # Another connection, through nwsServer and tls = TRUE, sees the same workspace.
  s <- nwsServer(srv$host, srv$port, tls = TRUE, tlsCa = certs("ca.pem"))
  other <- nwsUseWs(s, "r_tls", create = FALSE)
  nwsStore(other, "w", "from the second connection")
  expect_identical(nwsFetch(ws, "w", timeout = 10), "from the second connection")
  nwsClose(s)
  nwsClose(ws)
})

test_that("the environment gives TLS when no option does (NWS_TLS_CA)", {
  noSecurityEnvironment()
  certs <- testCerts()
  srv <- tlsServer()
  withr::local_envvar(NWS_TLS_CA = certs("ca.pem"))
  ws <- netWorkSpace("r_tls_env", serverHost = srv$host, port = srv$port)
  roundTrip(ws)
  nwsClose(ws)
})

# ---- 2. certificates the client refuses ---------------------------------------

test_that("a server certificate from a CA the client does not trust is refused", {
  noSecurityEnvironment()
  certs <- testCerts()
  untrusted <- tlsServer("untrusted")
  expectTlsError(nwsServer(untrusted$host, untrusted$port, tlsCa = certs("ca.pem")),
                 "certificate verify failed|not trusted")
  # The right certificate, but the client trusts another CA.
  srv <- tlsServer()
  expectTlsError(nwsServer(srv$host, srv$port, tlsCa = certs("other-ca.pem")),
                 "certificate verify failed|not trusted")
  # Without tlsCa the system's CAs are trusted, and they did not sign it.
  expectTlsError(nwsServer(srv$host, srv$port, tls = TRUE), "certificate verify failed|not trusted")
})

test_that("an expired server certificate is refused", {
  noSecurityEnvironment()
  certs <- testCerts()
  srv <- tlsServer("expired")
  expectTlsError(netWorkSpace("r_tls", serverHost = srv$host, port = srv$port, tlsCa = certs("ca.pem")),
                 "certificate has expired")
})

test_that("a server certificate for another host is refused, and tlsServerName names the host it must carry", {
  noSecurityEnvironment()
  certs <- testCerts()
  srv <- tlsServer("wronghost")
  e <- expectTlsError(nwsServer(srv$host, srv$port, tlsCa = certs("ca.pem")), "does not match")
  expect_match(conditionMessage(e), "127.0.0.1", fixed = TRUE)
  # The certificate is for wrong.example: a client that expects that name
  # accepts it (same CA, same server).
  ws <- netWorkSpace("r_tls", serverHost = srv$host, port = srv$port, tlsCa = certs("ca.pem"),
                     tlsServerName = "wrong.example")
  roundTrip(ws)
  nwsClose(ws)
})

# ---- 3. TLS on one side only ----------------------------------------------------

test_that("a plain client to a TLS server fails at once: the server requires TLS", {
  noSecurityEnvironment()
  srv <- tlsServer()
  expectTlsError(nwsServer(srv$host, srv$port), "requires TLS")
  expectTlsError(netWorkSpace("r_plain", serverHost = srv$host, port = srv$port), "requires TLS")
})

test_that("a TLS client to a plain server fails at once: it does not offer TLS", {
  noSecurityEnvironment()
  certs <- testCerts()
  srv <- serverProcess()
  expectTlsError(nwsServer(srv$host, srv$port, tls = TRUE, tlsCa = certs("ca.pem")), "does not offer TLS")
  # The same server serves a plain client.
  ws <- netWorkSpace("r_plain", serverHost = srv$host, port = srv$port)
  roundTrip(ws)
  nwsClose(ws)
})

# ---- client certificates (tlsCert, tlsKey) -----------------------------------------

test_that("a server that requires client certificates takes the CA's, and refuses none or another CA's", {
  noSecurityEnvironment()
  certs <- testCerts()
  srv <- tlsServer("server", "--tls-ca", certs("ca.pem"))
  ws <- netWorkSpace("r_mtls", serverHost = srv$host, port = srv$port, tls = TRUE, tlsCa = certs("ca.pem"),
                     tlsCert = certs("client.pem"), tlsKey = certs("client.key"))
  roundTrip(ws)
  nwsClose(ws)
  # Refused by the server: the connection fails (tls, or connection when
  # the refusal comes as the connection's end).
  for (cert in list(NULL, "rogue-client")) {
    e <- conditionOf({
      s <- nwsServer(srv$host, srv$port, tlsCa = certs("ca.pem"),
                     tlsCert = if (!is.null(cert)) certs(paste0(cert, ".pem")),
                     tlsKey = if (!is.null(cert)) certs(paste0(cert, ".key")))
      # The refusal may come after the client's side of the handshake:
      # the first request then fails.
      nwsListWss(s)
    })
    expect_s3_class(e, "nwsCommunication")
    expect_true(inherits(e, "nwsTls") || inherits(e, "nwsConnection") || inherits(e, "nwsConnectionDropped"),
                label = paste("the refusal's class", paste(class(e), collapse = " ")))
  }
})

# ---- 4. users and tokens ------------------------------------------------------------

test_that("users: the right password works; a wrong one, an unknown user and none are refused alike", {
  noSecurityEnvironment()
  srv <- serverProcess("--users", usersFile(passwords))
  ws <- netWorkSpace("r_users", serverHost = srv$host, port = srv$port, user = "producer", password = "pw-producer")
  roundTrip(ws)
  nwsClose(ws)
  refusals <- list(
    wrong_password = conditionOf(nwsServer(srv$host, srv$port, user = "producer", password = "pw-worker1")),
    unknown_user = conditionOf(nwsServer(srv$host, srv$port, user = "nobody", password = "pw-producer")),
    no_credentials = conditionOf(nwsServer(srv$host, srv$port)),
    no_password = conditionOf(netWorkSpace("r_users", serverHost = srv$host, port = srv$port, user = "producer")))
  for (n in names(refusals)) {
    e <- refusals[[n]]
    expect_s3_class(e, "nwsAuthentication")
    expect_s3_class(e, "nwsCommunication")
    expect_match(conditionMessage(e), "authentication failed", label = n)
  }
  # One message for all: nothing tells which users exist.
  expect_length(unique(vapply(refusals, conditionMessage, "")), 1L)
})

test_that("the environment gives the credentials when no option does (NWS_USER, NWS_PASSWORD)", {
  noSecurityEnvironment()
  srv <- serverProcess("--users", usersFile(passwords))
  withr::local_envvar(NWS_USER = "worker1", NWS_PASSWORD = "pw-worker1")
  ws <- netWorkSpace("r_users_env", serverHost = srv$host, port = srv$port)
  roundTrip(ws)
  nwsClose(ws)
  # An option overrides the environment.
  expect_error(nwsServer(srv$host, srv$port, password = "wrong"), "authentication failed", class = "nwsAuthentication")
})

test_that("a token works; a wrong token or none is refused", {
  noSecurityEnvironment()
  srv <- serverProcess("--token-file", lineFile("r-test-token-5f1c"))
  ws <- netWorkSpace("r_token", serverHost = srv$host, port = srv$port, token = "r-test-token-5f1c")
  roundTrip(ws)
  nwsClose(ws)
  wrong <- conditionOf(nwsServer(srv$host, srv$port, token = "r-test-token-0000"))
  none <- conditionOf(nwsServer(srv$host, srv$port))
  for (e in list(wrong, none)) {
    expect_s3_class(e, "nwsAuthentication")
    expect_match(conditionMessage(e), "authentication failed")
  }
})

test_that("TLS and a password together: the server requires both", {
  noSecurityEnvironment()
  certs <- testCerts()
  srv <- tlsServer("server", "--users", usersFile(passwords))
  ws <- netWorkSpace("r_both", serverHost = srv$host, port = srv$port, tlsCa = certs("ca.pem"),
                     user = "admin", password = "pw-admin")
  roundTrip(ws)
  nwsClose(ws)
  expect_error(nwsServer(srv$host, srv$port, tlsCa = certs("ca.pem"), user = "admin", password = "pw-producer"),
               "authentication failed", class = "nwsAuthentication")
  expectTlsError(nwsServer(srv$host, srv$port, user = "admin", password = "pw-admin"), "requires TLS")
})

# ---- 5. permissions -----------------------------------------------------------------

test_that("an operation the rules do not allow is refused, and the connection goes on", {
  noSecurityEnvironment()
  rules <- c("group workers worker1",
             "allow producer store,create jobs",
             "allow @workers fetch,read jobs",
             "allow admin all *")
  srv <- serverProcess("--users", usersFile(passwords, rules))
  producer <- netWorkSpace("jobs", serverHost = srv$host, port = srv$port, user = "producer", password = "pw-producer")
  nwsStore(producer, "task", 1)
  e <- conditionOf(nwsFetch(producer, "task", timeout = 10))
  expect_s3_class(e, "nwsPermissionDenied")
  expect_s3_class(e, "nwsOperation")
  expect_match(conditionMessage(e), "permission denied: user 'producer' may not fetch from workspace 'jobs'",
               ignore.case = TRUE)
  # The same connection: an allowed operation still works.
  nwsStore(producer, "task", 2)
  worker <- netWorkSpace("jobs", serverHost = srv$host, port = srv$port, useUse = TRUE, create = FALSE,
                         user = "worker1", password = "pw-worker1")
  expect_error(nwsStore(worker, "task", 3), "may not store", class = "nwsPermissionDenied")
  # The value the refused fetch asked for is still there, then the second.
  expect_identical(nwsFetch(worker, "task", timeout = 10), 1)
  expect_identical(nwsFetch(worker, "task", timeout = 10), 2)
  expect_null(nwsFetchTry(worker, "task"))
  # Nobody may create a workspace the rules do not give them.
  expect_error(nwsOpenWs(nwsServerObject(worker), "elsewhere"), class = "nwsPermissionDenied")
  # Reading is not producer's right either; storing still is.
  expect_error(nwsFindTry(producer, "task"), "may not", class = "nwsPermissionDenied")
  nwsStore(producer, "done", TRUE)
  expect_identical(nwsFetch(worker, "done", timeout = 10), TRUE)
  nwsClose(worker)
  nwsClose(producer)
})

# ---- 6. the options' types ---------------------------------------------------------

test_that("a wrong type for a security option is an nwsInvalidArgument naming it, before any connection", {
  noSecurityEnvironment()
  # Port 1 on loopback: nothing listens, so a connection attempt would be
  # an nwsConnection error; the check comes first.
  bad <- list(tls = "yes", tls = NA, tls = c(TRUE, FALSE), tlsCa = 1, tlsCa = c("a.pem", "b.pem"),
              tlsCert = NA_character_, tlsKey = TRUE, tlsServerName = 7L, user = 42, user = character(),
              password = NA, password = list("pw"), token = c("a", "b"), token = 1)
  for (i in seq_along(bad)) {
    opt <- names(bad)[[i]]
    args <- c(list(serverHost = "127.0.0.1", port = 1), bad[i])
    for (f in list(nwsServer, netWorkSpace)) {
      e <- conditionOf(do.call(f, args))
      expect_s3_class(e, "nwsInvalidArgument")
      expect_match(conditionMessage(e), paste0("^", opt, " must be"), label = paste(opt, "=", deparse(bad[[i]])))
      expect_match(conditionMessage(e), "R gave", fixed = TRUE)
    }
  }
})

test_that("security options with serverWrap (a connection already made) are refused", {
  noSecurityEnvironment()
  s <- testConnection()
  expect_error(netWorkSpace("r_wrap", serverWrap = s, token = "t"), "serverWrap", class = "nwsInvalidArgument")
  nwsClose(s)
})

test_that("the sleigh checks its security options before it starts anything", {
  noSecurityEnvironment()
  # user with a password is the NWS user, so one string.
  for (bad in list(list(tls = "yes"), list(tlsCa = 1), list(password = c("a", "b")), list(token = NA),
                   list(user = c("a", "b"), password = "pw"))) {
    e <- conditionOf(do.call(sleigh, c(list(nwsHost = "127.0.0.1", nwsPort = 1, workerCount = 1), bad)))
    expect_s3_class(e, "nwsInvalidArgument")
    expect_match(conditionMessage(e), paste0("^", names(bad)[[1]], " must be"))
  }
})

# ---- 7. the sleigh's workers -------------------------------------------------------

test_that("a sleigh passes TLS and credentials to its workers", {
  noSecurityEnvironment()
  certs <- testCerts()
  srv <- tlsServer("server", "--users", usersFile(passwords["admin"]))
  # The master's own connection needs them: without a password it is refused.
  expect_error(sleigh(nwsHost = srv$host, nwsPort = srv$port, workerCount = 1, tlsCa = certs("ca.pem")),
               class = "nwsAuthentication")
  s <- sleigh(nwsHost = srv$host, nwsPort = srv$port, workerCount = 2, tlsCa = certs("ca.pem"),
              user = "admin", password = "pw-admin", stopTimeout = 5)
  withr::defer(stopSleigh(s))
  # The workers joined: each connected over TLS as admin (nothing in this
  # process's environment told them how).  If they did not, stop here:
  # eachElem would wait for them for ever.
  joined <- status(s, closeGroup = FALSE, timeout = 60)$closed
  expect_true(joined, label = "both workers joined within 60 s")
  if (!joined) return()
  expect_equal(workerCount(s), 2L)
  r <- eachElem(s, function(x) {
    nwsStore(SleighUserNws, sprintf("v%d", x), x * 10)
    x * 2
  }, list(1:6))
  expect_identical(unlist(r), c(2, 4, 6, 8, 10, 12))
  # The workers' own workspace connections (SleighUserNws) and the
  # master's (userNetWorkSpaceObject) used them too.
  u <- userNetWorkSpaceObject(s)
  expect_identical(vapply(1:6, function(i) nwsFetch(u, sprintf("v%d", i), timeout = 10), 0), (1:6) * 10)
})

test_that("a sleigh's user without a password is only the ssh login; the environment's credentials reach the workers", {
  noSecurityEnvironment()
  certs <- testCerts()
  srv <- tlsServer("server", "--users", usersFile(passwords["admin"]))
  withr::local_envvar(NWS_TLS_CA = certs("ca.pem"), NWS_USER = "admin", NWS_PASSWORD = "pw-admin")
  # user = "ssh-login" alone would be an unknown NWS user if it were one.
  s <- sleigh(nwsHost = srv$host, nwsPort = srv$port, workerCount = 1, user = "ssh-login", stopTimeout = 5)
  withr::defer(stopSleigh(s))
  joined <- status(s, closeGroup = FALSE, timeout = 60)$closed
  expect_true(joined, label = "the worker joined within 60 s")
  if (!joined) return()
  expect_identical(unlist(eachElem(s, function(x) x + 1, list(1:3))), c(2, 3, 4))
})
