#!/usr/bin/env python3
"""Write the reference fixtures for leadscore's Evaluation module (model versus rule points).

For each case this writes Tests/EvaluationTests/Fixtures/CASE.json holding the inputs (labels, a model
probability `model` and rule points `rules` for the same leads) and, for each of the two scores, what
leadscore's statistics must reproduce:

  roc_auc, average_precision, roc_curve, pr_curve   scikit-learn
  calibration (model only)                          scikit-learn calibration_curve, plus bin counts
  delong, delong_test                               an independent numpy DeLong (placement values from
                                                    all m x n pairs, not the fast midrank algorithm)
  gains, capacity                                   exact rational arithmetic (fractions.Fraction) of the
                                                    expected conversions under a random order within ties;
                                                    for the tiny case by enumerating every such order
  thresholds                                        plain numpy counts

Deterministic: fixed seeds, no wall clock. Run from anywhere:
  python3 Tests/EvaluationTests/Fixtures/make_fixtures.py
"""
import itertools
import json
import math
import os
import platform
from fractions import Fraction

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve

try:
    import scipy
    from scipy.stats import norm
except ImportError:  # fall back to math.erfc
    scipy = None
    norm = None

HERE = os.path.dirname(os.path.abspath(__file__))
PRODUCED_BY = "Tests/EvaluationTests/Fixtures/make_fixtures.py"
Z95 = 1.959963984540054  # the 97.5% normal quantile, as leadscore uses it

VERSIONS = {
    "python": platform.python_version(),
    "numpy": np.__version__,
    "scikit-learn": sklearn.__version__,
    "scipy": scipy.__version__ if scipy else None,
}


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def leads(n, intercept, seed):
    """Synthetic leads: labels, a model probability and the seed rule points (datasets/rules/seed.json) for each."""
    rng = np.random.default_rng(seed)
    demo = rng.random(n) < 0.12
    pricing = rng.poisson(0.8, n)
    webinar = rng.random(n) < 0.2
    blog = rng.poisson(1.5, n)
    opens = rng.poisson(3.0, n)
    unsubscribed = rng.random(n) < 0.05
    inactive = rng.random(n) < 0.3
    hidden = rng.normal(size=n)  # what neither the rules nor the model see
    latent = (intercept + 1.2 * demo + 0.4 * pricing + 0.3 * webinar + 0.05 * blog + 0.1 * opens
              - 1.0 * unsubscribed - 0.6 * inactive)
    y = rng.random(n) < sigmoid(latent + 0.8 * hidden)
    model = sigmoid(latent + 0.3 * rng.normal(size=n))
    points = (25 * demo + 15 * (pricing > 0) + 20 * webinar + np.minimum(5 * blog, 20)
              + np.minimum(2 * opens, 10) - 10 * unsubscribed - 5 * inactive).astype(np.float64)
    return y, model, points


def cases():
    y, model, points = leads(1000, -1.9, seed=11)
    assert len(np.unique(model)) == len(model)
    yield "continuous", y, model, points, "model: continuous probabilities (no ties); rules: seed points"

    y, model, points = leads(1200, -1.9, seed=12)
    model = np.round(model, 2)  # heavy ties, many on the uniform bin edges (0.1, 0.3, 0.6, ...)
    yield "points", y, model, points, "model: probabilities rounded to 2 decimals; rules: seed points (few values)"

    y, model, points = leads(2000, -4.6, seed=13)
    assert len(np.unique(model)) == len(model)
    yield "rare", y, model, points, "about 3% positives; model continuous; rules: seed points"

    y = np.array([True, False, True, False, False])
    model = np.array([0.9, 0.4, 0.4, 0.2, 0.4])
    points = np.array([80.0, 50.0, 50.0, 50.0, 0.0])
    yield "tiny", y, model, points, "5 leads with ties straddling every decile boundary; gains by enumeration"


# --------------------------------------------------------------------------------------------
# DeLong, the straightforward way: placement values from every (positive, negative) pair
# --------------------------------------------------------------------------------------------

def placements(s, y):
    x, z = s[y], s[~y]
    psi = (x[:, None] > z[None, :]).astype(np.float64) + 0.5 * (x[:, None] == z[None, :])
    return psi.mean(axis=1), psi.mean(axis=0), float(psi.sum() / (len(x) * len(z)))


def two_sided_p(z):
    if norm is not None:
        return float(2 * norm.sf(abs(z)))
    return math.erfc(abs(z) / math.sqrt(2))


def delong_single(s, y):
    v10, v01, auc = placements(s, y)
    m, n = len(v10), len(v01)
    var = float(np.var(v10, ddof=1) / m + np.var(v01, ddof=1) / n)
    se = math.sqrt(var)
    return {"auc": auc, "variance": var, "standard_error": se,
            "lower": max(0.0, auc - Z95 * se), "upper": min(1.0, auc + Z95 * se)}


def delong_paired(a, b, y):
    a10, a01, auc_a = placements(a, y)
    b10, b01, auc_b = placements(b, y)
    m, n = len(a10), len(a01)
    s = np.cov(np.vstack([a10, b10])) / m + np.cov(np.vstack([a01, b01])) / n  # ddof = 1
    contrast = np.array([1.0, -1.0])
    var = float(contrast @ s @ contrast)
    # The same variance from the per-row differences (no cancellation): must agree.
    direct = float(np.var(a10 - b10, ddof=1) / m + np.var(a01 - b01, ddof=1) / n)
    assert abs(var - direct) <= 1e-12 * direct, (var, direct)
    se = math.sqrt(var)
    diff = auc_a - auc_b
    z = diff / se
    return {"auc_a": auc_a, "auc_b": auc_b, "variance_a": float(s[0, 0]), "variance_b": float(s[1, 1]),
            "covariance": float(s[0, 1]), "difference": diff, "standard_error": se, "z": z,
            "p_value": two_sided_p(z), "lower": max(-1.0, diff - Z95 * se), "upper": min(1.0, diff + Z95 * se)}


# --------------------------------------------------------------------------------------------
# Gains and capacity: expected conversions under a random order within ties, in exact rationals
# --------------------------------------------------------------------------------------------

def expected_cumulative(s, y):
    """F(x): expected conversions among the top x ranked leads (x rational), ties shared in proportion."""
    values = sorted(set(s.tolist()), reverse=True)
    groups = [(int(np.sum(s == v)), int(np.sum(y[s == v]))) for v in values]

    def F(x):
        total, start = Fraction(0), 0
        for c, p in groups:
            if x >= start + c:
                total += p
            elif x > start:
                total += Fraction(p) * (x - start) / c
            start += c
        return total
    return F


def enumerated_cumulative(s, y):
    """F(x) by averaging over every order of the leads that sorts the scores from high to low (tiny cases)."""
    n = len(s)
    orders = [o for o in itertools.permutations(range(n))
              if all(s[o[i]] >= s[o[i + 1]] for i in range(n - 1))]

    def F(x):
        total = Fraction(0)
        for o in orders:
            for position, row in enumerate(o):
                share = min(max(x - position, 0), 1)  # the part of [position, position + 1) below x
                total += share * int(y[row])
        return total / len(orders)
    return F


def gains(F, n, positives, k):
    rows = []
    overall = Fraction(positives, n)
    for g in range(k):
        lo, hi = Fraction(n * g, k), Fraction(n * (g + 1), k)
        conv, cum = F(hi) - F(lo), F(hi)
        rate = conv / (hi - lo)
        rows.append({"rank": g + 1, "from_share": float(Fraction(g, k)), "to_share": float(Fraction(g + 1, k)),
                     "leads": float(hi - lo), "conversions": float(conv), "conversion_rate": float(rate),
                     "cumulative_conversions": float(cum),
                     "cumulative_share_of_conversions": float(cum / positives),
                     "lift": float(rate / overall), "cumulative_lift": float(cum / hi / overall)})
    return rows


def capacity(F, n, positives, fractions):
    out = []
    for f in fractions:
        called = Fraction(f) * n  # the exact rational of the float fraction
        captured = F(called)
        out.append({"fraction": f, "leads_called": float(called), "conversions_captured": float(captured),
                    "share_of_conversions": float(captured / positives),
                    "precision": float(captured / called),
                    "lift": float(captured / called / Fraction(positives, n))})
    return out


# --------------------------------------------------------------------------------------------
# Calibration
# --------------------------------------------------------------------------------------------

def sklearn_calibration(p, y, bins, strategy):
    """scikit-learn's calibration_curve, with the bin counts and edges it does not return (same binning code)."""
    prob_true, prob_pred = calibration_curve(y, p, n_bins=bins, strategy=strategy)
    if strategy == "uniform":
        edges = np.linspace(0.0, 1.0, bins + 1)
    else:
        edges = np.percentile(p, np.linspace(0, 1, bins + 1) * 100)
    ids = np.searchsorted(edges[1:-1], p)
    count = np.bincount(ids, minlength=bins)
    conv = np.bincount(ids, weights=y.astype(np.float64), minlength=bins)
    keep = count > 0
    assert np.array_equal(prob_true, conv[keep] / count[keep])
    out = []
    for b in np.flatnonzero(keep):
        inside = p[ids == b]
        lower, upper = (edges[b], edges[b + 1]) if strategy == "uniform" else (inside.min(), inside.max())
        out.append({"lower": float(lower), "upper": float(upper), "count": int(count[b]),
                    "conversions": int(conv[b])})
    for row, t, m in zip(out, prob_true, prob_pred):
        row["observed_rate"], row["mean_predicted"] = float(t), float(m)
    return out


def snapped_quantile_calibration(p, y, bins):
    """leadscore's quantile bins (see CalibrationTable.Strategy.quantile), written independently: cut after
    i * n / bins leads in ascending order, each cut moved to the nearest change of value (the lower on a tie)."""
    order = np.argsort(p, kind="stable")
    sp, sy = p[order], y[order]
    n = len(p)
    boundaries = [0] + [i for i in range(1, n) if sp[i] != sp[i - 1]] + [n]
    cuts = [0]
    for i in range(1, bins):
        t = Fraction(n * i, bins)
        best = min(boundaries, key=lambda b: (abs(b - t), b))  # nearest, the lower on a tie
        if best > cuts[-1]:
            cuts.append(best)
    if cuts[-1] < n:
        cuts.append(n)
    out = []
    for lo, hi in zip(cuts, cuts[1:]):
        inside, conv = sp[lo:hi], int(sy[lo:hi].sum())
        out.append({"lower": float(inside.min()), "upper": float(inside.max()), "count": hi - lo,
                    "conversions": conv, "observed_rate": conv / (hi - lo),
                    "mean_predicted": float(math.fsum(inside.tolist()) / (hi - lo))})
    return out


def ece(bins, n):
    return float(sum(b["count"] * abs(b["observed_rate"] - b["mean_predicted"]) for b in bins) / n)


def calibration(p, y):
    out = {}
    for k in (10, 5):
        rows = sklearn_calibration(p, y, k, "uniform")
        out[f"uniform_{k}"] = {"source": "sklearn", "bins": rows, "ece": ece(rows, len(p))}
    snapped = snapped_quantile_calibration(p, y, 10)
    if len(np.unique(p)) == len(p) and len(p) % 10 == 0:
        # Comparable: scikit-learn's percentile bins are the same bins; check it, and store scikit-learn's.
        rows = sklearn_calibration(p, y, 10, "quantile")
        assert [r["count"] for r in rows] == [r["count"] for r in snapped], "quantile bins differ from sklearn"
        for r, q in zip(rows, snapped):
            assert abs(r["mean_predicted"] - q["mean_predicted"]) <= 1e-15 * q["mean_predicted"]
        out["quantile_10"] = {"source": "sklearn", "bins": rows, "ece": ece(rows, len(p))}
    else:
        out["quantile_10"] = {"source": "independent snapped-quantile rule (ties: sklearn not comparable)",
                              "bins": snapped, "ece": ece(snapped, len(p))}
    return out


# --------------------------------------------------------------------------------------------
# Per score
# --------------------------------------------------------------------------------------------

def per_score(s, y, name, case, thresholds, probability):
    n, positives = len(s), int(y.sum())
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
    assert thr[0] == np.inf and fpr[0] == 0 and tpr[0] == 0
    precision, recall, pr_thr = precision_recall_curve(y, s)
    assert precision[-1] == 1 and recall[-1] == 0
    F = enumerated_cumulative(s, y) if case == "tiny" else expected_cumulative(s, y)
    if case == "tiny":  # the analytic rule must agree with the enumeration
        G = expected_cumulative(s, y)
        for x in [Fraction(i, 20) for i in range(0, 101)]:
            assert F(x) == G(x), (name, x)
    group_counts = (10, 4) if case == "tiny" else (10, 7)
    out = {
        "roc_auc": float(roc_auc_score(y, s)),
        "average_precision": float(average_precision_score(y, s)),
        "roc_curve": {"false_positive_rate": fpr[1:].tolist(), "true_positive_rate": tpr[1:].tolist(),
                      "threshold": thr[1:].tolist()},
        "pr_curve": {"precision": precision[:-1][::-1].tolist(), "recall": recall[:-1][::-1].tolist(),
                     "threshold": pr_thr[::-1].tolist()},
        "delong": delong_single(s, y),
        "gains": {str(k): gains(F, n, positives, k) for k in group_counts},
        "capacity": capacity(F, n, positives, [0.05, 0.1, 0.2, 1 / 3, 0.5, 0.7, 1.0]),
        "thresholds": [{"threshold": float(t), "flagged": int((s >= t).sum()),
                        "flagged_conversions": int(((s >= t) & y).sum()),
                        "precision": float(((s >= t) & y).sum() / (s >= t).sum()),
                        "recall": float(((s >= t) & y).sum() / positives)}
                       for t in thresholds if (s >= t).any()],  # precision is undefined when none is flagged
    }
    if probability:
        out["calibration"] = calibration(s, y)
    return out


def main():
    names = []
    for case, y, model, points, note in cases():
        names.append(case)
        ref = {
            "case": case, "note": note, "produced_by": PRODUCED_BY, "versions": VERSIONS, "z95": Z95,
            "rows": len(y), "positives": int(y.sum()),
            "labels": [bool(v) for v in y],
            "scores": {"model": model.tolist(), "rules": points.tolist()},
            "model": per_score(model, y, "model", case, [0.5, 0.3, 0.1, 0.05], True),
            "rules": per_score(points, y, "rules", case, [80.0, 50.0, 20.0], False),
            "delong_test": delong_paired(model, points, y),
        }
        with open(os.path.join(HERE, f"{case}.json"), "w") as f:
            json.dump(ref, f, indent=1, sort_keys=True, allow_nan=False)
            f.write("\n")
        print(f"{case}: {len(y)} rows, {int(y.sum())} positives ({y.mean():.1%}), "
              f"AUC model {ref['model']['roc_auc']:.4f} rules {ref['rules']['roc_auc']:.4f}, "
              f"p = {ref['delong_test']['p_value']:.3g}, distinct model {len(np.unique(model))}, "
              f"rules {len(np.unique(points))}")
    with open(os.path.join(HERE, "cases.json"), "w") as f:
        json.dump(names, f)
        f.write("\n")


if __name__ == "__main__":
    main()
