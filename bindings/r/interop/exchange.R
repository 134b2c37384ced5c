# The R half of the R <-> Python exchange: R and Python pass strings
# through one workspace on one server.
#
#   Rscript exchange.R PYTHON [NWS_SERVER]
#
# PYTHON: an interpreter with this repository's Python package (bindings/
# python) installed.  Starts a local server, runs exchange.py against it,
# sends strings (ASCII, empty, UTF-8 beyond the BMP), checks each answer
# and that it comes back as a UTF-8 string.  Exits 1 on any mismatch.
library(nws)
args <- commandArgs(trailingOnly = TRUE)
python <- args[1]
srv <- nwsStartServer(if (length(args) >= 2) args[2] else NULL)
s <- nwsServer(srv$host, srv$port)
name <- nwsMktempWs(s, "r_py_exchange_%d")
ws <- nwsOpenWs(s, name)
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE)))
py <- processx::process$new(python, c(file.path(here, "exchange.py"), srv$port, name),
                            stdout = "|", stderr = "|")
messages <- c("hello from R", "", "caf\u00e9 \u4e16\u754c \U0001f600", strrep("long ", 10000))
failures <- 0
for (m in messages) {
  nwsStore(ws, "r to py", m)
  got <- nwsFetch(ws, "py to r", timeout = 30)
  want <- paste0("python saw: ", m)
  ok <- identical(got, want) && (Encoding(got) == "UTF-8" || !grepl("[^\x01-\x7f]", got, useBytes = TRUE))
  if (!ok) {
    failures <- failures + 1
    message("MISMATCH: sent ", substr(m, 1, 40), " got ", substr(got, 1, 60))
  }
}
nwsStore(ws, "r to py", "STOP")
done <- nwsFetch(ws, "py to r", timeout = 30)
if (!identical(done, sprintf("python done after %d", length(messages)))) {
  failures <- failures + 1
  message("MISMATCH at the end: ", done)
}
py$wait(10000)
if (!identical(py$get_exit_status(), 0L)) {
  failures <- failures + 1
  message("python failed: ", py$read_all_error())
}
nwsClose(s)
nwsStopServer(srv)
if (failures) {
  message("R <-> Python exchange: ", failures, " failure(s)")
  quit(status = 1)
}
cat(sprintf("R <-> Python exchange: %d strings each way matched\n", length(messages)))
