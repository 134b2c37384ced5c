# Portable values (docs/values.md): R's column of the type table, through a
# real server.  The other languages' values are the interop matrix's
# (tests/interop/interop.R pwrite/pread); here R's own round trips, the
# reading rules for what R never writes (int64) from hand-built values, and
# the refusals.

portableWs <- function() {
  s <- testConnection()
  nwsOpenWs(s, nwsMktempWs(s, "r_portable_%d"), portable = TRUE)
}

# The descriptor of a portable value written by `lang`.
portableDescriptor <- function(lang = "r") {
  d <- nws:::.nwsDescriptor
  nws:::.nwsLanguage[[lang]] * 2^d$language_shift + d$portable
}

# What nwsFetch gets for x stored portably.
portableTrip <- function(ws, x) {
  nwsStore(ws, "v", x, portable = TRUE)
  nwsFetch(ws, "v", timeout = 10)
}

# Bit for bit: NaN, -0 and NA's payload count.  On a difference, waldo's
# diff too (expect_identical), which compares doubles by value.
expect_same <- function(got, want) {
  same <- identical(got, want, num.eq = FALSE)
  if (!same) expect_identical(got, want)
  expect_true(same, label = paste("bit-for-bit identity of", deparse(substitute(got))[1]))
}

utc <- function(us) .POSIXct(us / 1e6, tz = "UTC")

test_that("every type of the table comes back as itself", {
  ws <- portableWs()
  values <- list(
    NULL, TRUE, FALSE, 42L, -7L, 3.25, NaN, Inf, -0, "h\u00e9llo, w\u00f6rld \u2713 \u4f60\u597d", as.raw(c(0, 1, 254, 255)),
    utc(1796572474123456), utc(-1500000), list(), list(1L, "two", 3.5, NULL, TRUE),
    list(alpha = 1L, beta = "b", gamma = list(x = list(), y = setNames(list(), character(0)))),
    c(1.5, -2, NaN, Inf, -Inf, -0), numeric(0), c(1L, -2L, .Machine$integer.max, -.Machine$integer.max), integer(0),
    c(TRUE, FALSE, TRUE), logical(0), c("a", "\u03b2", ""), character(0),
    utc(c(0, 1796572474123456)),
    data.frame(x = c(1.5, 2.5, 3.5), n = 1:3, s = c("a", "b", "c"), b = c(TRUE, FALSE, TRUE),
               t = utc(c(1, 2, 3) * 1e6)),
    data.frame(x = numeric(0), s = character(0)), data.frame())
  for (v in values) expect_same(portableTrip(ws, v), v)
  # On the wire: the portable descriptor and the marker.
  nwsStore(ws, "w", 1:3, portable = TRUE)
  r <- nws:::.nws_retrieve(ws$ptr, 3L, "w", NULL, FALSE)
  expect_equal(r$descriptor, portableDescriptor())
  expect_identical(r$bytes[1:4], as.raw(c(0xc1, 0x4e, 0x50, 0x01)))
  nwsClose(ws)
})

test_that("NA: missing in vectors (NA_real_ keeps its payload), null when alone", {
  ws <- portableWs()
  for (na in list(NA, NA_integer_, NA_real_, NA_character_, factor(NA), utc(NA_real_)))
    expect_null(portableTrip(ws, na))
  expect_same(portableTrip(ws, c(1L, NA, 3L)), c(1L, NA, 3L))
  expect_same(portableTrip(ws, c(TRUE, NA)), c(TRUE, NA))
  expect_same(portableTrip(ws, c("a", NA)), c("a", NA))
  got <- portableTrip(ws, c(1, NA, NaN))
  expect_same(got, c(1, NA, NaN))
  expect_identical(is.nan(got), c(FALSE, FALSE, TRUE))
  expect_same(portableTrip(ws, utc(c(NA, 5e6))), utc(c(NA, 5e6)))
  expect_same(portableTrip(ws, list(1, NA, NULL)), list(1, NULL, NULL))
  expect_same(portableTrip(ws, data.frame(i = c(NA, 2L), x = c(1, NA), s = c(NA, "b"), b = c(NA, TRUE))),
              data.frame(i = c(NA, 2L), x = c(1, NA), s = c(NA, "b"), b = c(NA, TRUE)))
  nwsClose(ws)
})

test_that("what has no exact counterpart comes back as the table says", {
  ws <- portableWs()
  # factors: their labels, as character
  expect_same(portableTrip(ws, factor(c("u", "v", NA, "u"))), c("u", "v", NA, "u"))
  expect_same(portableTrip(ws, factor("only")), "only")
  # named atomic vectors: maps of scalars, read as named lists
  expect_same(portableTrip(ws, c(a = 1, b = NA, c = 3)), list(a = 1, b = NULL, c = 3))
  expect_same(portableTrip(ws, c(x = "s")), list(x = "s"))
  # data.frame: factor columns write their labels; explicit 1..n row names are automatic
  df <- data.frame(f = factor(c("p", "q")), n = 1:2, stringsAsFactors = TRUE)
  expect_same(portableTrip(ws, df), data.frame(f = c("p", "q"), n = 1:2))
  rownames(df) <- 1:2
  expect_same(portableTrip(ws, df), data.frame(f = c("p", "q"), n = 1:2))
  # POSIXct: read in UTC, rounded to the microsecond
  paris <- as.POSIXct("2026-12-06 16:54:34", tz = "Europe/Paris")
  got <- portableTrip(ws, paris)
  expect_identical(attr(got, "tzone"), "UTC")
  expect_identical(as.numeric(got), as.numeric(paris))
  expect_same(portableTrip(ws, .POSIXct(1.0000004, tz = "UTC")), utc(1000000))
  # latin1 strings travel as UTF-8
  latin1 <- iconv(c("caf\u00e9", "na\u00efve"), "UTF-8", "latin1")
  got <- portableTrip(ws, latin1)
  expect_identical(got, c("caf\u00e9", "na\u00efve"))
  expect_identical(Encoding(got), c("UTF-8", "UTF-8"))
  nwsClose(ws)
})

# Hand-built portable values, for what R never writes: the marker, then
# MessagePack.
marker <- as.raw(c(0xc1, 0x4e, 0x50, 0x01))
le64 <- function(x) unlist(lapply(x, function(v) {
  # two's complement without 2^64 + v, which doubles do not hold exactly
  if (v < 0) return(as.raw(255L - as.integer(le64(-v - 1))))
  as.raw((v %/% 256^(0:7)) %% 256)
}))
be <- function(v, n) as.raw((v %/% 256^((n - 1):0)) %% 256)
int64Scalar <- function(v) c(marker, as.raw(0xd3), rev(le64(v)))
# A packed vector (extension 1, in its 32-bit form).
packedVector <- function(type, values, width, missing = NULL) {
  data <- if (width == 8) le64(values) else unlist(lapply(values, function(v) rev(be(if (v < 0) v + 2^32 else v, 4))))
  bitmap <- if (length(missing)) {
    bits <- integer(ceiling(length(values) / 8))
    for (i in missing - 1) bits[i %/% 8 + 1] <- bits[i %/% 8 + 1] + 2^(i %% 8)
    as.raw(bits)
  }
  payload <- c(as.raw(c(type, if (length(missing)) 1 else 0)), raw(6), le64(length(values)), data, bitmap)
  c(marker, as.raw(0xc9), be(length(payload), 4), as.raw(1), payload)
}

test_that("int64: integer when it fits in 32 bits, else double when exact, else an error naming it", {
  ws <- testWs()
  read <- function(bytes, lang = "python") {
    nws:::.nws_store(ws$ptr, "h", portableDescriptor(lang), bytes)
    nwsFetch(ws, "h", timeout = 10)
  }
  expect_same(read(int64Scalar(5)), 5L)
  expect_same(read(int64Scalar(-2^31 + 1)), -.Machine$integer.max)
  expect_same(read(int64Scalar(-2^31)), -2^31)             # INT_MIN is R's NA: a double
  expect_same(read(int64Scalar(-1234567890123)), -1234567890123)
  expect_same(read(int64Scalar(2^53)), 2^53)
  expect_same(read(packedVector(3, c(1, -2, 0), 8, missing = 3)), c(1L, -2L, NA))
  expect_same(read(packedVector(3, c(1, -2, 2^40, -2^53), 8)), c(1, -2, 2^40, -2^53))
  expect_same(read(packedVector(3, c(0, 2^40), 8, missing = 1)), c(NA, 2^40))
  expect_same(read(packedVector(2, c(1, -2^31), 4)), c(1, -2^31))   # an int32 INT_MIN too
  expect_same(read(packedVector(2, c(7, 0), 4, missing = 2)), c(7L, NA))
  nws:::.nws_store(ws$ptr, "big", portableDescriptor("java"), packedVector(3, c(2^62, 1), 8))
  err <- expect_error(nwsFetch(ws, "big"), class = "nwsSerialisation")
  expect_match(conditionMessage(err), sprintf("variable 'big' in workspace '%s'.*4611686018427387904", nwsWsName(ws)))
  nws:::.nws_store(ws$ptr, "big", portableDescriptor("perl"), int64Scalar(2^53 + 2))
  expect_error(nwsFetch(ws, "big"), "9007199254740994", class = "nwsSerialisation")
  # Not a portable value after all: the decoder's reason.
  nws:::.nws_store(ws$ptr, "bad", portableDescriptor("python"), c(marker, as.raw(0xc1)))
  expect_error(nwsFetch(ws, "bad"), "variable 'bad'", class = "nwsSerialisation")
  nwsClose(ws)
})

test_that("what has no portable type is refused, naming it, and nothing is stored", {
  ws <- portableWs()
  refused <- function(x, pattern) {
    expect_error(nwsStore(ws, "r", x), pattern, class = "nwsSerialisation")
    expect_identical(nwsFindTry(ws, "r", defaultVal = "nothing"), "nothing")
  }
  refused(matrix(1:4, 2), "a matrix .*as.vector\\(\\).*as.data.frame\\(\\)")
  refused(function(x) x, "a function .*without portable = TRUE")
  refused(data.frame(x = 1:2, row.names = c("a", "b")), "row names.*rownames\\(df\\) <- NULL")
  refused(list(a = 1, a = 2), "the name 'a' twice")
  refused(c(a = 1, 2), "element 2 has no name")
  refused(list(1, list(2, matrix(1))), "\\(at value\\[\\[2\\]\\]\\[\\[2\\]\\]\\)")
  refused(list(x = new.env()), "an environment as a portable value \\(at value\\$x\\)")
  refused(Sys.Date(), "class 'Date'.*as.POSIXct\\(\\)")
  refused(1i, "complex")
  refused(structure(1:3, units = "cm"), "attribute 'units'")
  refused(data.frame(x = 1:2, l = I(list(1, 2))), "column")
  nwsClose(ws)
})

test_that("portable is per store or per workspace; strings and raw vectors stay plain", {
  s <- testConnection()
  name <- nwsMktempWs(s, "r_portable_%d")
  plain <- nwsOpenWs(s, name)
  port <- netWorkSpace(name, serverHost = "127.0.0.1", port = testServer()$port, useUse = TRUE, portable = TRUE)
  expect_output(print(port), ", portable>")
  descriptorOf <- function(ws, x, ...) {
    nwsStore(ws, "d", x, ...)
    nws:::.nws_retrieve(ws$ptr, 1L, "d", NULL, FALSE)$descriptor
  }
  r <- nws:::.nwsDescriptor
  serialised <- nws:::.nwsLanguage[["r"]] * 2^r$language_shift
  expect_equal(descriptorOf(plain, 1:3), serialised)
  expect_equal(descriptorOf(plain, 1:3, portable = TRUE), portableDescriptor())
  expect_equal(descriptorOf(port, 1:3), portableDescriptor())
  expect_equal(descriptorOf(port, 1:3, portable = FALSE), serialised)
  expect_equal(descriptorOf(port, "one string"), serialised + r$direct_string)
  expect_equal(descriptorOf(port, as.raw(1:3)), serialised + r$direct_string + r$binary)
  expect_equal(descriptorOf(port, c("two", "strings")), portableDescriptor())
  expect_error(nwsStore(port, "d", 1, portable = NA), "portable must be TRUE or FALSE", class = "nwsInvalidArgument")
  expect_error(netWorkSpace(name, serverWrap = s, useUse = TRUE, portable = "yes"), class = "nwsInvalidArgument")
  # nwsVariable stores through the workspace's default.
  nwsVariable("pv", port, quietly = TRUE)
  pv <- c(a = 1)
  expect_equal(nws:::.nws_retrieve(plain$ptr, 3L, "pv", NULL, FALSE)$descriptor, portableDescriptor())
  expect_identical(pv, list(a = 1))
  nwsClose(port)
  nwsClose(s)
})

test_that("a portable value is read by every retrieval, on a workspace that never asked for it", {
  s <- testConnection()
  name <- nwsMktempWs(s, "r_portable_%d")
  writer <- nwsOpenWs(s, name, portable = TRUE)
  reader <- nwsUseWs(testConnection(), name)
  df <- data.frame(x = c(1.5, NA), s = c("a", "b"))
  for (i in 1:3) nwsStore(writer, "v", list(i = i, df = df))
  expect_same(nwsFindTry(reader, "v"), list(i = 1L, df = df))
  expect_same(nwsFind(reader, "v", timeout = 10), list(i = 1L, df = df))
  it <- nwsIFind(reader, "v")
  expect_same(it(10), list(i = 1L, df = df))
  expect_same(nwsIFindTry(reader, "v")(), list(i = 1L, df = df))
  expect_same(nwsFetch(reader, "v", timeout = 10), list(i = 1L, df = df))
  expect_same(nwsIFetchTry(reader, "v")(), list(i = 2L, df = df))
  # A file gets the value's bytes as they are: the portable encoding.
  f <- withr::local_tempfile()
  expect_true(nwsFetchFile(reader, "v", f))
  bytes <- readBin(f, "raw", file.size(f))
  expect_identical(bytes[1:4], marker)
  expect_same(nws:::.nws_portable_decode(bytes), list(i = 3L, df = df))
  nwsClose(reader)
  nwsClose(s)
})

test_that("a 10-million-element double vector round-trips exactly", {
  ws <- portableWs()
  set.seed(19)
  big <- runif(1e7)
  big[c(1, 5e6, 1e7)] <- c(NA, NaN, -0)
  nwsStore(ws, "big", big)
  got <- nwsFetch(ws, "big", timeout = 60)
  expect_same(got, big)
  nwsClose(ws)
})
