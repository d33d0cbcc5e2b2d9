#!/usr/bin/env python3
"""Writes leads.csv next to this script: a synthetic CRM export, one row per lead with a known outcome.

Deterministic: numpy's default_rng with a fixed seed, integers only in the output, LF line ends, so the
same numpy gives the same bytes on every run and from any working directory. See README.md (same folder)
for the columns and the generating process; the numbered steps below follow it.

    python3 datasets/table/make_leads.py
"""

import os
import sys

import numpy as np

SEED = 20260302
N = 6000
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "leads.csv")

COLUMNS = [
    "lead_id", "industry", "job_level", "company_size", "country", "lead_source",
    "page_views_30d", "pricing_page_views_30d", "email_opens_30d", "email_clicks_30d",
    "webinars_attended", "content_downloads", "demo_requested", "unsubscribed",
    "days_since_last_activity", "converted",
]

# (level, share, effect on buying intent); rare levels are planted afterwards in a handful of rows.
INDUSTRIES = [
    ("Software", 0.24, 0.30), ("Financial Services", 0.15, 0.20), ("Healthcare", 0.12, 0.00),
    ("Manufacturing", 0.13, 0.10), ("Retail", 0.10, -0.10), ("Education", 0.09, -0.35),
    ("Media", 0.08, -0.10), ("Government", 0.09, -0.40),
]
RARE_INDUSTRIES = ["Agriculture", "Mining"]
# Median company size (employees) by industry: software firms are smaller, governments larger.
INDUSTRY_MEDIAN_SIZE = {
    "Software": 120, "Financial Services": 600, "Healthcare": 450, "Manufacturing": 500, "Retail": 300,
    "Education": 400, "Media": 150, "Government": 1500, "Agriculture": 80, "Mining": 900,
}
JOB_LEVELS = [
    ("C-level", 0.08, 0.30), ("VP", 0.12, 0.45), ("Director", 0.20, 0.35), ("Manager", 0.28, 0.10),
    ("Individual Contributor", 0.285, -0.20), ("Student", 0.035, -1.10),
]
COUNTRIES = [("US", 0.46), ("UK", 0.15), ("DE", 0.11), ("FR", 0.08), ("CA", 0.11), ("AU", 0.09)]
RARE_COUNTRIES = ["NL", "SE", "JP", "BR", "IN", "SG"]
SOURCES = [
    ("Organic Search", 0.26, 0.10), ("Paid Search", 0.20, 0.00), ("Referral", 0.08, 0.60),
    ("Webinar", 0.12, 0.05), ("Trade Show", 0.08, 0.20), ("Partner", 0.08, 0.40),
    ("Content Syndication", 0.18, -0.50),
]


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def neg_binomial(rng, mean, k):
    """Negative binomial counts with the given means and dispersion k (variance = mean + mean^2 / k)."""
    return rng.negative_binomial(k, k / (k + mean))


def categorical(rng, table, n):
    levels = np.array([row[0] for row in table], dtype=object)
    shares = np.array([row[1] for row in table])
    idx = rng.choice(len(table), size=n, p=shares / shares.sum())
    return levels[idx], idx


def plant_rare(rng, column, rare_levels, low, high):
    """Overwrites a few random rows (between low and high - 1 per level) with each rare level."""
    for level in rare_levels:
        count = int(rng.integers(low, high))
        free = np.flatnonzero(~np.isin(column, rare_levels))
        column[rng.choice(free, size=count, replace=False)] = level


def generate():
    rng = np.random.default_rng(SEED)

    # 1. Profile.
    industry, _ = categorical(rng, INDUSTRIES, N)
    plant_rare(rng, industry, RARE_INDUSTRIES, 5, 10)
    industry_effect = {name: eff for name, _, eff in INDUSTRIES}
    a_industry = np.array([industry_effect.get(v, 0.0) for v in industry])

    job, job_idx = categorical(rng, JOB_LEVELS, N)
    a_job = np.array([row[2] for row in JOB_LEVELS])[job_idx]
    student = job == "Student"
    senior = np.isin(job, ["C-level", "VP", "Director"])

    median = np.array([INDUSTRY_MEDIAN_SIZE[v] for v in industry], dtype=float)
    log_size = np.log(median) + rng.normal(0.0, 1.6, N) - 0.7 * (job == "C-level")  # founders run small firms
    size = np.clip(np.rint(np.exp(log_size)), 5, 50000).astype(np.int64)
    size_known = rng.random(N) >= np.where(student, 0.35, 0.065)
    # Size effect: about +0.5 per tenfold more employees around 300, flattening towards both ends
    # (-0.63 at 5 employees, +0.67 at 50,000). It feeds intent and, more, conversion directly.
    size_effect = 0.75 * np.tanh((np.log10(size) - 2.5) / 1.5)

    country, _ = categorical(rng, COUNTRIES, N)
    plant_rare(rng, country, RARE_COUNTRIES, 3, 10)

    source, source_idx = categorical(rng, SOURCES, N)
    a_source = np.array([row[2] for row in SOURCES])[source_idx]
    source_known = rng.random(N) >= 0.03

    # 2. Latent buying intent and general activity (how much a person clicks around, buyer or not).
    intent = -0.3 + a_job + a_industry + a_source + 0.35 * size_effect + rng.normal(0.0, 1.0, N)
    activity = rng.normal(0.0, 1.0, N) + 0.5 * student
    bot_opens = rng.random(N) < 0.35  # Apple Mail Privacy Protection, security scanners, preview panes

    # 3. Recency: days since the last web visit, click, form, download, webinar or demo request
    # (email opens do not count). Keener leads were active more recently; some leads went cold long ago.
    cold = rng.random(N) < sigmoid(-0.9 - 0.6 * intent)
    days = np.where(
        cold,
        rng.uniform(20, 366, N),
        rng.exponential(np.exp(2.2 - 0.45 * intent), N),
    )
    days = np.clip(np.floor(days), 0, 365).astype(np.int64)
    active30 = days <= 30

    # 4. Behaviour. The *_30d counts are zero when the last activity is older than 30 days (except opens).
    pricing = rng.poisson(np.exp(-1.4 + 0.85 * intent + 0.15 * activity)) * active30
    other_views = neg_binomial(rng, np.exp(1.5 + 0.15 * intent + 0.7 * activity), 1.2)
    clicks = rng.poisson(np.exp(-1.3 + 0.35 * intent + 0.4 * activity)) * active30
    # At least one page view when active in the window (clicks land on the site).
    page_views = np.where(active30, np.maximum(other_views + pricing, np.maximum(clicks, 1)), 0)
    unsub = rng.random(N) < sigmoid(-2.7 - 0.35 * intent + 0.3 * (source == "Content Syndication"))
    opens = neg_binomial(rng, np.exp(0.9 + 0.05 * intent + 0.1 * activity) * np.where(bot_opens, 3.5, 1.0)
                         * np.where(unsub, 0.25, 1.0), 1.5)
    webinars = rng.poisson(np.exp(-1.6 + 0.2 * intent + 0.6 * activity + 1.2 * (source == "Webinar")))
    downloads = rng.poisson(np.exp(-0.7 + 0.1 * intent + 0.5 * activity
                                   + 0.9 * (source == "Content Syndication")))
    demo = rng.random(N) < sigmoid(-2.9 + 0.8 * intent + 0.3 * senior - 1.0 * student)

    # 5. Outcome: intent plus a few direct effects. Opens have none; webinars a small one.
    logit = (
        -2.85
        + 1.0 * intent
        + 0.55 * size_effect
        + 0.25 * demo
        + 0.6 * np.minimum(pricing, 6)
        + 0.08 * np.minimum(webinars, 4)
        + 0.10 * np.minimum(clicks, 5)
        - 0.35 * unsub
        - 0.7 * np.log1p(days / 7.0)
        - 0.3 * student
    )
    won = rng.random(N) < sigmoid(logit)

    ids = np.sort(rng.choice(np.arange(1, 20000), size=N, replace=False))

    return {
        "lead_id": [f"L-{i:06d}" for i in ids],
        "industry": list(industry),
        "job_level": list(job),
        "company_size": [str(s) if k else "" for s, k in zip(size, size_known)],
        "country": list(country),
        "lead_source": [s if k else "" for s, k in zip(source, source_known)],
        "page_views_30d": page_views,
        "pricing_page_views_30d": pricing,
        "email_opens_30d": opens,
        "email_clicks_30d": clicks,
        "webinars_attended": webinars,
        "content_downloads": downloads,
        "demo_requested": demo.astype(np.int64),
        "unsubscribed": unsub.astype(np.int64),
        "days_since_last_activity": days,
        "converted": ["won" if w else "lost" for w in won],
    }


def check(data):
    """Fails loudly unless the table has the properties README.md promises."""
    won = np.array([v == "won" for v in data["converted"]])
    problems = []
    rate = won.mean()
    if not 0.06 <= rate <= 0.09:
        problems.append(f"base rate {rate:.4f} outside 6-9%")
    for name in COLUMNS:
        if len(set(map(str, data[name]))) < 2:
            problems.append(f"column {name} is constant")
    # Categorical levels as table mode sees them: empty -> (missing), levels under 10 rows pooled into other.
    for name in ["industry", "job_level", "country", "lead_source"]:
        values = np.array([v if v else "(missing)" for v in data[name]], dtype=object)
        levels, counts = np.unique(values, return_counts=True)
        rare = set(levels[counts < 10])
        pooled = np.array(["other" if v in rare else v for v in values], dtype=object)
        for level in np.unique(pooled):
            w = won[pooled == level].sum()
            if w == 0 or w == (pooled == level).sum():
                problems.append(f"{name}={level}: {w} won of {(pooled == level).sum()}")
    for name in ["demo_requested", "unsubscribed"]:
        flag = np.asarray(data[name]) == 1
        for value in (True, False):
            w = won[flag == value].sum()
            if w == 0 or w == (flag == value).sum():
                problems.append(f"{name}={int(value)}: {w} won of {(flag == value).sum()}")
    missing_size = np.array([v == "" for v in data["company_size"]])
    if won[missing_size].sum() == 0:
        problems.append("no won lead with unknown company_size")
    if problems:
        sys.exit("make_leads.py: the generated table breaks its promises:\n  " + "\n  ".join(problems))


def main():
    data = generate()
    check(data)
    lines = [",".join(COLUMNS)]
    for row in zip(*(data[c] for c in COLUMNS)):
        lines.append(",".join(str(v) for v in row))
    tmp = OUT + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, OUT)
    won = sum(v == "won" for v in data["converted"])
    print(f"wrote {OUT}: {N} rows, {won} won ({won / N:.2%})")


if __name__ == "__main__":
    main()
