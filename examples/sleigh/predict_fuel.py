"""Fuel economy for a table of new cars, predicted by an R model on R
workers, from a Python program: a cross-language sleigh.

    python examples/sleigh/predict_fuel.py [--workers N]

The master reads new_cars.csv (name, weight, horse power), starts R workers
that load fuel_model.R (which fits a linear model), and calls the R
function ``predict_mpg`` by name once per row; each row travels as a
portable map (an R named list there) and each answer comes back as a
dict.  Then it checks every prediction against the same least-squares fit
computed here from mtcars.csv, and exits non-zero on any difference, so a
test can run it.

Runs against the server named by $NWS_HOST/$NWS_PORT, or one it starts
inside itself.  R workers are started with ``Rscript`` from the PATH (or
$NWS_SLEIGH_RSCRIPT) and need the nws R package where R finds it
($R_LIBS).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time

from nws.sleigh import Sleigh, SleighTaskError

HERE = os.path.dirname(os.path.abspath(__file__))


def read_table(name: str) -> list:
    with open(os.path.join(HERE, name), newline="") as f:
        return list(csv.DictReader(f))


def least_squares(rows: list) -> list:
    """mpg ~ wt + hp by the normal equations: [intercept, b_wt, b_hp]."""
    xs = [[1.0, float(r["wt"]), float(r["hp"])] for r in rows]
    ys = [float(r["mpg"]) for r in rows]
    a = [[sum(x[i] * x[j] for x in xs) for j in range(3)] + [sum(x[i] * y for x, y in zip(xs, ys))]
         for i in range(3)]
    for col in range(3):  # Gauss-Jordan with partial pivoting
        pivot = max(range(col, 3), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(3):
            if r != col:
                f = a[r][col] / a[col][col]
                a[r] = [v - f * p for v, p in zip(a[r], a[col])]
    return [a[i][3] / a[i][i] for i in range(3)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    cars = [{"name": r["name"], "wt": float(r["wt"]), "hp": float(r["hp"])} for r in read_table("new_cars.csv")]
    start = time.monotonic()
    with Sleigh(language="r", load=[os.path.join(HERE, "fuel_model.R")], workerCount=args.workers) as s:
        predictions = s.eachElem("predict_mpg", [cars])
        workers = s.status()[0]
    seconds = time.monotonic() - start

    b0, b_wt, b_hp = least_squares(read_table("mtcars.csv"))
    problems = 0
    print("%-16s %6s %5s  %6s  %s" % ("car", "weight", "hp", "mpg", "95% interval"))
    for car, p in zip(cars, predictions):
        if isinstance(p, SleighTaskError):
            print("%-16s failed: %s" % (car["name"], p))
            problems += 1
            continue
        expected = b0 + b_wt * car["wt"] + b_hp * car["hp"]
        ok = abs(p["fit"] - expected) < 1e-9 * max(1.0, abs(expected)) and p["lwr"] < p["fit"] < p["upr"]
        problems += not ok
        print("%-16s %6.3f %5d  %6.2f  [%5.2f, %5.2f]%s" % (car["name"], car["wt"], car["hp"], p["fit"], p["lwr"],
                                                          p["upr"], "" if ok else "  <- expected %.4f" % expected))
    print("%d cars on %d R workers in %.2f s; %s" % (len(cars), workers, seconds,
                                                     "all agree with least squares here" if not problems
                                                     else "%d disagree" % problems))
    return 1 if problems or len(predictions) != len(cars) else 0


if __name__ == "__main__":
    sys.exit(main())
