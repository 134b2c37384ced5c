# The R half of bench/values/run.sh: times its side of each transfer.
#   Rscript bench.R HOST PORT store KIND N   store N values of KIND, print each store's seconds
#   Rscript bench.R HOST PORT fetch KIND N   fetch N values of KIND, print each fetch's seconds
# KIND: portable (a 10-million-element numeric vector, portable) or raw (its
# bytes, writeBin, as a raw vector).  Timings cover the conversions.
suppressMessages(library(nws))
args <- commandArgs(trailingOnly = TRUE)
host <- args[1]; port <- as.integer(args[2]); what <- args[3]; kind <- args[4]; n <- as.integer(args[5])
elements <- 1e7
ws <- netWorkSpace("bench_values", serverHost = host, port = port, useUse = TRUE)
x <- (0:(elements - 1)) / 7
for (i in seq_len(n)) {
  t <- as.numeric(Sys.time())
  if (what == "store") {
    if (kind == "portable") nwsStore(ws, paste0("r_", kind), x, portable = TRUE)
    else nwsStore(ws, paste0("r_", kind), writeBin(x, raw()))
    cat(as.numeric(Sys.time()) - t, "\n")
  } else {
    got <- nwsFetch(ws, paste0("py_", kind))
    cat(as.numeric(Sys.time()) - t, "\n")
    stopifnot(length(got) == elements * (if (kind == "portable") 1 else 8))
  }
}
nwsClose(ws)
