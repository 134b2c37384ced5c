# The sleigh's API against a real server and real R workers.

test_that("a sleigh starts its workers, closes the group and reports them", {
  s <- sharedSleigh()
  st <- status(s, closeGroup = FALSE, timeout = 0)
  expect_equal(st, list(numWorkers = 2L, closed = TRUE))
  expect_equal(rankCount(s), -1L)
  expect_equal(workerCount(s), 2L)
  info <- workerInfo(s)
  expect_equal(info$rank, 0:1)
  expect_true(all(vapply(info$pid, processAlive, TRUE)))
  expect_equal(info$R, rep(paste("R", getRversion()), 2))
  # The group closes when both have registered; the master counts a worker
  # alive once its ready message has come in, a moment later.
  expect_true(pollUntil(function() any(grepl("2 workers", capture.output(print(s))))))
})

test_that("the sleigh workspace has the classic layout (SLEIGH.md section 2)", {
  s <- sharedSleigh()
  ws <- netWorkSpaceObject(s)
  vars <- nwsListVars(ws, showDataFrame = TRUE)
  for (v in c("nodeList", "totalTasks", "rankCount", "workerCount")) expect_true(v %in% vars$Variable, info = v)
  expect_equal(vars$Mode[vars$Variable == "nodeList"], "single")
  expect_length(strsplit(nwsFind(ws, "nodeList"), " ")[[1]], 2)
  expect_equal(nwsFind(ws, "rankCount"), "-1")
  expect_equal(nwsFind(ws, "workerCount"), "2")
  before <- as.integer(nwsFind(ws, "totalTasks"))
  eachElem(s, identity, 1:7)
  expect_equal(as.integer(nwsFind(ws, "totalTasks")), before + 7L)
})

test_that("eachElem over a vector and a list gives results in element order", {
  s <- sharedSleigh()
  expect_equal(eachElem(s, function(x) x^2, 1:25), as.list((1:25)^2))
  l <- list(a = 1:3, b = letters, c = NULL, d = list(1, "x"))
  expect_equal(eachElem(s, length, list(l)), lapply(unname(l), length))
  expect_equal(eachElem(s, toupper, c("a", "b")), list("A", "B"))
})

test_that("eachElem cuts matrices by row, column and cell", {
  s <- sharedSleigh()
  m <- matrix(1:12, nrow = 3)
  expect_equal(eachElem(s, sum, m), as.list(rowSums(m)))
  expect_equal(eachElem(s, sum, m, eo = list(by = "row")), as.list(rowSums(m)))
  expect_equal(eachElem(s, sum, m, eo = list(by = "column")), as.list(colSums(m)))
  expect_equal(eachElem(s, function(x) x * 10, m, eo = list(by = "cell")), as.list(as.vector(m) * 10))
})

test_that("eachElem cuts data frames by row, column and cell", {
  s <- sharedSleigh()
  df <- data.frame(x = 1:4, y = c(10, 20, 30, 40), z = letters[1:4], stringsAsFactors = FALSE)
  rows <- eachElem(s, function(r) paste(r$x, r$y, r$z), df)
  expect_equal(rows, as.list(paste(df$x, df$y, df$z)))
  cols <- eachElem(s, function(col) class(col), df, eo = list(by = "column"))
  expect_equal(cols, list("integer", "numeric", "character"))
  cells <- eachElem(s, function(v) as.character(v), df, eo = list(by = "cell"))
  expect_equal(unlist(cells), c(as.character(df$x), as.character(df$y), df$z))
})

test_that("fixedArgs follow the element arguments, and argPermute reorders them", {
  s <- sharedSleigh()
  expect_equal(eachElem(s, function(a, b, c) paste(a, b, c), list(1:3), list("f", "g")),
               list("1 f g", "2 f g", "3 f g"))
  expect_equal(eachElem(s, function(a, b, c) paste(a, b, c), list(1:3), list("f", "g"),
                        eo = list(argPermute = c(3, 1, 2))),
               list("g 1 f", "g 2 f", "g 3 f"))
  # Named element arguments are passed by name.
  expect_equal(eachElem(s, function(x, y) x - y, list(y = 1:3, x = c(10, 20, 30))), list(9, 18, 27))
})

test_that("shorter element arguments are recycled, with a warning when lengths do not divide", {
  s <- sharedSleigh()
  expect_equal(eachElem(s, function(a, b) a * b, list(1:6, c(1, -1))), as.list((1:6) * c(1, -1)))
  expect_warning(r <- eachElem(s, function(a, b) paste(a, b), list(1:5, c("x", "y"))),
                 "inconsistent length")
  expect_equal(r, as.list(paste(1:5, c("x", "y", "x", "y", "x"))))
})

test_that("chunkSize puts that many elements in each task message", {
  s <- sharedSleigh()
  calls <- 0
  got <- list()
  acc <- function(values, indices) {
    calls <<- calls + 1
    got[indices] <<- values
  }
  expect_null(eachElem(s, function(x) -x, 1:23, eo = list(chunkSize = 5, accumulator = acc)))
  expect_equal(calls, 5)  # ceiling(23 / 5)
  expect_equal(got, as.list(-(1:23)))
  # The default (automatic) chunking gives the same results.
  expect_equal(eachElem(s, function(x) -x, 1:23), as.list(-(1:23)))
})

test_that("an accumulator receives the values with their 1-based indices, or only the values", {
  s <- sharedSleigh()
  seen <- integer()
  r <- eachElem(s, function(x) x + 100, 1:9, eo = list(chunkSize = 2, accumulator = function(v, i) {
    expect_equal(unlist(v), i + 100)
    seen <<- c(seen, i)
  }))
  expect_null(r)
  expect_setequal(seen, 1:9)
  total <- 0
  eachElem(s, function(x) x, 1:4, eo = list(accumulator = function(v) total <<- total + sum(unlist(v))))
  expect_equal(total, 10)
})

test_that("blocking = FALSE returns at once; checkSleigh counts, waitSleigh collects", {
  s <- sharedSleigh()
  user <- userNetWorkSpaceObject(s)
  gate <- paste0("go", sample.int(1e6, 1))
  p <- eachElem(s, function(x, gate) {
    nwsFind(SleighUserNws, gate)
    x * 3
  }, list(1:6), list(gate), eo = list(blocking = FALSE, chunkSize = 1))
  expect_s3_class(p, "sleighPending")
  # Every task waits for the gate: none can have finished.
  expect_equal(checkSleigh(p), 6)
  nwsStore(user, gate, TRUE)
  expect_equal(waitSleigh(p), as.list((1:6) * 3))
  expect_equal(checkSleigh(p), 0)
})

test_that("loadFactor bounds the outstanding tasks and the results stay complete", {
  s <- sharedSleigh()
  expect_equal(eachElem(s, function(x) x %% 7, 1:40, eo = list(loadFactor = 1, chunkSize = 1)),
               as.list((1:40) %% 7))
})

test_that("elementFunc generates the tasks until it signals an error", {
  s <- sharedSleigh()
  gen <- function(i) if (i > 6) stop("") else list(i, i * 2)
  expect_equal(eachElem(s, function(a, b) a + b, eo = list(elementFunc = gen)), as.list((1:6) * 3))
  gen2 <- function(i, by) if (i > 2) stop("done generating") else paste(i, by)
  expect_warning(r <- eachElem(s, identity, eo = list(elementFunc = gen2, by = "column")), "done generating")
  expect_equal(r, list("1 column", "2 column"))
})

test_that("closure = FALSE drops the function's environment; by default it travels", {
  s <- sharedSleigh()
  make <- function() {
    hidden <- 41
    function(x) x + hidden
  }
  f <- make()
  expect_equal(eachElem(s, f, 1:2), list(42, 43))
  r <- eachElem(s, f, 1:2, eo = list(closure = FALSE))
  expect_s3_class(r[[1]], "sleighTaskError")
  expect_match(conditionMessage(r[[1]]), "hidden")
})

test_that("unknown eo options draw a warning, bad calls a classed error", {
  s <- sharedSleigh()
  expect_warning(eachElem(s, identity, 1:2, eo = list(colour = "red")), "colour")
  expect_error(eachElem(s, identity), class = "nwsInvalidArgument")
  expect_error(eachElem(s, 42, 1:2), class = "nwsInvalidArgument")
  expect_error(sleigh(workers = 2), "unknown option", class = "nwsInvalidArgument")
  expect_error(sleigh(launch = "service"), "not supported", class = "nwsInvalidArgument")
})

test_that("a wrong option or argument is a clear nwsInvalidArgument before anything starts", {
  s <- sharedSleigh()
  srv <- testServer()
  bad <- function(expr, pattern) expect_error(expr, pattern, class = "nwsInvalidArgument")
  bad(sleigh(nwsHost = srv$host, nwsPort = srv$port, workerCount = "two"), "workerCount must be a whole number")
  bad(sleigh(nwsHost = srv$host, nwsPort = srv$port, workerCount = -3), "workerCount must be a whole number of at least 1")
  bad(sleigh(nwsHost = srv$host, nwsPort = "abc"), "nwsPort must be a port number")
  bad(sleigh(nwsHost = srv$host, nwsPort = srv$port, inboxDepth = 0), "inboxDepth")
  bad(sleigh(nwsHost = srv$host, nwsPort = srv$port, launch = 42), "launch must be")
  bad(eachElem(s, sqrt, 1:3, eo = list(chunkSize = "a")), "eo\\$chunkSize must be a number")
  bad(eachElem(s, sqrt, 1:3, eo = list(loadFactor = "a")), "eo\\$loadFactor")
  bad(eachElem(s, sqrt, 1:3, eo = list(by = "diagonal")), "eo\\$by must be one of")
  bad(eachElem(s, sqrt, 1:3, eo = list(argPermute = c(3, 1))), "refers to argument 3, but each call has 1")
  bad(eachElem(s, sqrt, 1:3, eo = list(accumulator = 5)), "eo\\$accumulator must be a function")
  bad(eachElem(s, sqrt, 1:3, eo = list(blocking = "no")), "eo\\$blocking must be TRUE or FALSE")
  bad(eachElem(s, identity, list(function() 1)), "every element argument must be a vector, list, matrix or data frame")
  # Nothing was started by the refused calls, and the sleigh still works.
  expect_equal(eachElem(s, sqrt, c(1, 4, 9)), list(1, 2, 3))
})

test_that("eachWorker runs the function exactly once on every worker, results by rank", {
  s <- sharedSleigh()
  r <- eachWorker(s, function(tag) list(rank = SleighRank, pid = Sys.getpid(), count = SleighWorkerCount, tag = tag),
                  "t1")
  expect_length(r, 2)
  expect_equal(vapply(r, `[[`, 0L, "rank"), 0:1)
  expect_equal(sort(vapply(r, `[[`, 0L, "pid")), sort(workerInfo(s)$pid))
  expect_equal(vapply(r, `[[`, 0L, "count"), c(2L, 2L))
  expect_equal(vapply(r, `[[`, "", "tag"), c("t1", "t1"))
  # Again, and non-blocking.
  p <- eachWorker(s, function() SleighRank, eo = list(blocking = FALSE))
  expect_equal(unlist(waitSleigh(p)), 0:1)
})

test_that("export reaches every worker (or one), unexport removes it", {
  s <- sharedSleigh()
  export(s, "answer", 42)
  expect_equal(eachWorker(s, function() answer), list(42, 42))
  export(s, "only", "rank one", worker = 1)
  r <- eachWorker(s, function() if (exists("only")) only else NA)
  expect_equal(r, list(NA, "rank one"))
  unexport(s, "answer")
  expect_equal(eachWorker(s, function() exists("answer")), list(FALSE, FALSE))
  expect_error(export(s, "x", 1, worker = 5), "too large", class = "nwsInvalidArgument")
})

test_that("workers see SleighNws and SleighUserNws", {
  s <- sharedSleigh()
  eachWorker(s, function() nwsStore(SleighUserNws, "hello", SleighRank))
  user <- userNetWorkSpaceObject(s)
  expect_setequal(c(nwsFetch(user, "hello"), nwsFetch(user, "hello")), 0:1)
  expect_equal(eachWorker(s, function() nwsWsName(SleighNws)), rep(list(s$wsName), 2))
})

test_that("an error on a worker is that element's condition; the job goes on and it is logged", {
  s <- sharedSleigh()
  r <- eachElem(s, function(x) if (x %% 3 == 0) stop("no multiples of three: ", x) else x, 1:7)
  expect_equal(r[-c(3, 6)], as.list(c(1, 2, 4, 5, 7)))
  e <- r[[6]]
  expect_s3_class(e, c("sleighTaskError", "error", "condition"), exact = TRUE)
  expect_equal(conditionMessage(e), "no multiples of three: 6")
  expect_equal(e$task, 6)
  expect_true(e$rank %in% 0:1)
  expect_true(length(e$traceback) > 0)
  it <- nwsIFindTry(netWorkSpaceObject(s), "logError")
  log <- character()
  while (!is.null(line <- it())) log <- c(log, line)
  expect_true(any(grepl("worker -- task [36]: no multiples of three", log)))
})

test_that("progress = TRUE shows a bar on stderr; by default a script shows none", {
  s <- sharedSleigh()
  shown <- capture.output(r <- eachElem(s, identity, 1:10, eo = list(progress = TRUE)), type = "message")
  expect_equal(r, as.list(1:10))
  expect_match(paste(shown, collapse = ""), "100%")
  quiet <- capture.output(invisible(eachElem(s, identity, 1:10)), type = "message")
  expect_equal(quiet, character())
})

test_that("stopSleigh leaves no worker process behind, and the sleigh refuses work after", {
  s <- testSleigh(2)
  pids <- workerInfo(s)$pid
  expect_true(all(vapply(pids, processAlive, TRUE)))
  expect_length(sleighProcesses(s$wsName), 2)
  ws <- s$wsName
  stopSleigh(s)
  expect_false(any(vapply(pids, processAlive, TRUE)))
  expect_length(sleighProcesses(ws), 0)
  expect_false(ws %in% nwsListWss(testConnection(), showDataFrame = TRUE)$Name)
  expect_error(eachElem(s, identity, 1:2), "stopped", class = "nwsClosed")
  expect_output(print(s), "stopped")
  stopSleigh(s)  # idempotent
})

test_that("close() stops a sleigh as stopSleigh() does", {
  s <- testSleigh(1)
  pid <- workerInfo(s)$pid
  expect_true(processAlive(pid))
  close(s)
  expect_false(processAlive(pid))
  expect_error(status(s), "stopped", class = "nwsClosed")
})

test_that("a launch function of one's own: one worker per node, the list recycled to workerCount", {
  seen <- character()
  # A local shell stands in for ssh: the prefix the function returns runs the
  # worker's command line.
  viaShell <- function(host, options) {
    seen <<- c(seen, host)
    c("sh", "-c")
  }
  s <- sleigh(nwsHost = "127.0.0.1", nwsPort = testServer()$port, launch = viaShell, nodeList = c("a", "b"),
              workerCount = 3)
  withr::defer(stopSleigh(s))
  expect_equal(status(s, closeGroup = FALSE, timeout = 60), list(numWorkers = 3L, closed = TRUE))
  expect_setequal(seen, c("a", "b"))
  expect_equal(sort(sub("@[0-9]+$", "", workerInfo(s)$name)), c("a", "a", "b"))
  expect_equal(eachElem(s, function(x) x * 3, 1:9), as.list((1:9) * 3))
})
