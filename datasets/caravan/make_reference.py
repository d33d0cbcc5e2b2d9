#!/usr/bin/env python3
"""Reference fit of leadscore's trainer objective on the CoIL 2000 Caravan data.

Reads datasets/external/Caravan.csv (run fetch.sh first), encodes it with the same Python mirror of
leadscore's table encoding that writes the test fixtures (Tests/TrainingTests/Fixtures/make_fixtures.py:
all 85 columns are numeric, so encoding = standardise each column with its population std), and fits

  minimise over (b, w)  sum_i logloss(y_i, sigmoid(b + x_i . w)) + (lambda / 2) * |w|^2

with scikit-learn (newton-cholesky and lbfgs, tol 1e-10) at lambda = 1.0, written to reference.json.

It also tries lambda = 0. On this data the unpenalised maximum-likelihood estimate does not exist
(quasi-complete separation: PVRAAUT / AVRAAUT are non-zero for 9 customers, none of them buyers) and
MHHUUR / MHKOOP (and MZFONDS / MZPART) are nearly collinear, so the coefficients drift and statsmodels
does not converge. reference_unpenalised.json is written only if that fit converges cleanly.

  python3 datasets/caravan/make_reference.py
"""
import hashlib
import importlib.util
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DATA = os.path.join(ROOT, "datasets", "external", "Caravan.csv")
PRODUCED_BY = "datasets/caravan/make_reference.py"
LABEL, POSITIVE = "Purchase", "Yes"

sys.dont_write_bytecode = True  # no __pycache__ inside Tests/
spec = importlib.util.spec_from_file_location(
    "make_fixtures", os.path.join(ROOT, "Tests", "TrainingTests", "Fixtures", "make_fixtures.py"))
fx = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fx)


def reference(names, X, y, l2, with_statsmodels):
    # statsmodels first: when the unpenalised fit does not converge it fails fastest.
    sm = fx.statsmodels_fit(X, y, names) if with_statsmodels else None
    return {"fixture": "caravan", "produced_by": PRODUCED_BY, "versions": fx.VERSIONS, "l2": l2,
            "min_level_count": fx.MIN_LEVEL_COUNT, "label": LABEL, "positive": POSITIVE, "id": None,
            "weights_column": None, "features": names,
            "sklearn_newton_cholesky": fx.sklearn_fit(X, y, None, l2, names, "newton-cholesky"),
            "sklearn_lbfgs": fx.sklearn_fit(X, y, None, l2, names, "lbfgs"),
            "statsmodels": sm}


def write(path, ref, data):
    ref = dict(ref, data=data)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(ref, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"wrote {os.path.relpath(path, ROOT)}")


def main():
    if not os.path.exists(DATA):
        sys.exit(f"{DATA} is missing: run datasets/caravan/fetch.sh first")
    with open(DATA, "rb") as f:
        sha256 = hashlib.sha256(f.read()).hexdigest()
    header, body = fx.read_table(DATA)
    # An unnamed leading column (pandas' written index) would be dropped; Caravan.csv has none.
    if header[0] in ("", "Unnamed: 0"):
        sys.exit(f"unexpected index column {header[0]!r} in {DATA}")
    _, y, _, names, X = fx.encode(header, body, label=LABEL, positive=POSITIVE, id_col=None)
    assert len(names) == 85 and names == [h for h in header if h != LABEL]
    assert np.unique(X, axis=1).shape[1] == X.shape[1], "exactly duplicated columns"
    data = {"file": "datasets/external/Caravan.csv", "sha256": sha256, "rows": int(len(y)),
            "positives": int(y.sum())}
    print(f"Caravan: {len(y)} rows, {len(names)} features, {int(y.sum())} positives")

    write(os.path.join(HERE, "reference.json"), reference(names, X, y, 1.0, False), data)

    unpenalised = os.path.join(HERE, "reference_unpenalised.json")
    try:
        ref0 = reference(names, X, y, 0.0, True)
        a = np.array(list(ref0["sklearn_newton_cholesky"]["coefficients"].values()))
        b = np.array(list(ref0["statsmodels"]["coefficients"].values()))
        if np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-3)) > 1e-6:
            raise RuntimeError("scikit-learn and statsmodels disagree")
    except Exception as e:  # ConvergenceWarning (raised as an error), statsmodels not converged, ...
        print(f"lambda = 0: no clean unpenalised fit ({type(e).__name__}: {str(e).splitlines()[0]}); "
              f"{os.path.relpath(unpenalised, ROOT)} not written")
        if os.path.exists(unpenalised):
            os.remove(unpenalised)
        return
    write(unpenalised, ref0, data)


if __name__ == "__main__":
    main()
