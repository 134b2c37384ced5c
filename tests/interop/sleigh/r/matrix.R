# The cross-language sleigh matrix's R function (tests/interop/sleigh):
# every master runs `combine` on R workers, which source this file (the
# sleigh's load option), and checks what comes back.
#
# combine(i, x, label, tags): i an integer, x a real, label a string, tags
# three strings.  The result is a map (a named list): i + 1 as an integer,
# x * 2 as a real, label tagged with the worker's language, the number of
# tags, and the worker's language.
combine <- function(i, x, label, tags) {
  # Masters whose integers arrive as doubles (none should, but a whole
  # double is still an index) get an integer back all the same.
  stopifnot(length(i) == 1L, i == round(i), is.double(x), length(x) == 1L, is.character(label))
  list(i = as.integer(i) + 1L, x = x * 2, label = paste0(label, "@r"), n = length(tags), lang = "r")
}
