# R's part of the pipeline: a worker.  Fetches work items ("ID:n1,n2,...")
# until "STOP", stores "ID:sum of squares" for each as a result.
#   Rscript worker.R PORT WS NAME
suppressPackageStartupMessages(library(nws))
args <- commandArgs(trailingOnly = TRUE)
s <- nwsServer("127.0.0.1", as.integer(args[1]))
ws <- nwsUseWs(s, args[2])
done <- 0
repeat {
  item <- nwsFetch(ws, "work", timeout = 120)
  if (identical(item, "STOP")) break
  parts <- strsplit(item, ":", fixed = TRUE)[[1]]
  x <- as.numeric(strsplit(parts[2], ",", fixed = TRUE)[[1]])
  nwsStore(ws, "result", sprintf("%s:%.0f", parts[1], sum(x^2)))
  done <- done + 1
}
cat(sprintf("R worker %s: %d items\n", args[3], done))
nwsClose(s)
