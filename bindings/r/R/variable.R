# nwsVariable: an R variable mirrored by an NWS variable through an active
# binding.  Assigning stores; reading fetches (fifo, lifo) or finds (multi,
# single), waiting for a value as nwsFetch/nwsFind do.

nwsVariable <- function(xName, ws, mode = c("fifo", "lifo", "multi", "single"),
                        env = parent.frame(), force = FALSE, quietly = FALSE) {
  ws <- .wsArg(ws)
  if (missing(mode)) mode <- mode[1L]
  # The core's checks, before the environment is touched.
  mode <- .nws(.nws_mode(mode))
  xName <- .nws(.nws_variable_name(xName))
  if (exists(xName, envir = env, inherits = FALSE)) {
    if (!isTRUE(force))
      .nwsStop("invalid argument", sprintf("'%s' already exists in the environment (use force = TRUE)", xName))
    rm(list = xName, envir = env)
  }
  nwsDeclare(ws, xName, mode)
  get <- if (mode %in% c("fifo", "lifo")) nwsFetch else nwsFind
  makeActiveBinding(xName, function(v) {
    if (missing(v)) get(ws, xName) else nwsStore(ws, xName, v)
  }, env)
  if (!isTRUE(quietly)) message(sprintf("'%s' is now bound to the NWS variable in '%s' (%s)", xName, ws$name, mode))
  invisible(NULL)
}
