# The R side of the interop matrix (same commands as interop.py):
#   Rscript interop.R PORT WS write VECDIR | read VECDIR WRITER |
#                         block VAR EXPECTED | store VAR VALUE |
#                         pwrite CASES | pread WRITER CASES
# Prints one "ok ..." or "FAIL ..." line per check.  CASES is
# portable_cases.md: pwrite stores each case R writes as R_p_<case>, pread
# checks each of WRITER's against the case built here.
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

# The portable cases (portable_cases.md) as R builds them: what R writes, and
# what R reads any writer's value as (docs/values.md: int64 as doubles when
# beyond 32 bits, timestamps as POSIXct in UTC to the microsecond).
TS_US <- as.numeric(as.POSIXct("2026-12-06 15:54:34", tz = "UTC")) * 1e6 + 123456
portableCase <- function(name) switch(name,
  null = NULL, true = TRUE, small_int = 42L, int = -1234567890123, real = 3.25,
  string = "h\u00e9llo, w\u00f6rld \u2713 \u4f60\u597d", bytes = as.raw(c(0x00, 0x01, 0xfe, 0xff)),
  list = list(1L, "two", 3.5, NULL, TRUE),
  map = list(alpha = 1L, beta = "b", gamma = 2.5),
  nested = list(empty_list = list(), empty_map = setNames(list(), character(0)), inner = list(1L, list("x", TRUE))),
  # The case's NaN is the quiet NaN 7FF8000000000000 the other languages
  # spell NaN (R's own NaN, 0/0 on x86, has the sign bit set), and -0.0 is
  # read from its bits too: R's byte compiler folds the literal -0 into 0.
  f64vec = readBin(as.raw(c(0, 0, 0, 0, 0, 0, 0xf8, 0x3f,  0, 0, 0, 0, 0, 0, 0, 0xc0,  0, 0, 0, 0, 0, 0, 0xf8, 0x7f,
                            0, 0, 0, 0, 0, 0, 0xf0, 0x7f,  0, 0, 0, 0, 0, 0, 0xf0, 0xff,  0, 0, 0, 0, 0, 0, 0, 0x80)),
                   "double", n = 6, endian = "little"),
  i64vec = c(1, -2, 2^40, -2^53),
  i32vec = c(1L, -2L, 2147483647L, -2147483647L),
  boolvec = c(TRUE, FALSE, TRUE),
  strvec = c("a", "\u03b2", ""),
  missing = c(1L, NA, 3L),
  timestamp = .POSIXct(TS_US / 1e6, tz = "UTC"),
  tsvec = .POSIXct(c(0, TS_US) / 1e6, tz = "UTC"),
  table = data.frame(x = c(1.5, 2.5, 3.5), n = 1:3, s = c("a", "b", "c"), b = c(TRUE, FALSE, TRUE)),
  stop("no R value for the portable case '", name, "'"))

# The cases file's rows: name, and the languages of its last two columns.
portableCases <- function(path) {
  rows <- grep("^\\| ", readLines(path, encoding = "UTF-8"), value = TRUE)[-1]   # [-1]: the header
  langs <- function(cell) { x <- trimws(strsplit(cell, ",", fixed = TRUE)[[1]]); x[nzchar(x)] }
  lapply(strsplit(rows, "|", fixed = TRUE), function(cells) {
    cells <- trimws(cells); n <- length(cells)
    list(name = cells[2], notWritten = langs(cells[n - 1]), readError = langs(cells[n]))
  })
}

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
} else if (mode == "pwrite") {
  for (case in portableCases(rest[1]))
    if (!(ME %in% case$notWritten)) nwsStore(ws, paste0(ME, "_p_", case$name), portableCase(case$name), portable = TRUE)
} else if (mode == "pread") {
  # The writer has finished (pwrite ran first): a Try find sees all it stored.
  writer <- rest[1]
  absent <- structure(list(), class = "absent")
  for (case in portableCases(rest[2])) {
    var <- paste0(writer, "_p_", case$name)
    what <- sprintf("%s reads %s's portable %s", ME, writer, case$name)
    tryCatch({
      if (writer %in% case$notWritten) {
        report(identical(nwsFindTry(ws, var, defaultVal = absent), absent),
               paste0(what, ": ", writer, " has no such value, nothing stored"))
      } else if (ME %in% case$readError) {
        got <- tryCatch(nwsFindTry(ws, var, defaultVal = absent), nwsSerialisation = function(e) e)
        report(inherits(got, "nwsSerialisation"), paste0(what, ": ", if (inherits(got, "nwsSerialisation"))
          paste("refused:", conditionMessage(got)) else paste("expected an error, read", deparse(got)[1])))
      } else {
        got <- nwsFindTry(ws, var, defaultVal = absent)
        if (identical(got, absent)) stop(writer, " stored no ", var)
        # Doubles bit for bit (NaN, -0, NA's payload); integer vectors of any
        # width read as R's integers when they fit, so identical() is by value.
        report(identical(got, portableCase(case$name), num.eq = FALSE),
               paste0(what, " (got ", paste(deparse(got), collapse = " "), ")"))
      }
    }, error = function(e) report(FALSE, paste0(what, ": ", conditionMessage(e))))
  }
} else stop("unknown mode ", mode)
nwsClose(s)
