# A descriptor from the core's table (R/tables.R): `lang` writes it.
descriptor <- function(lang, direct = FALSE, binary = FALSE) {
  d <- nws:::.nwsDescriptor
  nws:::.nwsLanguage[[lang]] * 2^d$language_shift + direct * d$direct_string + binary * d$binary
}

roundTrip <- function(ws, x) {
  nwsStore(ws, "v", x)
  nwsFetch(ws, "v")
}

test_that("strings travel as direct UTF-8 strings and come back marked UTF-8", {
  ws <- testWs()
  expect_identical(roundTrip(ws, ""), "")
  expect_identical(roundTrip(ws, "plain"), "plain")
  wide <- "h\u00e9llo w\u00f6rld \u4e16\u754c \U0001f600"
  got <- roundTrip(ws, wide)
  expect_identical(got, wide)
  expect_equal(Encoding(got), "UTF-8")
  latin1 <- iconv("caf\u00e9", "UTF-8", "latin1")
  expect_identical(roundTrip(ws, latin1), "caf\u00e9")
  # The bytes on the wire are the UTF-8 bytes, with R's string descriptor.
  nwsStore(ws, "w", "\u00e9")
  r <- nws:::.nws_retrieve(ws$ptr, 1L, "w", NULL)
  expect_identical(r$bytes, as.raw(c(0xc3, 0xa9)))
  expect_equal(r$descriptor, descriptor("r", direct = TRUE))
  nwsClose(ws)
})

test_that("raw vectors travel as direct binary strings, all 256 byte values", {
  ws <- testWs()
  all <- as.raw(0:255)
  expect_identical(roundTrip(ws, all), all)
  expect_identical(roundTrip(ws, raw(0)), raw(0))
  nwsStore(ws, "w", all)
  expect_equal(nws:::.nws_retrieve(ws$ptr, 1L, "w", NULL)$descriptor, descriptor("r", direct = TRUE, binary = TRUE))
  nwsClose(ws)
})

test_that("everything else is serialize()d and comes back identical", {
  ws <- testWs()
  values <- list(NULL, character(0), c("a", "b"), NA_character_, NA, 1L, pi, 1:10, list(a = 1, b = list("x")),
                 data.frame(x = 1:3, y = c("a", "b", "c")), factor(c("u", "v")), eval(quote(function(x) x + 1), baseenv()),
                 structure("s", class = "tagged"), complex(real = 1, imaginary = -1))
  for (v in values) expect_identical(roundTrip(ws, v), v)
  nwsStore(ws, "w", 1:3)
  expect_equal(nws:::.nws_retrieve(ws$ptr, 1L, "w", NULL)$descriptor, descriptor("r"))
  nwsClose(ws)
})

test_that("a large vector round-trips exactly", {
  ws <- testWs()
  set.seed(1)
  big <- runif(4e6)   # about 32 MB serialised
  expect_identical(roundTrip(ws, big), big)
  bigRaw <- as.raw(sample(0:255, 5e6, replace = TRUE))
  expect_identical(roundTrip(ws, bigRaw), bigRaw)
  nwsClose(ws)
})

test_that("a value serialised by another language raises the core's message naming it", {
  ws <- testWs()
  pickled <- as.raw(c(0x80, 0x04, 0x4b, 0x01, 0x2e))   # pickle of 1
  nws:::.nws_store(ws$ptr, "py", descriptor("python"), pickled)
  err <- expect_error(nwsFetch(ws, "py"), class = "nwsSerialisation")
  expect_s3_class(err, c("nwsSerialisation", "nwsOperation", "nwsError", "error", "condition"), exact = TRUE)
  expect_identical(conditionMessage(err), sprintf(paste0(
    "cannot read the value of variable 'py' in workspace '%s': it was serialised by Python (language id %d), ",
    "and R reads only direct strings, portable values and its own serialised values ",
    "(a value every language reads is stored portable: docs/values.md)"), nwsWsName(ws), nws:::.nwsLanguage[["python"]]))
  nws:::.nws_store(ws$ptr, "other", 200 * 2^nws:::.nwsDescriptor$language_shift, raw(1))
  expect_error(nwsFindTry(ws, "other"), "serialised by language 200 \\(language id 200\\)", class = "nwsSerialisation")
  nws:::.nws_store(ws$ptr, "none", 0, raw(1))
  expect_error(nwsFindTry(ws, "none"), "its writer named no language", class = "nwsSerialisation")
  # R's own serialisation, broken: R's reason is in the message.
  nws:::.nws_store(ws$ptr, "broken", descriptor("r"), as.raw(1:3))
  expect_error(nwsFetch(ws, "broken"), "variable 'broken'.*: .+", class = "nwsSerialisation")
  nwsClose(ws)
})
