# The condition classes and constants (R/tables.R, generated when the
# package is staged) against the tables the compiled core holds.

core <- nws:::.nws_tables()

# A kind's class vector as the core's rows give it: nws<Kind>, its
# ancestors' up to the root, then R's "error" and "condition".
expectedClasses <- function(id) {
  e <- core$errors
  out <- character()
  while (id != "none") {
    i <- match(id, e$id)
    out <- c(out, paste0("nws", e$kind[i]))
    id <- e$parent[i]
  }
  c(out, "error", "condition")
}

test_that("every error kind of the core has its condition class vector, code and parent", {
  table <- nws:::.nwsErrorTable
  expect_identical(names(table), core$errors$name)
  for (i in seq_along(core$errors$id)) {
    name <- core$errors$name[i]
    row <- table[[name]]
    expect_identical(row$id, core$errors$id[i])
    expect_identical(row$code, core$errors$code[i])
    expect_identical(row$kind, core$errors$kind[i])
    expect_identical(if (is.na(row$parent)) "none" else row$parent, core$errors$parent[i])
    expect_identical(row$classes, expectedClasses(core$errors$id[i]))
    cond <- nwsCondition(name, "a message")
    expect_identical(class(cond), expectedClasses(core$errors$id[i]))
    expect_identical(cond$code, core$errors$code[i])
    expect_identical(cond$kind, name)
    expect_identical(conditionMessage(cond), "a message")
    expect_s3_class(tryCatch(stop(cond), nwsError = identity), paste0("nws", core$errors$kind[i]))
  }
  # The root, the groups, and the kinds the core raises.
  expect_identical(class(nwsCondition("error", "m")), c("nwsError", "error", "condition"))
  expect_identical(class(nwsCondition("closed", "m")),
                   c("nwsClosed", "nwsConnectionDropped", "nwsCommunication", "nwsError", "error", "condition"))
  expect_identical(class(nwsCondition("invalid argument", "m")),
                   c("nwsInvalidArgument", "nwsError", "error", "condition"))
  expect_true(all(is.na(core$errors$code) == (core$errors$id %in% c("error", "communication", "operation"))))
  expect_error(nwsCondition("no such kind", "m"), "unknown error kind", class = "nwsInvalidArgument")
})

test_that("an error raised by the core arrives as its kind's condition, with the core's code", {
  ws <- testWs()
  err <- tryCatch(nwsFetch(ws, "none", timeout = 0), error = identity)
  expect_identical(class(err), expectedClasses("timeout"))
  expect_identical(err$code, core$errors$code[core$errors$id == "timeout"])
  expect_identical(err$status, -1L)  # a local error
  nwsClose(ws)
  err <- tryCatch(nwsStore(ws, "x", 1), error = identity)
  expect_identical(class(err), expectedClasses("closed"))
})

test_that("the writer languages, descriptor bits and modes are the core's", {
  lang <- core$languages
  expect_identical(names(nws:::.nwsLanguage), lang$id)
  expect_identical(unname(nws:::.nwsLanguage), lang$number)
  names <- nws:::.nwsLanguageName[as.character(lang$number)]
  expect_identical(unname(names[lang$number > 0]), lang$display[lang$number > 0])
  d <- nws:::.nwsDescriptor
  for (f in c("direct_string", "binary", "language_shift", "language_mask")) expect_identical(d[[f]], core$descriptor[[f]])
  expect_identical(nws:::.descriptorR(TRUE, FALSE), core$descriptor$r_string)
  expect_identical(nws:::.descriptorR(TRUE, TRUE), core$descriptor$r_binary)
  expect_identical(nws:::.descriptorR(FALSE, FALSE), core$descriptor$r_serialized)
  expect_identical(nws:::.nwsModes, core$modes$name[core$modes$standard])
  expect_identical(nws:::.nwsDeclarableModes, core$modes$name[core$modes$declarable])
})

test_that("the package's version is the core's", {
  expect_identical(core$version, nws:::.nwsVersion)
  expect_identical(as.character(packageVersion("nws")), core$version)
})
