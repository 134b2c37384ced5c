# examples/sleigh/pi.R, run as a user would run it: a program of its own.

test_that("examples/sleigh/pi.R estimates pi on a sleigh of R workers", {
  example <- Sys.getenv("NWS_SLEIGH_EXAMPLE_R")
  if (!nzchar(example)) example <- test_path("..", "..", "..", "..", "examples", "sleigh", "pi.R")
  if (!file.exists(example)) stop("examples/sleigh/pi.R not found: set NWS_SLEIGH_EXAMPLE_R")
  out <- processx::run(file.path(R.home("bin"), "Rscript"), c(example, "--workers", "2", "--tasks", "40"),
                       env = c("current", R_LIBS = paste(.libPaths(), collapse = ":"),
                               NWS_HOST = "127.0.0.1", NWS_PORT = testServer()$port),
                       error_on_status = FALSE, timeout = 120)
  expect_equal(out$status, 0, info = out$stderr)
  expect_match(out$stdout, "^pi ~ 3\\.[0-9]+ \\(\\+/- 0\\.[0-9]+\\) from 800000 darts on 2 workers in")
})
