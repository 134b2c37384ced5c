# Leased fetch (reliable consume): the value leaves its variable but stays
# the server's until the lease is acknowledged; if the holder's connection
# closes, or the lease's duration passes first, it goes back to the head of
# its variable for the next fetcher.  The protocol is the core's
# (nws::Lease); this file maps its types and its idiom to R.
#
# A lease is an "nwsLease" object: the native handle (src/lease.cpp), the
# workspace object it came from, its id and its variable.  Values come out
# as nwsFetch gives them and go in (nwsAckStore) as nwsStore puts them.
# Durations are seconds; a lease nobody settles releases its value when R
# collects the object.

nwsLease <- function(.Object, xName, duration = 300, timeout = NULL) {
  ws <- .wsArg(.Object)
  .newLease(ws, .nws(.nws_lease(ws$ptr, xName, duration, timeout)))
}

nwsLeaseTry <- function(.Object, xName, duration = 300) {
  ws <- .wsArg(.Object)
  r <- .nws(.nws_lease_try(ws$ptr, xName, duration))
  if (isTRUE(r$found)) .newLease(ws, r) else NULL
}

.newLease <- function(ws, r)
  structure(list(ptr = r$ptr, ws = ws, id = r$id, variable = r$variable), class = "nwsLease")

.leaseArg <- function(lease, call = sys.call(-1)) {
  if (!inherits(lease, "nwsLease"))
    .nwsStop("invalid argument", "expected an nwsLease object (from nwsLease or nwsLeaseTry)", call = call)
  lease
}

# The value, decoded as nwsFetch decodes it, every time it is asked for (it
# stays readable after the lease is settled).  A value R cannot read raises
# nwsSerialisation and leaves the lease as it was.
nwsLeaseValue <- function(lease) {
  l <- .leaseArg(lease)
  .decodeValue(.nws(.nws_lease_value(l$ptr)), l$ws$name, l$variable)
}

nwsLeaseSettled <- function(lease) isTRUE(.nws_lease_settled(.leaseArg(lease)$ptr))

nwsAck <- function(lease) {
  l <- .leaseArg(lease)
  invisible(.nws(.nws_lease_ack(l$ptr)))
}

# Stores xVal into xName of the lease's workspace and acknowledges the lease,
# both or neither; xVal is encoded as nwsStore encodes it (portable: NULL is
# the default of the workspace object the lease came from).
nwsAckStore <- function(lease, xName, xVal, portable = NULL) {
  l <- .leaseArg(lease)
  if (.portableArg(portable, l$ws$portable) && !.isPlain(xVal))
    return(invisible(.nws(.nws_lease_ack_store_portable(l$ptr, xName, xVal))))
  v <- .encodeValue(xVal)
  invisible(.nws(.nws_lease_ack_store(l$ptr, xName, v$descriptor, v$bytes)))
}

nwsRelease <- function(lease) {
  l <- .leaseArg(lease)
  invisible(.nws(.nws_lease_release(l$ptr)))
}

nwsRenew <- function(lease, duration) {
  l <- .leaseArg(lease)
  if (missing(duration)) .nwsStop("invalid argument", "nwsRenew needs a duration (seconds)")
  invisible(.nws(.nws_lease_renew(l$ptr, duration)))
}

# The idiom: lease a value, run fun on it, acknowledge the lease when fun
# returns (its result is the result), release it when fun does not (an
# error, an interrupt), the condition going on unchanged.  fun gets the
# lease too, to settle it itself (nwsAckStore), when it has an argument
# named `lease` or a second argument without a default: fun(value, lease =
# lease) or fun(value, lease).  A lease fun settled is left as it is.
nwsWithLease <- function(.Object, xName, fun, duration = 300, timeout = NULL) {
  .wsArg(.Object)
  fun <- tryCatch(match.fun(fun), error = function(e) NULL)
  if (!is.function(fun))
    .nwsStop("invalid argument", "fun must be a function (or the name of one)")
  lease <- nwsLease(.Object, xName, duration = duration, timeout = timeout)
  returned <- FALSE
  on.exit(if (!returned && identical(.nws_lease_settled(lease$ptr), FALSE))
            try(.nws(.nws_lease_release(lease$ptr)), silent = TRUE))
  value <- nwsLeaseValue(lease)
  result <- withVisible(switch(.leaseArgOf(fun),
                              named = fun(value, lease = lease),
                              positional = fun(value, lease),
                              fun(value)))
  returned <- TRUE
  if (identical(.nws_lease_settled(lease$ptr), FALSE)) nwsAck(lease)
  if (result$visible) result$value else invisible(result$value)
}

# How nwsWithLease hands fun the lease: "named" (an argument `lease`, not
# the first), "positional" (a second argument before any `...`, without a
# default) or "none".
.leaseArgOf <- function(fun) {
  f <- formals(if (is.primitive(fun)) args(fun) else fun)
  nm <- names(f)
  if (length(nm) >= 2L && "lease" %in% nm[-1L]) return("named")
  dots <- match("...", nm)
  if (!is.na(dots)) nm <- nm[seq_len(dots - 1L)]
  if (length(nm) >= 2L && .isMissingArg(f[[2L]])) return("positional")
  "none"
}

.isMissingArg <- function(x) is.name(x) && !nzchar(as.character(x))

print.nwsLease <- function(x, ...) {
  settled <- .nws_lease_settled(x$ptr)
  state <- if (is.na(settled)) "unusable (restored from a saved session)"
           else if (settled) "settled" else "unsettled"
  cat(sprintf("<nwsLease %.0f of variable '%s' in workspace '%s', %s>\n", x$id, x$variable, x$ws$name, state))
  invisible(x)
}
