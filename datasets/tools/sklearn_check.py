#!/usr/bin/env python3
"""Fit scikit-learn on a design matrix that leadscore exported, to check leadscore's weights and time against it.

leadscore minimises  sum_i logloss_i + (l2 / 2) * |w|^2  with the intercept unpenalised, which is scikit-learn's
LogisticRegression(C = 1 / l2). `leadscore features` (or `leadscore bench --export`) writes the matrix exactly as
the trainer sees it: an optional id column, a 0/1 label column, and the feature columns (numbers standardised,
0/1 levels centred and divided by 2).

  python3 datasets/tools/sklearn_check.py X.csv --id lead_id --l2 1 [--compare explain.json]
      [--solvers newton-cholesky,lbfgs] [--tol 1e-10] [--label label]

--compare takes `leadscore explain --format json` (intercept and coefficients by feature name) and prints, per
solver, the largest difference of a weight relative to max(|w|, 1e-3), and the intercept's absolute difference.
Prints JSON. Needs numpy and scikit-learn (pip install scikit-learn).
"""
import argparse
import csv
import json
import sys
import time

import numpy as np


def read_matrix(path, label, id_column):
    """Feature names, the matrix and the labels, skipping the id column."""
    with open(path, newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        skip = {label} | ({id_column} if id_column else set())
        keep = [j for j, name in enumerate(header) if name not in skip]
        y_at = header.index(label)
        values, labels = [], []
        for row in rows:
            values.append([float(row[j]) for j in keep])
            labels.append(float(row[y_at]))
    return [header[j] for j in keep], np.array(values, dtype=np.float64), np.array(labels)


def penalised_loss(X, y, intercept, w, l2):
    z = X @ w + intercept
    return float((np.logaddexp(0.0, z) - y * z).sum() + 0.5 * l2 * (w @ w))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv")
    parser.add_argument("--label", default="label")
    parser.add_argument("--id", default=None)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--solvers", default="newton-cholesky,lbfgs")
    parser.add_argument("--tol", type=float, default=1e-10)
    parser.add_argument("--compare", default=None)
    args = parser.parse_args()

    from sklearn.linear_model import LogisticRegression

    names, X, y = read_matrix(args.csv, args.label, args.id)
    ours = None
    if args.compare:
        with open(args.compare) as f:
            ours = json.load(f)
    report = {"rows": X.shape[0], "features": X.shape[1], "l2": args.l2, "fits": {}}
    for solver in filter(None, args.solvers.split(",")):
        started = time.perf_counter()
        fit = LogisticRegression(C=1.0 / args.l2, solver=solver, tol=args.tol, max_iter=10_000).fit(X, y)
        seconds = time.perf_counter() - started
        w, b = fit.coef_[0], float(fit.intercept_[0])
        entry = {"seconds": round(seconds, 4), "intercept": b, "objective": penalised_loss(X, y, b, w, args.l2),
                 "coefficients": dict(zip(names, map(float, w)))}
        if ours is not None:
            theirs = np.array([ours["coefficients"][name] for name in names])
            entry["largest_relative_difference"] = float(np.max(np.abs(theirs - w) / np.maximum(np.abs(w), 1e-3)))
            entry["intercept_difference"] = abs(float(ours["intercept"]) - b)
        report["fits"][solver] = entry
    json.dump(report, sys.stdout, indent=2, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
