# The trivial task of bench/sleigh's per-language rows, for R workers.
inc <- function(x) x + 1
