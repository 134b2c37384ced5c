# The R side of predict_fuel.py: a fuel-economy model, fitted once when a
# worker loads this file (the sleigh's `load` option), and the function the
# Python master calls by name for each row of its table.
#
# The model is R's classic: miles per gallon from weight (1000 lbs) and
# horse power, on the mtcars data R ships (mtcars.csv beside this file is
# the same table, for the master's own check).
fuelModel <- lm(mpg ~ wt + hp, data = mtcars)

# One car (a named list from the master: name, wt, hp) -> its predicted mpg
# with a 95% prediction interval, as a named numeric vector (the master
# reads it as a dict).
predict_mpg <- function(car) {
  p <- predict(fuelModel, newdata = data.frame(wt = car$wt, hp = car$hp), interval = "prediction")
  c(fit = p[1, "fit"], lwr = p[1, "lwr"], upr = p[1, "upr"])
}
