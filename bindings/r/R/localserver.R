# An NWS server inside this R process (the core's nws::LocalServer: its
# event loop runs on a thread of its own while R goes on).  Nothing else
# needs to be installed; other programs, in any language, can connect to it
# for as long as it runs.  It stops with nwsStopServer(), when the object is
# garbage collected, or when R exits.  The standalone nws-server program
# stays the way to run a server that outlives one program.

nwsStartServer <- function(port = 0, host = "127.0.0.1", spoolDir = NULL) {
  if (is.character(port))  # the first argument was once the server program
    .nwsStop("invalid argument", "nwsStartServer() runs the server inside R and takes no program: port must be a number")
  if (is.null(spoolDir)) spoolDir <- tempdir()
  if (!is.character(host) || length(host) != 1L || is.na(host))
    .nwsStop("invalid argument", "host must be one string: the address to listen on")
  if (!is.character(spoolDir) || length(spoolDir) != 1L || is.na(spoolDir))
    .nwsStop("invalid argument", "spoolDir must be one directory name")
  r <- .nws(.nws_local_start(port, host, path.expand(spoolDir)))
  structure(list(host = r$host, port = r$port, ptr = r$ptr), class = "nwsLocalServer")
}

nwsStopServer <- function(server) {
  if (!inherits(server, "nwsLocalServer"))
    .nwsStop("invalid argument", "expected an object made by nwsStartServer()")
  invisible(.nws_local_stop(server$ptr))
}

print.nwsLocalServer <- function(x, ...) {
  cat(sprintf("<nwsLocalServer %s:%d%s>\n", x$host, x$port,
              if (.nws_local_running(x$ptr)) "" else " (stopped)"))
  invisible(x)
}
