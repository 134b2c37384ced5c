# The sleigh: the original nws 1.7 API (SLEIGH.md §6, §8) over the core's
# master (src/sleigh.cpp).  The core keeps the workspace layout, the join,
# chunk bookkeeping, launching and fault tolerance; this file turns R
# values into the bytes it carries (serialize) and back, and keeps the
# original names, arguments and defaults.

# SLEIGH.md §8, the R 1.7 options, and ours.
.sleighDefaults <- list(
  nodeList = NULL,            # for a launch function: one worker per entry (default 3 x localhost)
  workerCount = NULL,         # local: one per core; slurm: $SLURM_NTASKS; function: nodeList recycled to it
  launch = "local",           # 'local', 'web', 'slurm', or a function(host, options) -> command prefix
  nwsHost = NULL,             # NULL: $RSleighNwsHost, $NWS_HOST, else localhost
  nwsPort = NULL,             # NULL: $RSleighNwsPort, $NWS_PORT, else 8765
  nwsHostRemote = NULL,       # where workers connect, if not where the master does
  nwsPortRemote = NULL,
  workingDir = NULL,          # workers' directory (default: the master's)
  logDir = NULL,              # workers' output goes to <logDir>/<sleigh ws>_<id>.txt
  outfile = NULL,             # accepted from old scripts; the file names are the core's
  user = NULL,                # for sshcmd and sshforwardcmd; and the NWS user (with password)
  passwd = NULL,
  wsNameTemplate = "sleigh_ride_%04d",
  userWsNameTemplate = "sleigh_user_%04d",
  verbose = FALSE,            # workers' output into files in workingDir (when no logDir)
  rprog = NULL,               # the workers' Rscript (default: this R's)
  scriptExec = NULL, scriptDir = NULL, scriptName = NULL, workerWrapper = NULL,
  simpleQuote = FALSE, python = NULL,   # the original's worker scripts: not needed any more
  # Beyond the original:
  language = "r",             # the workers' language: "r", "python", "java", "perl" or "ruby"
  load = NULL,                # what each worker loads before its first task (R: .R files to source, packages)
  modulePath = NULL,          # the workers' extra search path (R: library paths; Python: sys.path, ...)
  progress = NULL,            # a progress bar on eachElem (see .sleighProgress)
  libPaths = NULL,            # the workers' library path (default: .libPaths())
  slurmArgs = character(),    # extra srun / sbatch options
  inboxDepth = 2L,            # chunks queued per worker
  stopTimeout = 10,           # seconds stopSleigh waits for the workers to go
  joinTimeout = NULL,         # eachWorker waits this long for the group (NULL: for ever)
  # TLS and credentials (docs/security.md), for the master's connections
  # and, through the core's launcher, the workers' (NULL: $NWS_TLS, ...).
  tls = NULL, tlsCa = NULL, tlsCert = NULL, tlsKey = NULL, tlsServerName = NULL,
  password = NULL, token = NULL
)

# The sleigh's TLS and credential options, as the glue takes them.  `user`
# is the original's ssh login (sshcmd); it is the NWS user too when a
# password is given (else $NWS_USER is), as in the Python sleigh.
.sleighSecurity <- function(o)
  .securityOptions(o$tls, o$tlsCa, o$tlsCert, o$tlsKey, o$tlsServerName,
                   if (!is.null(o$password)) o$user, o$password, o$token)

# Options of the original that no longer do anything: a script passing
# them runs, with a word that they are not used.
.sleighUnused <- c("outfile", "passwd", "scriptExec", "scriptDir", "scriptName", "workerWrapper", "python")

# What a worker process runs.
.workerScript <- "library(nws); quit(save = 'no', status = cmdLaunch())"

.sleighManualCommand <- "library(nws); launch('{ws}', '{host}', {port}, userNwsName='{userws}')"

`%||%` <- function(a, b) if (is.null(a)) b else a


sleigh <- function(...) {
  given <- list(...)
  if (length(given) && (is.null(names(given)) || any(!nzchar(names(given)))))
    .nwsStop("invalid argument", "sleigh: every option is named, e.g. sleigh(workerCount = 2)")
  unknown <- setdiff(names(given), names(.sleighDefaults))
  if (length(unknown))
    .nwsStop("invalid argument", sprintf("sleigh: unknown option(s) %s (known: %s)", paste(unknown, collapse = ", "),
                                         paste(names(.sleighDefaults), collapse = ", ")))
  if (identical(toupper(Sys.getenv("RSleighAllowed")), "FALSE"))
    .nwsStop("invalid argument", "sleigh: a sleigh cannot be created inside a sleigh worker")
  o <- .sleighDefaults
  for (n in names(given)) o[n] <- list(given[[n]])
  .checkSleighOptions(o, call = sys.call())
  unused <- intersect(names(given), .sleighUnused)
  if (length(unused))
    warning(sprintf("sleigh: option(s) %s not used: workers are started by the core, their output goes to %s",
                    paste(unused, collapse = ", "), "<logDir>/<sleigh workspace>_<id>.txt"), call. = FALSE)

  launch <- o$launch
  if (identical(launch, "service"))
    .nwsStop("invalid argument", "sleigh: launch = 'service' (the Windows service) is not supported; use 'local', 'web', 'slurm' or a launch function such as sshcmd")
  if (!is.function(launch) && !(is.character(launch) && length(launch) == 1L && launch %in% c("local", "web", "slurm")))
    .nwsStop("invalid argument", "sleigh: launch must be 'local', 'web', 'slurm' or a function such as sshcmd")

  kind <- if (is.function(launch)) "command" else c(local = "local", web = "manual", slurm = "slurm")[[launch]]
  language <- .nws(.nws_sleigh_language_id(o$language))
  if (language != "r" && kind == "manual")
    .nwsStop("invalid argument", sprintf("sleigh: launch = 'web' starts R workers by hand; %s workers start with 'local', 'slurm' or a launch function", language))
  s <- new.env(parent = emptyenv())
  class(s) <- "sleigh"
  s$options <- o
  s$language <- language
  s$security <- .sleighSecurity(o)
  s$server <- NULL
  .sleighResolveServer(s, kind)

  nodeList <- as.character(o$nodeList %||% character())
  prefixes <- list()
  remoteHost <- o$nwsHostRemote
  remotePort <- o$nwsPortRemote
  if (kind == "command") {
    # The original's rule: one worker per node, three times localhost by
    # default; with workerCount, the node list recycled to that many.
    if (is.null(o$workerCount)) {
      if (!length(nodeList)) nodeList <- rep("localhost", 3)
    } else {
      nodeList <- rep(if (length(nodeList)) nodeList else "localhost", length.out = o$workerCount)
    }
    if (identical(launch, sshforwardcmd)) {
      remoteHost <- remoteHost %||% "localhost"
      remotePort <- remotePort %||% s$port
    }
    lo <- o
    lo$nwsHost <- s$host
    lo$nwsPort <- s$port
    lo$nwsHostRemote <- remoteHost
    lo$nwsPortRemote <- remotePort
    for (node in unique(nodeList)) prefixes[[node]] <- as.character(launch(node, lo))
  }
  workingDir <- o$workingDir %||% getwd()
  logDir <- o$logDir %||% (if (isTRUE(o$verbose)) workingDir else "")
  rprog <- o$rprog %||% file.path(R.home("bin"), "Rscript")
  libPaths <- o$libPaths %||% .libPaths()
  master <- list(
    host = s$host, port = s$port, wsNameTemplate = o$wsNameTemplate, userWsNameTemplate = o$userWsNameTemplate,
    kind = kind, workerCount = as.integer(o$workerCount %||% 0L), nodeList = nodeList, prefixes = prefixes,
    # R workers run this R's Rscript; another language's, the core's
    # default program for it (its interpreter from $NWS_SLEIGH_<LANG>).
    language = language, load = .sleighLoad(o$load, language), modulePath = paste(o$modulePath, collapse = ":"),
    workerProgram = if (language == "r") c(rprog, "--no-save", "--no-restore", "-e", .workerScript) else character(),
    workingDir = workingDir, logDir = logDir, remoteHost = remoteHost %||% "", remotePort = remotePort,
    slurmArgs = as.character(o$slurmArgs), extraEnv = c(R_LIBS = paste(libPaths, collapse = .Platform$path.sep)),
    manualCommand = .sleighManualCommand, inboxDepth = as.integer(o$inboxDepth),
    stopTimeout = as.numeric(o$stopTimeout), security = s$security)
  s$ptr <- tryCatch(.nws(.nws_sleigh_master(master)), error = function(e) {
    if (!is.null(s$server)) nwsStopServer(s$server)
    stop(e)
  })
  info <- .nws_sleigh_info(s$ptr)
  s$wsName <- info$wsName
  s$userWsName <- info$userWsName
  s$launched <- info$launched
  s$nwsObject <- NULL
  s$userNwsObject <- NULL
  reg.finalizer(s, function(e) try(stopSleigh(e), silent = TRUE), onexit = TRUE)
  s
}

# The load option as the workers' environment carries it, ':'-separated.
# An R file that exists here is named by its absolute path, so that workers
# in another directory (workingDir) source the same file.
.sleighLoad <- function(load, language) {
  if (is.null(load)) return("")
  if (language == "r") {
    local <- grepl("[.][Rr]$", load) & file.exists(load)
    load[local] <- normalizePath(load[local])
  }
  if (any(grepl(":", load, fixed = TRUE)))
    .nwsStop("invalid argument", "sleigh: a load entry cannot contain ':' (the workers' environment separates entries with it)")
  paste(load, collapse = ":")
}

# The core's rule for the master's server (options, $RSleighNwsHost/Port,
# $NWS_HOST/PORT); when it says so, a local sleigh starts one inside R.
.sleighResolveServer <- function(s, kind) {
  o <- s$options
  choice <- .nws(.nws_sleigh_choose_server(o$nwsHost, o$nwsPort, kind))
  host <- choice$host
  port <- choice$port
  if (isTRUE(choice$start_embedded)) {
    s$server <- nwsStartServer()
    host <- s$server$host
    port <- s$server$port
  }
  if (is.null(host) || is.null(port)) {
    srv <- .nwsConnect(host, port, security = s$security)
    host <- srv$serverHost
    port <- srv$port
    nwsClose(srv)
  }
  s$host <- host
  s$port <- port
}

.sleighPtr <- function(s, call = sys.call(-1)) {
  if (!inherits(s, "sleigh")) .nwsStop("invalid argument", "expected a sleigh object", call = call)
  if (is.null(s$ptr) || isTRUE(.nws_sleigh_info(s$ptr)$stopped))
    .nwsStop("closed", "this sleigh has been stopped", call = call)
  s$ptr
}

# The sleigh workspace, and the user workspace (SleighUserNws on workers).
.sleighNws <- function(s) {
  if (is.null(s$nwsObject)) s$nwsObject <- .sleighWs(s, s$wsName)
  s$nwsObject
}

# A new connection to the sleigh's server (its TLS and credentials) using
# the workspace `name`.
.sleighWs <- function(s, name)
  nwsUseWs(.nwsConnect(s$host, s$port, security = s$security), name, create = FALSE)

netWorkSpaceObject <- function(s) {
  .sleighPtr(s)
  .sleighNws(s)
}

userNetWorkSpaceObject <- function(s) {
  .sleighPtr(s)
  if (is.null(s$userNwsObject)) s$userNwsObject <- .sleighWs(s, s$userWsName)
  s$userNwsObject
}

# ---- the pool -----------------------------------------------------------

status <- function(s, closeGroup = FALSE, timeout = 0) {
  if (!is.logical(closeGroup) || length(closeGroup) != 1L || is.na(closeGroup))
    .nwsStop("invalid argument", "closeGroup must be TRUE or FALSE")
  if (!is.numeric(timeout) || length(timeout) != 1L || is.na(timeout) || timeout < 0)
    .nwsStop("invalid argument", "timeout must be a number of seconds, 0 or more")
  .nws(.nws_sleigh_status(.sleighPtr(s), closeGroup, as.numeric(timeout)))
}

# The next rank to hand out, or -1 once the group is closed.
rankCount <- function(s) {
  st <- status(s)
  if (st$closed) -1L else as.integer(st$numWorkers)
}

# The number of workers: the final count once the group is closed, else
# the number launched (or joined so far, when a person starts them).
workerCount <- function(s) {
  st <- status(s)
  if (st$closed || s$launched == 0) as.integer(st$numWorkers) else as.integer(s$launched)
}

workerInfo <- function(s) {
  records <- .nws(.nws_sleigh_worker_info(.sleighPtr(s)))
  rows <- lapply(records, function(r) {
    kv <- strsplit(strsplit(r, "\n", fixed = TRUE)[[1]], "=", fixed = TRUE)
    stats::setNames(vapply(kv, function(p) paste(p[-1], collapse = "="), ""), vapply(kv, `[`, "", 1))
  })
  field <- function(k) vapply(rows, function(r) if (is.na(r[k])) "" else r[[k]], "")
  df <- data.frame(host = field("host"), os = field("os"), pid = as.integer(field("pid")), R = field("language"),
                   nws = field("nws"), rank = as.integer(field("rank")), logfile = field("logfile"),
                   id = as.integer(field("id")), name = field("name"), stringsAsFactors = FALSE)
  df[order(df$rank), , drop = FALSE]
}

stopSleigh <- function(s) {
  if (!inherits(s, "sleigh")) .nwsStop("invalid argument", "expected a sleigh object")
  for (w in list(s$nwsObject, s$userNwsObject)) if (!is.null(w)) try(nwsClose(w), silent = TRUE)
  s$nwsObject <- s$userNwsObject <- NULL
  if (!is.null(s$ptr)) .nws(.nws_sleigh_stop(s$ptr))
  if (!is.null(s$server)) {
    nwsStopServer(s$server)
    s$server <- NULL
  }
  invisible(NULL)
}

close.sleigh <- function(con, ...) stopSleigh(con)

print.sleigh <- function(x, ...) {
  if (is.null(x$ptr) || isTRUE(.nws_sleigh_info(x$ptr)$stopped)) {
    cat("<sleigh (stopped)>\n")
  } else {
    info <- .nws_sleigh_info(x$ptr)
    lang <- if (identical(x$language, "r")) "" else sprintf(" (%s)", x$language)
    cat(sprintf("<sleigh %s on %s:%d, %d workers%s>\n", info$wsName, x$host, x$port, info$workersAlive, lang))
  }
  invisible(x)
}

# ---- launchers ----------------------------------------------------------

sshcmd <- function(host, options) .nws_sleigh_ssh_prefix(host, as.character(options$user %||% ""))

sshforwardcmd <- function(host, options) {
  .nws(.nws_sleigh_ssh_forward_prefix(host, as.character(options$user %||% ""),
                                      options$nwsPortRemote %||% options$nwsPort, as.character(options$nwsHost),
                                      options$nwsPort, as.character(options$nwsHostRemote %||% "")))
}

# The manual start (the line a person pastes from runMe): starts one R
# worker process for the sleigh `nwsName` on this machine.  It runs in a
# session of its own, so the sentinel that ends it never touches this one.
launch <- function(nwsName, nwsHost = "localhost", nwsPort = 8765, maxWorkers = 1000, userNwsName = "",
                   workingDir = getwd(), logDir = NULL, rprog = NULL, libPaths = .libPaths()) {
  logDir <- logDir %||% ""
  out <- if (nzchar(logDir)) sprintf("%s_manual_%d.txt", nwsName, Sys.getpid()) else ""
  env <- .nws(.nws_sleigh_worker_environment(nwsName, nwsHost, nwsPort, userNwsName, workingDir, logDir, out))
  env <- c(env, R_LIBS = paste(libPaths, collapse = .Platform$path.sep))
  rprog <- rprog %||% file.path(R.home("bin"), "Rscript")
  output <- if (nzchar(out)) file.path(logDir, out) else FALSE
  system2(rprog, c("--no-save", "--no-restore", "-e", shQuote(.workerScript)),
          env = paste0(names(env), "=", vapply(env, shQuote, "")), stdout = output, stderr = output, wait = FALSE)
  invisible(NULL)
}
