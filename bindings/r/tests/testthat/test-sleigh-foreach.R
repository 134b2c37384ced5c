# foreach(...) %dopar% on a sleigh: registerDoNWS.

library(foreach)

test_that("registerDoNWS makes %dopar% run on the sleigh's workers", {
  s <- sharedSleigh()
  registerDoNWS(s)
  expect_equal(getDoParName(), "doNWS")
  expect_equal(getDoParWorkers(), 2L)
  pids <- foreach(i = 1:8, .combine = c) %dopar% Sys.getpid()
  expect_true(all(pids %in% workerInfo(s)$pid))
  expect_false(Sys.getpid() %in% pids)
  expect_equal(foreach(i = 1:5) %dopar% i^2, as.list((1:5)^2))
})

test_that(".combine, .multicombine and .init are honoured", {
  registerDoNWS(sharedSleigh())
  expect_equal(foreach(i = 1:6, .combine = "+") %dopar% i, 21)
  m <- foreach(i = 1:3, .combine = rbind) %dopar% c(i, i * 10)
  expect_equal(unname(m), rbind(c(1, 10), c(2, 20), c(3, 30)))
  expect_equal(foreach(i = 1:3, .combine = c, .init = 0) %dopar% i, c(0, 1, 2, 3))
  expect_equal(foreach(a = 1:3, b = c(10, 20, 30), .combine = c) %dopar% (a + b), c(11, 22, 33))
})

test_that("variables the expression uses travel; .export sends what it cannot see", {
  registerDoNWS(sharedSleigh())
  offset <- 1000
  expect_equal(foreach(i = 1:3, .combine = c) %dopar% (i + offset), 1001:1003)
  secret <- "exported"
  # get() hides the name from foreach's analysis: only .export sends it.
  without <- foreach(i = 1, .errorhandling = "pass") %dopar% get("secret")
  expect_s3_class(without[[1]], "error")
  expect_equal(foreach(i = 1, .export = "secret") %dopar% get("secret"), list("exported"))
  expect_error(foreach(i = 1, .export = "noSuchVariable") %dopar% 1, "noSuchVariable")
})

test_that(".packages are attached on the workers", {
  registerDoNWS(sharedSleigh())
  # tools is not attached in a worker unless asked for.
  expect_equal(foreach(i = 1:2, .combine = c) %dopar% ("package:tools" %in% search()), c(FALSE, FALSE))
  expect_equal(foreach(i = 1:2, .combine = c, .packages = "tools") %dopar% exists("toTitleCase"), c(TRUE, TRUE))
})

test_that(".errorhandling stop, remove and pass", {
  registerDoNWS(sharedSleigh())
  body <- function(i) if (i == 2) stop("two is bad") else i
  expect_error(foreach(i = 1:3) %dopar% body(i), "task 2 failed - \"two is bad\"")
  expect_equal(foreach(i = 1:3, .errorhandling = "remove", .combine = c) %dopar% body(i), c(1, 3))
  r <- foreach(i = 1:3, .errorhandling = "pass") %dopar% body(i)
  expect_equal(r[c(1, 3)], list(1, 3))
  expect_s3_class(r[[2]], "error")
  expect_equal(conditionMessage(r[[2]]), "two is bad")
})
