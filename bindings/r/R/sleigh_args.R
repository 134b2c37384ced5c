# eachElem's arguments, as the original nws 1.7 forms them (SLEIGH.md
# §6.2): every element argument is cut into elements (vectors and lists
# element by element; matrices and data frames by row, column or cell);
# the longest gives the number of tasks and shorter ones are recycled;
# task i's argument list is its elements, then fixedArgs, reordered by
# argPermute.

.byChoices <- c("row", "column", "cell")

# How many elements `x` has when cut `by`.
.countElements <- function(x, by) {
  if (is.matrix(x)) switch(by, row = nrow(x), column = ncol(x), cell = length(x))
  else if (is.data.frame(x)) switch(by, row = nrow(x), column = ncol(x), cell = nrow(x) * ncol(x))
  else length(x)
}

# Element i (1-based) of `x` cut `by`.  A data frame's row is a list of its
# columns' values, a column a vector, a cell one value (cells count down
# the columns, as a matrix's do).
.elementOf <- function(x, i, by) {
  if (is.matrix(x)) {
    switch(by, row = x[i, , drop = TRUE], column = x[, i, drop = TRUE], cell = x[i])
  } else if (is.data.frame(x)) {
    switch(by,
           row = x[i, , drop = TRUE],
           column = x[, i, drop = TRUE],
           cell = x[[(i - 1L) %/% nrow(x) + 1L]][(i - 1L) %% nrow(x) + 1L])
  } else if (is.list(x)) {
    x[[i]]
  } else {
    x[i]
  }
}

# The element arguments as a list of arguments, and the number of tasks.
# A single vector, matrix or data frame is one argument.
.elementArgsOf <- function(elementArgs, by) {
  if (!is.list(elementArgs) || is.data.frame(elementArgs)) elementArgs <- list(elementArgs)
  counts <- vapply(elementArgs, .countElements, numeric(1), by = by)
  n <- if (length(counts)) max(counts) else 0
  if (length(counts) && any(counts == 0) && n > 0)
    stop("eachElem: an element argument is empty, so there is nothing to recycle it from", call. = FALSE)
  if (n > 0 && any(n %% counts != 0))
    warning("elementArgs contains arguments of inconsistent length", call. = FALSE)
  list(args = elementArgs, counts = counts, n = n, by = by)
}

# The argument lists of tasks `indices` (1-based), from .elementArgsOf().
# Vectors and lists without names are sliced whole (the common case, and
# per element R's overhead would cost more than the task); the rest goes
# element by element.
.taskArgs <- function(ea, indices, fixedArgs, argPermute) {
  cols <- lapply(seq_along(ea$args), function(j) {
    x <- ea$args[[j]]
    at <- (indices - 1) %% ea$counts[[j]] + 1
    if (is.null(dim(x)) && !is.data.frame(x) && is.null(names(x)) && is.null(attributes(x)))
      as.list(x[at])
    else
      lapply(at, function(i) .elementOf(x, i, ea$by))
  })
  names(cols) <- names(ea$args)
  out <- .mapply(list, cols, NULL)
  if (length(fixedArgs) || !is.null(argPermute)) {
    out <- lapply(out, function(a) {
      a <- c(a, fixedArgs)
      if (!is.null(argPermute)) a[argPermute] else a
    })
  }
  out
}

# The argument lists of the next `count` tasks from elementFunc (called with
# the task index, and `by` if it takes two arguments), stopping at the
# first error, which ends the job (its message, if any, as a warning).
.generatedArgs <- function(elementFunc, first, count, by, fixedArgs, argPermute) {
  nargs <- length(formals(elementFunc))
  out <- list()
  for (i in first + seq_len(count)) {
    ended <- FALSE
    v <- tryCatch(switch(as.character(min(nargs, 2L)), "0" = elementFunc(), "1" = elementFunc(i),
                         "2" = elementFunc(i, by)),
                  error = function(e) {
                    if (nzchar(conditionMessage(e))) warning(conditionMessage(e), call. = FALSE)
                    ended <<- TRUE
                    NULL
                  })
    if (ended) return(list(args = out, ended = TRUE))
    if (!is.list(v)) v <- list(v)
    a <- c(v, fixedArgs)
    out[[length(out) + 1L]] <- if (!is.null(argPermute)) a[argPermute] else a
  }
  list(args = out, ended = FALSE)
}
