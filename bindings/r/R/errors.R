# Errors as R conditions, and interrupts.
#
# Every error kind of the core's table (R/tables.R, generated from it) is a
# condition class: nws<Kind>, then its parents' classes up to nwsError, then
# "error" and "condition", so callers catch one kind
# (tryCatch(..., nwsTimeout = ...)), a group (nwsCommunication,
# nwsOperation) or all of them (nwsError).

# A condition object of the kind's class vector.  `status` and `reason` are
# the server's status code and reason text (-1 / "" for local errors).
nwsCondition <- function(kind, message, call = NULL, status = -1L, reason = "") {
  row <- if (is.character(kind) && length(kind) == 1L && !is.na(kind)) .nwsErrorTable[[kind]]
  if (is.null(row))
    stop(nwsCondition("invalid argument", call = sys.call(), message = paste0(
      "unknown error kind ", deparse(kind), ": use one of ", paste(sQuote(names(.nwsErrorTable), FALSE), collapse = ", "))))
  structure(class = row$classes,
            list(message = message, call = call, kind = row$name, code = row$code,
                 status = as.integer(status), reason = reason))
}

.nwsStop <- function(kind, message, call = sys.call(-1)) {
  stop(nwsCondition(kind, message, call = call))
}

# Runs what a native call returned through: a failure becomes its classed
# condition, raised here, in R, once the C++ side has unwound; an interrupt
# is signalled again (see .nwsInterrupt), `arrived` turning the value that
# came with it into what the call would have returned; anything else is the
# result.
.nws <- function(result, call = sys.call(-1), arrived = NULL) {
  if (inherits(result, "nws_failure_info")) {
    msg <- result$message
    # The server's reason text, if it adds something (a timeout's
    # withdrawal reply says only "Request cancelled").
    if (nzchar(result$reason) && !(result$kind %in% c("timeout", "cancelled")) &&
        !grepl(result$reason, msg, fixed = TRUE))
      msg <- paste0(msg, ": ", result$reason)
    stop(nwsCondition(result$kind, msg, call = call, status = result$status, reason = result$reason))
  }
  if (inherits(result, "nws_interrupt_info")) .nwsInterrupt(result$value, arrived, call)
  result
}

# A blocking call ended by an interrupt (Ctrl-C).  The native side consumed
# R's interrupt to stop the call without a longjmp through C++, so it is
# signalled again here, as R signals one: a condition of class "interrupt"
# for tryCatch(interrupt = ...) and calling handlers, then, if nothing took
# it, back to the top level (a script stops there, as on a real interrupt).
# If the value had arrived before the call was withdrawn, it is no longer
# on the server: the condition carries it as `value` (arrived = TRUE), so
# neither the value nor the interrupt is lost.  Its class is the kind
# "cancelled" of the core's table as an interrupt, not an error:
# c("nwsCancelled", "interrupt", "condition").
.nwsInterrupt <- function(v, arrived, call) {
  cond <- structure(class = c(.nwsErrorTable[["cancelled"]]$classes[1L], "interrupt", "condition"),
                    list(message = "interrupted", call = call, kind = "cancelled",
                         code = .nwsErrorTable[["cancelled"]]$code, arrived = !is.null(v)))
  if (!is.null(v)) {
    cond$message <- "interrupted; the value had arrived and is in $value"
    # A value R cannot read (or a file that cannot be written) still
    # leaves the interrupt to signal: the error goes along as $error.
    got <- tryCatch(list(value = if (is.null(arrived)) v else arrived(v)), error = function(e) list(error = e))
    cond["value"] <- list(got$value)
    if (!is.null(got$error)) cond$error <- got$error
  }
  signalCondition(cond)
  invokeRestart("abort")
}
