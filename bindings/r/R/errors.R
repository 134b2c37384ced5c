# Errors as R conditions.  Every error this package raises has class
# "nwsError" (the base) and one class per kind, so callers can catch
# tryCatch(..., nwsTimeout = function(e) ...) or all of them with nwsError.
# The kinds are the C++ client's error table (nws::Errc).

.nwsErrorClasses <- c(
  "connection" = "nwsConnectionError",
  "connection dropped" = "nwsConnectionDropped",
  "no such workspace" = "nwsNoSuchWorkspace",
  "not opened" = "nwsNotOpened",
  "declaration failed" = "nwsDeclarationFailed",
  "operation failed" = "nwsOperationFailed",
  "server error" = "nwsServerError",
  "protocol" = "nwsProtocolError",
  "serialisation" = "nwsSerialisationError",
  "cancelled" = "nwsCancelled",
  "timeout" = "nwsTimeout",
  "closed" = "nwsClosed",
  "unsupported" = "nwsUnsupported",
  "invalid argument" = "nwsInvalidArgument"
)

# A condition object of the kind's class; `status` and `reason` are the
# server's status code and reason text (-1 / "" for local errors).
nwsCondition <- function(kind, message, call = NULL, status = -1L, reason = "") {
  cls <- .nwsErrorClasses[[kind]]
  structure(class = c(cls, "nwsError", "error", "condition"),
            list(message = message, call = call, kind = kind,
                 status = as.integer(status), reason = reason))
}

.nwsStop <- function(kind, message, call = sys.call(-1)) {
  stop(nwsCondition(kind, message, call = call))
}

# Runs a native call; a failure it reports becomes a classed condition
# raised here, in R, once the C++ side has unwound.
.nws <- function(result, call = sys.call(-1)) {
  if (inherits(result, "nws_failure_info")) {
    msg <- result$message
    # The server's reason text, if it adds something (a timeout's
    # withdrawal reply says only "Request cancelled").
    if (nzchar(result$reason) && !(result$kind %in% c("timeout", "cancelled")) &&
        !grepl(result$reason, msg, fixed = TRUE))
      msg <- paste0(msg, ": ", result$reason)
    stop(nwsCondition(result$kind, msg, call = call,
                      status = result$status, reason = result$reason))
  }
  result
}
