# A progress bar on long jobs: utils::txtProgressBar on stderr.  The
# option `progress` (of the sleigh, or of one call's eo) turns it on; NULL
# means getOption("nws.progress", FALSE), and then only in an interactive
# session, so scripts and logs stay quiet.  progress = TRUE shows it
# always.  `total` NA (an elementFunc job) counts without an end.
.sleighProgress <- function(enabled, total) {
  none <- list(update = function(n) NULL, close = function() NULL)
  if (is.null(enabled)) enabled <- isTRUE(getOption("nws.progress", FALSE)) && interactive()
  if (!isTRUE(enabled) || is.na(total) || total <= 0) return(none)
  bar <- utils::txtProgressBar(min = 0, max = total, style = 3, file = stderr())
  closed <- FALSE
  list(update = function(n) utils::setTxtProgressBar(bar, min(n, total)),
       close = function() if (!closed) {
         closed <<- TRUE
         close(bar)
       })
}
