# R's part of the pipeline: a worker.  Fetches work items (portable: a
# named list, id and a vector of numbers) until "STOP", and stores for each
# a portable result: list(id, sum of squares), which Java reads as a Map.
#   Rscript worker.R PORT WS NAME
suppressPackageStartupMessages(library(nws))
args <- commandArgs(trailingOnly = TRUE)
s <- nwsServer("127.0.0.1", as.integer(args[1]))
ws <- nwsUseWs(s, args[2])
done <- 0
repeat {
  item <- nwsFetch(ws, "work", timeout = 120)
  if (identical(item, "STOP")) break
  x <- as.numeric(item$numbers)
  nwsStore(ws, "result", list(id = item$id, sum = sum(x^2)), portable = TRUE)
  done <- done + 1
}
cat(sprintf("R worker %s: %d items\n", args[3], done))
nwsClose(s)
