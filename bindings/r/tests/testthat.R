library(testthat)
library(nws)
test_check("nws")
