# The R side of the interop matrix (same commands as interop.py):
#   Rscript interop.R PORT WS write VECDIR | read VECDIR WRITER |
#                         block VAR EXPECTED | store VAR VALUE
# Prints one "ok ..." or "FAIL ..." line per check.
suppressPackageStartupMessages(library(nws))
args <- commandArgs(trailingOnly = TRUE)
port <- as.integer(args[1]); wsName <- args[2]; mode <- args[3]; rest <- args[-(1:3)]
ME <- "R"
VECTORS <- list(c("ascii", "ascii.txt", "text"), c("utf8", "utf8.txt", "text"), c("empty", "empty.txt", "text"),
                c("binary", "binary.bin", "binary"), c("large", "large.bin", "binary"))
NATIVE <- list(answer = 42, list = 1:3)
report <- function(ok, what) cat(if (isTRUE(ok)) "ok " else "FAIL ", what, "\n", sep = "")
fileBytes <- function(path) readBin(path, "raw", file.size(path))
asText <- function(b) { s <- rawToChar(b); Encoding(s) <- "UTF-8"; s }

s <- nwsServer("127.0.0.1", port)
ws <- nwsUseWs(s, wsName)
if (mode == "write") {
  for (v in VECTORS) {
    b <- fileBytes(file.path(rest[1], v[2]))
    nwsStore(ws, paste0(ME, "_", v[1]), if (v[3] == "text") asText(b) else b)
  }
  nwsStore(ws, paste0(ME, "_native"), NATIVE)
} else if (mode == "read") {
  writer <- rest[2]
  for (v in VECTORS) {
    want <- fileBytes(file.path(rest[1], v[2]))
    what <- sprintf("%s reads %s %s", ME, writer, v[1])
    r <- tryCatch({
      got <- nwsFind(ws, paste0(writer, "_", v[1]), timeout = 10)
      ok <- if (v[3] == "text") {
        is.character(got) && length(got) == 1 && identical(charToRaw(got), want) &&
          (Encoding(got) == "UTF-8" || !any(want > as.raw(127)))
      } else is.raw(got) && identical(got, want)
      report(ok, what)
    }, error = function(e) report(FALSE, paste0(what, ": ", conditionMessage(e))))
  }
  what <- sprintf("%s reads %s native", ME, writer)
  tryCatch({
    got <- nwsFind(ws, paste0(writer, "_native"), timeout = 10)
    report(writer == ME && identical(got, NATIVE), what)
  }, nwsSerialisation = function(e) {
    m <- conditionMessage(e)
    report(writer != ME && grepl(paste0("\\b", writer, "\\b"), m, perl = TRUE),
           paste0(what, ": error names ", writer, ": ", m))
  }, error = function(e) report(FALSE, paste0(what, ": ", conditionMessage(e))))
} else if (mode == "block") {
  tryCatch({
    got <- nwsFetch(ws, rest[1], timeout = 20)
    report(identical(got, rest[2]), sprintf("%s blocked fetch released with '%s'", ME, got))
  }, error = function(e) report(FALSE, paste0(ME, " blocked fetch: ", conditionMessage(e))))
} else if (mode == "store") {
  nwsStore(ws, rest[1], rest[2])
} else stop("unknown mode ", mode)
nwsClose(s)
