# Portable jobs: functions named by a string, run on the workers as their
# language names them, arguments and results as portable values.  Here the
# workers are R's; tests/interop/sleigh runs the other languages'.

tasksFile <- function() normalizePath(test_path("fixtures", "portable_tasks.R"))

# One sleigh for the tests that only use it: two R workers that source
# fixtures/portable_tasks.R and attach tools, with an extra library path.
portableSleigh <- local({
  s <- NULL
  extraLib <- NULL
  function() {
    if (is.null(s) || is.null(s$ptr) || isTRUE(nws:::.nws_sleigh_info(s$ptr)$stopped)) {
      extraLib <<- normalizePath(tempfile("nws-lib-"), mustWork = FALSE)
      dir.create(extraLib)
      s <<- sleigh(nwsHost = "127.0.0.1", nwsPort = testServer()$port, workerCount = 2,
                   load = c(tasksFile(), "tools"), modulePath = extraLib)
      if (!status(s, timeout = 60)$closed) stop("the portable sleigh's workers did not join within 60 s")
    }
    list(sleigh = s, extraLib = extraLib)
  }
})

test_that("a named R function runs over 20 elements with typed arguments, results in element order", {
  s <- portableSleigh()$sleigh
  i <- 1:20
  x <- i + 0.25
  got <- eachElem(s, "typed", list(i, x, sprintf("s%02d", i), i %% 2 == 0), list(list(scale = 2, tag = "!")))
  expect_length(got, 20)
  for (k in i) {
    v <- got[[k]]
    expect_identical(v$i, k + 1L)
    expect_identical(v$x, x[[k]] * 2)
    expect_identical(v$s, sprintf("s%02d!", k))
    expect_identical(v$flag, k %% 2 != 0)
    # An integer, a double, a string, a logical and a named list (a map).
    expect_identical(v$types, c("integer", "double", "character", "logical", "list"))
  }
})

test_that("names resolve on the workers: load's sourced file, load's package, pkg::fun, base", {
  s <- portableSleigh()$sleigh
  expect_false(exists("square"))  # only the workers sourced the file
  expect_equal(eachElem(s, "square", list(c(2, 3))), list(4, 9))
  expect_equal(eachElem(s, "toTitleCase", list(c("hello world", "data analysis"))), list("Hello World", "Data Analysis"))
  expect_equal(eachElem(s, "tools::file_ext", list(c("a.R", "b.txt"))), list("R", "txt"))
  expect_equal(eachElem(s, "sqrt", list(c(4, 9))), list(2, 3))
})

test_that("modulePath is on the workers' library path", {
  ps <- portableSleigh()
  got <- eachWorker(ps$sleigh, "lib_paths")
  expect_length(got, 2)
  for (paths in got) expect_equal(normalizePath(paths[[1]]), ps$extraLib)
})

test_that("a non-blocking named job: checkSleigh counts down, waitSleigh gives the results", {
  s <- portableSleigh()$sleigh
  p <- eachElem(s, "square", list(1:30), eo = list(blocking = FALSE, chunkSize = 4))
  expect_s3_class(p, "sleighPending")
  left <- checkSleigh(p)
  expect_true(left >= 0 && left <= 30)
  expect_equal(waitSleigh(p), as.list((1:30)^2))
  expect_equal(checkSleigh(p), 0)
})

test_that("an accumulator, chunkSize, loadFactor and elementFunc work with a named function", {
  s <- portableSleigh()$sleigh
  seen <- numeric(0)
  at <- integer(0)
  expect_null(eachElem(s, "square", list(1:25), eo = list(chunkSize = 3, loadFactor = 1,
                                                             accumulator = function(v, i) {
                                                               seen[i] <<- unlist(v)
                                                               at <<- c(at, i)
                                                             })))
  expect_equal(sort(at), 1:25)  # each element once
  expect_equal(seen, (1:25)^2)
  gen <- function(i) if (i <= 7) list(i) else stop()
  expect_equal(eachElem(s, "square", eo = list(elementFunc = gen)), as.list((1:7)^2))
})

test_that("eachWorker runs a named function once on every worker, results by rank", {
  s <- portableSleigh()$sleigh
  got <- eachWorker(s, "rank_and", 7L)
  # A named integer vector comes back as a map: a named list.
  expect_equal(got, list(list(rank = 0L, k = 7L), list(rank = 1L, k = 7L)))
  p <- eachWorker(s, "rank_and", 8L, eo = list(blocking = FALSE))
  expect_equal(waitSleigh(p), list(list(rank = 0L, k = 8L), list(rank = 1L, k = 8L)))
})

test_that("an element that errors comes back as a sleighTaskError in its place; the others are fine", {
  s <- portableSleigh()$sleigh
  got <- eachElem(s, "fails_on_three", list(1:5))
  expect_equal(got[-3], as.list(c(1:2, 4:5)))
  err <- got[[3]]
  expect_s3_class(err, "sleighTaskError")
  expect_match(conditionMessage(err), "simpleError in fails_on_three(3L): three is bad", fixed = TRUE)
  expect_match(conditionMessage(err), "Traceback", fixed = TRUE)
  expect_equal(err$task, 3)
  expect_true(err$rank %in% 0:1)
})

test_that("the issue's example: table rows (named lists) in, named numeric vectors out", {
  s <- portableSleigh()$sleigh
  df <- data.frame(x = c(1, 2, 4), y = c(2, 6, 4), group = c("a", "b", "a"), stringsAsFactors = FALSE)
  got <- eachElem(s, "fit_model", df)
  expect_equal(got, list(list(slope = 2, intercept = 0, weight = 1), list(slope = 3, intercept = 0, weight = 2),
                         list(slope = 1, intercept = 0, weight = 1)))
})

test_that("a bad name is refused on the master with the form to use; an unknown one fails each element", {
  s <- portableSleigh()$sleigh
  expect_error(eachElem(s, "not a name!", list(1:3)), "write it as function or package::function",
               class = "nwsInvalidArgument")
  expect_error(eachWorker(s, "a:b"), "is not a r function name", class = "nwsInvalidArgument")
  got <- eachElem(s, "no_such_function", list(1:2))
  expect_length(got, 2)
  for (e in got) {
    expect_s3_class(e, "sleighTaskError")
    expect_match(conditionMessage(e), "no function 'no_such_function' on this R worker", fixed = TRUE)
  }
  # Arguments with no portable type are refused before anything is sent.
  expect_error(eachElem(s, "square", list(list(matrix(1:4, 2)))), "matrix", class = "nwsSerialisation")
})

test_that("a load that fails makes every task fail with its reason", {
  s <- testSleigh(1, load = file.path(tempdir(), "no-such-file.R"))
  got <- eachElem(s, "sqrt", list(c(1, 4)))
  for (e in got) {
    expect_s3_class(e, "sleighTaskError")
    expect_match(conditionMessage(e), "could not load .*no-such-file[.]R")
  }
  expect_s3_class(eachElem(s, function(x) x, 1)[[1]], "sleighTaskError")
})

test_that("another language's sleigh takes names in that language's form, never an R function", {
  # Its workers are never needed: `true` stands in for their interpreter.
  withr::local_envvar(NWS_SLEIGH_PYTHON = Sys.which("true"))
  s <- sleigh(nwsHost = "127.0.0.1", nwsPort = testServer()$port, workerCount = 1, language = "Python",
              stopTimeout = 5)
  withr::defer(stopSleigh(s))
  expect_equal(s$language, "python")
  expect_error(eachElem(s, function(x) x, 1:3), "workers are python.*module:function", class = "nwsInvalidArgument")
  expect_error(eachWorker(s, sqrt), "workers are python", class = "nwsInvalidArgument")
  expect_error(eachElem(s, "combine", 1:3), "not a python function name: write it as module:function",
               class = "nwsInvalidArgument")
  expect_error(eachElem(s, "m:f", list(x = 1:3)), "python functions take their arguments by position",
               class = "nwsInvalidArgument")
  expect_error(sleigh(language = "cobol"), "unknown worker language 'cobol'", class = "nwsInvalidArgument")
  expect_error(sleigh(language = "python", launch = "web"), "launch = 'web' starts R workers",
               class = "nwsInvalidArgument")
})

test_that("a worker SIGKILLed during a named job: every result exactly once", {
  s <- testSleigh(3, load = tasksFile())
  user <- userNetWorkSpaceObject(s)
  victim <- workerInfo(s)[1, ]  # rank 0
  arrivals <- integer()
  values <- list()
  p <- eachElem(s, "hold_on_rank0", list(1:40), eo = list(chunkSize = 2, blocking = FALSE,
                                                          accumulator = function(v, i) {
                                                            arrivals <<- c(arrivals, i)
                                                            values[i] <<- v
                                                          }))
  nwsFind(user, "rank0 running", timeout = 60)  # rank 0 is inside a task now
  tools::pskill(victim$pid, tools::SIGKILL)
  expect_null(waitSleigh(p))
  expect_equal(sort(arrivals), 1:40)  # each once: no duplicate, none missing
  expect_equal(values, as.list((1:40) * 2))
  expect_true(pollUntil(function() !processAlive(victim$pid)))
})

test_that("no worker process is left after stopSleigh", {
  s <- sleigh(nwsHost = "127.0.0.1", nwsPort = testServer()$port, workerCount = 2, load = tasksFile())
  expect_true(status(s, timeout = 60)$closed)
  pids <- workerInfo(s)$pid
  expect_equal(eachElem(s, "square", list(1:4)), as.list((1:4)^2))
  expect_length(sleighProcesses(s$wsName), 2)
  stopSleigh(s)
  expect_true(pollUntil(function() !any(vapply(pids, processAlive, TRUE)), seconds = 15))
  expect_length(sleighProcesses(s$wsName), 0)
})
