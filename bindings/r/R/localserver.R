# Starting a local nws-server from R (for tests, examples, one machine).
# The program is `binary`, else $NWS_SERVER_BINARY, else nws-server on PATH.
# It binds to 127.0.0.1 on a free port (port = 0) unless told otherwise,
# and reports the port it got on its first line of output.

nwsStartServer <- function(binary = NULL, port = 0, host = "127.0.0.1", spoolDir = NULL,
                           args = character(), startTimeout = 10) {
  if (is.null(binary) || !nzchar(binary)) binary <- Sys.getenv("NWS_SERVER_BINARY", "")
  if (!nzchar(binary)) binary <- unname(Sys.which("nws-server"))
  if (!nzchar(binary) || !file.exists(binary))
    .nwsStop("invalid argument", "nws-server not found: pass binary=, set NWS_SERVER_BINARY or put it on PATH")
  port <- .portArg(port)
  if (is.null(spoolDir)) {
    spoolDir <- tempfile("nws-spool-")
    dir.create(spoolDir)
  }
  log <- tempfile("nws-server-", fileext = ".log")
  p <- processx::process$new(binary, c("--bind", host, "--port", as.character(port), "--spool-dir", spoolDir, args),
                             stdout = "|", stderr = log, cleanup = TRUE)
  deadline <- Sys.time() + startTimeout
  out <- character()
  repeat {
    p$poll_io(100)
    out <- c(out, p$read_output_lines())
    hit <- regmatches(out, regexpr("listening on [^ ]+:[0-9]+", out))
    if (length(hit)) break
    if (!p$is_alive() || Sys.time() > deadline) {
      p$kill()
      .nwsStop("connection", paste0("nws-server did not start: ",
                                    paste(c(out, readLines(log, warn = FALSE)), collapse = "\n")))
    }
  }
  port <- as.integer(sub(".*:", "", hit[[1]]))
  structure(list(host = host, port = port, process = p, log = log, spoolDir = spoolDir),
            class = "nwsLocalServer")
}

nwsStopServer <- function(server) {
  if (!inherits(server, "nwsLocalServer"))
    .nwsStop("invalid argument", "expected an object made by nwsStartServer()")
  if (server$process$is_alive()) {
    server$process$signal(15L)  # SIGTERM: a clean shutdown
    server$process$wait(5000)
    if (server$process$is_alive()) server$process$kill()
  }
  invisible(server$process$get_exit_status())
}

print.nwsLocalServer <- function(x, ...) {
  cat(sprintf("<nwsLocalServer %s:%d, pid %d%s>\n", x$host, x$port, x$process$get_pid(),
              if (x$process$is_alive()) "" else " (stopped)"))
  invisible(x)
}
