#!/usr/bin/env python3
"""Write the reference fixtures for leadscore's trainer (table mode).

For each fixture this writes, into Tests/TrainingTests/Fixtures/NAME/:

  table.csv       the raw table leadscore reads (lead_id, features..., converted = yes/no)
  design.csv      the standardised design matrix leadscore must build from table.csv
  reference.json  scikit-learn's solution of the trainer's objective on that design matrix
                  (and statsmodels' unpenalised fit with standard errors where lambda = 0)

The design matrix is computed by re-reading table.csv with an independent Python mirror of the
table encoding (see README.md), not from the arrays that generated it, so a mismatch between the
generator and the encoding rules cannot hide.

Objective (README.md, "The trainer"):
  minimise over (b, w)  sum_i s_i * logloss(y_i, sigmoid(b + x_i . w)) + (lambda / 2) * |w|^2
which is scikit-learn's LogisticRegression(C = 1 / lambda); lambda = 0 is C = inf.

Deterministic: fixed seeds, no wall clock. Run from anywhere:
  python3 Tests/TrainingTests/Fixtures/make_fixtures.py
On a CPU with AVX-512, numpy and its OpenBLAS round the last bit differently; for byte-identical files run
  NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL" OPENBLAS_CORETYPE=Haswell python3 Tests/TrainingTests/Fixtures/make_fixtures.py
"""
import csv
import json
import os
import platform
import re
import warnings
from collections import Counter

import numpy as np
import pandas
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
PRODUCED_BY = "Tests/TrainingTests/Fixtures/make_fixtures.py"
LABEL, POSITIVE, ID = "converted", "yes", "lead_id"
MIN_LEVEL_COUNT = 10
TOL, MAX_ITER = 1e-10, 10000

VERSIONS = {
    "python": platform.python_version(),
    "numpy": np.__version__,
    "scikit-learn": sklearn.__version__,
    "statsmodels": statsmodels.__version__,
    "pandas": pandas.__version__,
}


# --------------------------------------------------------------------------------------------
# Table encoding: an independent mirror of what leadscore does in table mode.
# --------------------------------------------------------------------------------------------

# Plain decimal or scientific notation; no inf/nan, no hex, no surrounding spaces.
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")


def read_table(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    assert all(len(r) == len(header) for r in body), path
    return header, body


def encode(header, body, label=LABEL, positive=POSITIVE, id_col=ID, weights_col=None,
           min_level_count=MIN_LEVEL_COUNT):
    """Returns (ids or None, y, weights or None, feature names, standardised design matrix)."""
    column = {h: [r[i] for r in body] for i, h in enumerate(header)}
    names, cols, indicator = [], [], []
    for h in header:
        if h in (label, id_col, weights_col):
            continue
        values = column[h]
        present = [v for v in values if v != ""]
        assert present, f"column {h} is entirely empty"
        if all(NUMBER.match(v) for v in present):
            x = np.array([float(v) if v != "" else np.nan for v in values])
            missing = np.isnan(x)
            if missing.any():
                mean = x[~missing].mean()
                names += [h, f"{h} (missing)"]
                cols += [np.where(missing, mean, x), missing.astype(np.float64)]
                indicator += [False, True]
            else:
                names.append(h)
                cols.append(x)
                indicator.append(False)
        else:
            levels = [v if v != "" else "(missing)" for v in values]
            counts = Counter(levels)
            pooled = {lv for lv, n in counts.items() if n < min_level_count or lv == "other"}
            kept = sorted(((lv, n) for lv, n in counts.items() if lv not in pooled),
                          key=lambda ln: (-ln[1], ln[0].encode("utf-8")))
            assert len(kept) >= 2 or (kept and pooled), f"column {h} would be constant"
            for lv, _ in kept[1:]:  # kept[0] is the reference level
                names.append(f"{h}={lv}")
                cols.append(np.array([1.0 if v == lv else 0.0 for v in levels]))
                indicator.append(True)
            if pooled:
                names.append(f"{h}=other")
                cols.append(np.array([1.0 if v in pooled else 0.0 for v in levels]))
                indicator.append(True)
    X = np.column_stack(cols)
    mean, std = X.mean(axis=0), X.std(axis=0)  # population std (ddof = 0)
    assert np.all(std > 0), [n for n, s in zip(names, std) if s == 0]
    # Numbers are divided by their standard deviation, 0/1 indicators (levels, other, missing flags) by a fixed 2,
    # so that the penalty acts alike on every level's effect in log-odds (TableEncoding.indicatorScale).
    Z = (X - mean) / np.where(indicator, 2.0, std)
    ids = column[id_col] if id_col else None
    y = np.array([1.0 if v == positive else 0.0 for v in column[label]])
    w = np.array([float(v) for v in column[weights_col]]) if weights_col else None
    return ids, y, w, names, Z


# --------------------------------------------------------------------------------------------
# Reference fits
# --------------------------------------------------------------------------------------------

def objective(X, y, s, b, w, lam):
    z = X @ w + b
    loss = np.logaddexp(0.0, z) - y * z  # log(1 + e^z) - y z, stable
    if s is not None:
        loss = s * loss
    return float(loss.sum() + 0.5 * lam * float(w @ w))


def sklearn_fit(X, y, s, lam, names, solver):
    m = LogisticRegression(C=np.inf if lam == 0 else 1.0 / lam, solver=solver, tol=TOL,
                           max_iter=MAX_ITER)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        m.fit(X, y, sample_weight=s)
    w, b = m.coef_[0], float(m.intercept_[0])
    return {"intercept": b,
            "coefficients": {n: float(c) for n, c in zip(names, w)},
            "objective": objective(X, y, s, b, w, lam),
            "iterations": int(np.max(m.n_iter_))}


def statsmodels_fit(X, y, names):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = sm.Logit(y, sm.add_constant(X)).fit(method="newton", maxiter=100, disp=0)
    assert r.mle_retvals["converged"]
    return {"intercept": float(r.params[0]),
            "coefficients": {n: float(c) for n, c in zip(names, r.params[1:])},
            "standard_errors": {n: float(c) for n, c in zip(names, r.bse[1:])},
            "intercept_standard_error": float(r.bse[0])}


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

def cell(v):
    """A table cell: '' for missing, integers plainly, floats with repr (round-trip exact)."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    v = float(v)
    assert np.isfinite(v)
    return repr(v)


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(header)
        wr.writerows(rows)


def make(name, columns, l2, weights_col=None, with_statsmodels=False):
    """columns: ordered list of (column name, list of cells); must include lead_id and converted."""
    out = os.path.join(HERE, name)
    os.makedirs(out, exist_ok=True)
    header = [c for c, _ in columns]
    n = len(columns[0][1])
    assert all(len(v) == n for _, v in columns)
    write_csv(os.path.join(out, "table.csv"), header,
              [[cell(v[i]) for _, v in columns] for i in range(n)])

    ids, y, s, names, X = encode(*read_table(os.path.join(out, "table.csv")), weights_col=weights_col)
    extra = ["weight"] if weights_col else []
    write_csv(os.path.join(out, "design.csv"), [ID, "label"] + extra + names,
              [[ids[i], repr(float(y[i]))] + ([repr(float(s[i]))] if weights_col else [])
               + [repr(float(v)) for v in X[i]] for i in range(n)])

    ref = {"fixture": name, "produced_by": PRODUCED_BY, "versions": VERSIONS, "l2": l2,
           "min_level_count": MIN_LEVEL_COUNT, "label": LABEL, "positive": POSITIVE, "id": ID,
           "weights_column": weights_col, "features": names,
           "sklearn_newton_cholesky": sklearn_fit(X, y, s, l2, names, "newton-cholesky"),
           "sklearn_lbfgs": sklearn_fit(X, y, s, l2, names, "lbfgs"),
           "statsmodels": statsmodels_fit(X, y, names) if with_statsmodels else None}
    with open(os.path.join(out, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(ref, f, indent=2, sort_keys=True)
        f.write("\n")
    nc = ref["sklearn_newton_cholesky"]
    print(f"{name}: {n} rows, {len(names)} features, {int(y.sum())} positives, lambda {l2}, "
          f"newton-cholesky {nc['iterations']} iterations, lbfgs {ref['sklearn_lbfgs']['iterations']}")


# --------------------------------------------------------------------------------------------
# Data generators (one fixed seed each)
# --------------------------------------------------------------------------------------------

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lead_ids(n):
    return [f"L{i:05d}" for i in range(1, n + 1)]


def labels(rng, logit):
    return ["yes" if u < p else "no" for u, p in zip(rng.random(len(logit)), sigmoid(logit))]


def exact_levels(rng, counts):
    """A categorical column with exactly these level counts, in random order ('' = missing)."""
    cells = [lv for lv, k in counts for _ in range(k)]
    return [cells[i] for i in rng.permutation(len(cells))]


def numeric_fixture():
    rng = np.random.default_rng(20240101)
    n = 600
    company_size = np.round(np.exp(rng.normal(6.0, 1.3, n))).astype(int) + 1   # employees, 1..~50,000
    page_views = rng.negative_binomial(2, 0.08, n)                               # counts, 0..~100
    email_open_rate = np.round(rng.beta(2.0, 5.0, n), 4)                         # rate in [0, 1]
    session_minutes = rng.gamma(2.0, 3.5, n)                                     # full-precision floats
    days_since_signup = rng.integers(0, 366, n)
    logit = (-2.6 + 0.35 * (np.log(company_size) - 6.0) + 0.035 * page_views + 2.2 * email_open_rate
             + 0.04 * session_minutes - 0.004 * days_since_signup)
    make("numeric", [
        (ID, lead_ids(n)),
        ("company_size", list(company_size)),
        ("page_views", list(page_views)),
        ("email_open_rate", [float(v) for v in email_open_rate]),
        ("session_minutes", [float(v) for v in session_minutes]),
        ("days_since_signup", list(days_since_signup)),
        (LABEL, labels(rng, logit)),
    ], l2=1.0)


def mixed_fixture():
    rng = np.random.default_rng(20240202)
    n = 1300
    # 'Aerospace' (7) and 'Agriculture' (4) are rare: pooled into industry=other.
    industry = exact_levels(rng, [("Software", 400), ("Finance", 290), ("Healthcare", 240),
                                  ("Retail", 200), ("Media, Entertainment", 159), ("Aerospace", 7),
                                  ("Agriculture", 4)])
    # A literal 'other' level (30 rows) is pooled even though it is not rare.
    country = exact_levels(rng, [("US", 530), ("UK", 330), ("DE", 250), ("FR", 160), ("other", 30)])
    # 'Webinar' and 'referral' tie (210 each): byte order puts 'Webinar' (0x57) before 'referral'.
    # Empty cells (70) are the level '(missing)'.
    lead_source = exact_levels(rng, [("Organic Search", 420), ("Paid Ads", 300), ("Webinar", 210),
                                     ("referral", 210), ('Trade Show "Expo"', 90), ("", 70)])
    page_views = rng.negative_binomial(2, 0.1, n)
    time_on_site = rng.gamma(2.0, 4.0, n)
    time_missing = rng.random(n) < 0.08
    engagement_trend = np.round(rng.uniform(-1.0, 1.0, n), 3)
    employees = np.round(np.exp(rng.normal(5.5, 1.5, n))).astype(int) + 1
    eff = {"Software": 0.5, "Finance": 0.2, "Healthcare": 0.0, "Retail": -0.3,
           "Media, Entertainment": 0.1, "Aerospace": 0.8, "Agriculture": -0.5}
    ceff = {"US": 0.2, "UK": 0.0, "DE": -0.1, "FR": -0.3, "other": -0.6}
    seff = {"Organic Search": 0.0, "Paid Ads": -0.3, "Webinar": 0.7, "referral": 0.9,
            'Trade Show "Expo"': 0.4, "": -0.4}
    logit = (-2.8 + 0.025 * page_views + 0.05 * np.where(time_missing, 8.0, time_on_site)
             + 0.6 * engagement_trend + 0.15 * (np.log(employees) - 5.5)
             + np.array([eff[v] for v in industry]) + np.array([ceff[v] for v in country])
             + np.array([seff[v] for v in lead_source]) + 0.3 * time_missing)
    make("mixed", [
        (ID, lead_ids(n)),
        ("page_views", list(page_views)),
        ("industry", industry),
        ("time_on_site_min", [None if m else float(v) for v, m in zip(time_on_site, time_missing)]),
        ("country", country),
        ("engagement_trend", [float(v) for v in engagement_trend]),
        ("lead_source", lead_source),
        ("employees", list(employees)),
        (LABEL, labels(rng, logit)),
    ], l2=2.5)


def unpenalised_fixture():
    rng = np.random.default_rng(20240303)
    n = 1500
    # 'Basic' and 'Pro' tie for most frequent: the reference is 'Basic' (smaller in byte order).
    plan = exact_levels(rng, [("Basic", 600), ("Pro", 600), ("Enterprise", 300)])
    seats = rng.integers(1, 200, n)
    logins_30d = rng.poisson(12.0, n)
    nps = rng.integers(0, 11, n)
    trial_usage = rng.beta(2.0, 3.0, n)
    peff = {"Basic": 0.0, "Pro": 0.4, "Enterprise": 0.9}
    logit = (-2.6 + 0.004 * seats + 0.05 * logins_30d + 0.08 * nps + 1.2 * trial_usage
             + np.array([peff[v] for v in plan]))
    make("unpenalised", [
        (ID, lead_ids(n)),
        ("seats", list(seats)),
        ("plan", plan),
        ("logins_30d", list(logins_30d)),
        ("nps", list(nps)),
        ("trial_usage", [float(v) for v in trial_usage]),
        (LABEL, labels(rng, logit)),
    ], l2=0.0, with_statsmodels=True)


def weighted_fixture():
    rng = np.random.default_rng(20240404)
    n = 800
    company_size = np.round(np.exp(rng.normal(5.0, 1.2, n))).astype(int) + 1
    page_views = rng.poisson(15.0, n)
    email_clicks = rng.poisson(2.0, n)
    fit_score = np.round(rng.normal(50.0, 15.0, n), 1)
    weight = rng.uniform(0.5, 3.0, n)
    logit = (-1.8 + 0.3 * (np.log(company_size) - 5.0) + 0.03 * page_views + 0.25 * email_clicks
             + 0.02 * (fit_score - 50.0))
    make("weighted", [
        (ID, lead_ids(n)),
        ("company_size", list(company_size)),
        ("page_views", list(page_views)),
        ("weight", [float(v) for v in weight]),   # sample weight, not a feature
        ("email_clicks", list(email_clicks)),
        ("fit_score", [float(v) for v in fit_score]),
        (LABEL, labels(rng, logit)),
    ], l2=0.5, weights_col="weight")


def rare_events_fixture():
    rng = np.random.default_rng(20240505)
    n = 2000
    company_size = np.round(np.exp(rng.normal(6.0, 1.4, n))).astype(int) + 1
    page_views = rng.negative_binomial(1, 0.05, n)
    # pricing_page_views is strongly correlated with page_views (ill-conditioned Hessian).
    pricing_page_views = rng.binomial(page_views, 0.3)
    demo_requests = rng.poisson(0.3, n)
    email_open_rate = np.round(rng.beta(1.5, 6.0, n), 4)
    revenue_musd = np.exp(rng.normal(1.0, 1.5, n))
    logit = (-5.75 + 0.25 * (np.log(company_size) - 6.0) + 0.01 * page_views
             + 0.04 * pricing_page_views + 0.9 * demo_requests + 2.0 * email_open_rate
             + 0.02 * revenue_musd)
    make("rare_events", [
        (ID, lead_ids(n)),
        ("company_size", list(company_size)),
        ("page_views", list(page_views)),
        ("pricing_page_views", list(pricing_page_views)),
        ("demo_requests", list(demo_requests)),
        ("email_open_rate", [float(v) for v in email_open_rate]),
        ("revenue_musd", [float(v) for v in revenue_musd]),
        (LABEL, labels(rng, logit)),
    ], l2=0.1)


if __name__ == "__main__":
    numeric_fixture()
    mixed_fixture()
    unpenalised_fixture()
    weighted_fixture()
    rare_events_fixture()
