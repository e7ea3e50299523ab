"""The GECC / ITA figures for a period, computed in one streamed pass over the period's cases.

A share counts only cases whose outcome is known: met, or missed because the deadline has passed. A case whose
deadline is still ahead is ``pending`` and left out of both numerator and denominator.
"""

from array import array
from collections import Counter
from datetime import datetime

from flask import current_app
from sqlalchemy import or_, select

from app.cases.models import Case
from app.common.models import utcnow
from app.evidence.period import BANGKOK, Period, ita_windows
from app.evidence.rows import DAY, base_query, on_time
from app.extensions import db

SATISFIED = 4  #: a score of 4 or 5 counts as satisfied (the usual top-two-box reading of a 1–5 scale)


def percentile(values, p: float) -> float | None:
    """Linear-interpolated percentile of an already sorted sequence (``p`` in 0–100)."""
    if not values:
        return None
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return round(values[lo] + (values[hi] - values[lo]) * (k - lo), 2)


def _share(tally: Counter) -> dict:
    decided = tally["yes"] + tally["no"]
    return {"met": tally["yes"], "missed": tally["no"], "pending": tally[""],
            "share": round(tally["yes"] / decided, 4) if decided else None}


def _times(values: array) -> dict:
    ordered = sorted(values)
    return {"n": len(ordered), "median_days": percentile(ordered, 50), "p90_days": percentile(ordered, 90)}


def summarise(period: Period, now: datetime | None = None, with_ita: bool = True) -> dict:
    """Every figure of the evidence report for ``period`` (see the module docstring for the rules)."""
    now = now or utcnow()
    total = 0
    by = {k: Counter() for k in ("channel", "category", "unit", "province", "status", "outcome", "month")}
    shares = {k: Counter() for k in ("acknowledged", "told", "resolved")}
    times = {k: array("d") for k in ("acknowledge", "first_report", "conclude")}
    scores = Counter()
    stmt = base_query(period, with_text=False).execution_options(yield_per=5000, stream_results=True)
    for r in db.session.execute(stmt):
        total += 1
        for key, value in (("channel", r.channel), ("category", r.category_code), ("unit", r.division_code),
                           ("province", r.province_code), ("status", r.status), ("outcome", r.outcome or "open")):
            by[key][value or "-"] += 1
        by["month"][_month(r.received_at)] += 1
        shares["acknowledged"][on_time(r.acknowledged_at, r.acknowledge_due, now)] += 1
        shares["told"][on_time(r.first_reported_at, r.first_report_due, now)] += 1
        shares["resolved"][on_time(r.concluded_at, r.resolve_due, now)] += 1
        for key, end in (("acknowledge", r.acknowledged_at), ("first_report", r.first_reported_at),
                         ("conclude", r.concluded_at)):
            if end is not None:
                times[key].append((end - r.received_at).total_seconds() / DAY)
        if r.csat_score is not None:
            scores[r.csat_score] += 1
    rated = sum(scores.values())
    out = {
        "period": period.as_dict(),
        "computed_at": now.isoformat(timespec="seconds"),
        "cases": total,
        **{f"by_{k}": dict(v.most_common()) for k, v in by.items() if k != "month"},
        "by_month": dict(sorted(by["month"].items())),
        "acknowledged_on_time": _share(shares["acknowledged"]),
        "told_within_15_days": _share(shares["told"]),
        "resolved_within_manual_time": _share(shares["resolved"]),
        "times": {k: _times(v) for k, v in times.items()},
        "satisfaction": {
            "responses": rated,
            "average": round(sum(s * n for s, n in scores.items()) / rated, 2) if rated else None,
            "share_satisfied": round(sum(n for s, n in scores.items() if s >= SATISFIED) / rated, 4) if rated else None,
            "by_score": {str(s): scores[s] for s in range(1, 6)},
        },
        "backlog": backlog(period, now),
    }
    if with_ita:
        out["ita"] = {months: _ita(summarise(window, now, with_ita=False), window)
                      for months, window in ita_windows(period)}
    return out


def _month(dt: datetime) -> str:
    return dt.astimezone(BANGKOK).strftime("%Y-%m")


def _ita(full: dict, window: Period) -> dict:
    """The ITA summary: how many, what about, how they ended, and whether people were told in time."""
    return {"period": window.as_dict(), "cases": full["cases"], "by_category": full["by_category"],
            "by_outcome": full["by_outcome"], "told_within_15_days": full["told_within_15_days"],
            "resolved_within_manual_time": full["resolved_within_manual_time"],
            "times": full["times"], "satisfaction": full["satisfaction"]}


def backlog(period: Period, now: datetime) -> dict:
    """Cases still undecided at the end of the period (or now, if earlier), by age in days at that moment."""
    at = min(period.utc_end, now)
    edges = current_app.config["EVIDENCE_BACKLOG_BUCKETS"]
    labels = [f"{lo + 1 if lo else 0}-{hi}" for lo, hi in zip((0, *edges), edges, strict=False)] + [f">{edges[-1]}"]
    counts = Counter()
    stmt = (select(Case.received_at).where(Case.received_at < at,
                                           or_(Case.concluded_at.is_(None), Case.concluded_at >= at),
                                           or_(Case.closed_at.is_(None), Case.closed_at >= at),
                                           Case.status != "merged")
            .execution_options(yield_per=5000, stream_results=True))
    for (received,) in db.session.execute(stmt):
        age = (at - received).total_seconds() / DAY
        counts[next((lbl for lbl, hi in zip(labels, edges, strict=False) if age <= hi), labels[-1])] += 1
    return {"as_of": at.isoformat(timespec="seconds"), "total": sum(counts.values()),
            "by_age_days": {lbl: counts[lbl] for lbl in labels}}
