# launch = 'web': the master waits while a person starts workers with the
# command it stores in runMe, then deletes deleteMeWhenAllWorkersStarted
# (SLEIGH.md section 3.2).  Here the test plays the person.

test_that("a web launch waits for workers started with runMe's command, then runs jobs on them", {
  template <- sprintf("webtest_%d_%%04d", Sys.getpid())
  master <- rscript(sprintf(
    'library(nws); s <- sleigh(nwsHost = "127.0.0.1", nwsPort = %d, launch = "web", wsNameTemplate = "%s")
     st <- status(s); cat("status", st$numWorkers, st$closed, "\n")
     cat("sum", sum(unlist(eachElem(s, function(x) x * x, 1:10))), "\n")
     cat("ranks", sort(unlist(eachWorker(s, function() SleighRank))), "\n")
     cat("pids", workerInfo(s)$pid, "\n"); stopSleigh(s); cat("stopped\n")',
    testServer()$port, template), stdout = "|", stderr = "|")
  conn <- testConnection()
  prefix <- sub("%04d", "", template, fixed = TRUE)
  sleighWs <- function() grep(prefix, nwsListWss(conn, showDataFrame = TRUE)$Name, fixed = TRUE, value = TRUE)
  expect_true(pollUntil(function() length(sleighWs()) == 1, seconds = 30))
  ws <- nwsUseWs(conn, sleighWs(), create = FALSE)
  command <- nwsFind(ws, "runMe", timeout = 30)
  expect_match(command, sprintf("^library\\(nws\\); launch\\('%s', '[^']+', %d, userNwsName='[^']+'\\)$",
                                nwsWsName(ws), testServer()$port))
  # The person pastes it twice: two workers.
  eval(parse(text = command))
  eval(parse(text = command))
  expect_true(pollUntil(function() identical(nwsFindTry(ws, "rankCount"), "2"), seconds = 30))
  nwsDeleteVar(ws, "deleteMeWhenAllWorkersStarted")
  lines <- character()
  while (!("stopped" %in% lines)) lines <- c(lines, trimws(nextLine(master, 60)))
  expect_equal(lines[1:3], c("status 2 TRUE", "sum 385", "ranks 0 1"))
  pids <- as.integer(strsplit(sub("^pids ", "", lines[[4]]), " ")[[1]])
  expect_length(pids, 2)
  expect_true(pollUntil(function() !any(vapply(pids, processAlive, TRUE)), seconds = 10))
  master$wait(10000)
})
