"""SLA figures for supervisors and the GECC/ITA evidence: one grouped query, rolled up in Python.

``summary()`` feeds both ``GET /api/v1/sla/summary`` and the ``/staff/sla`` page, so they cannot disagree.
Cases are those received in the period (Bangkok dates, ``to`` inclusive); "on time" means the resolution clock
(or the first report, for ITA's 15 days) was met by its due moment, pauses included. The figures are read from
``case_sla``, where every change of a case keeps a copy of its unit, category and two main clocks.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import Integer, and_, case, func, literal, select

from app.common.i18n import get_locale, t
from app.common.models import utcnow
from app.extensions import db
from app.routing.models import Category, Division
from app.sla.calendar import BANGKOK
from app.sla.models import CaseSla


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def bucket_labels() -> list[str]:
    edges = list(current_app.config["SLA_BACKLOG_BUCKETS"])
    lows = [0, *(e + 1 for e in edges)]
    return [f"{lo}-{hi}" for lo, hi in zip(lows, edges, strict=False)] + [f">{edges[-1]}"]


def _grouped(lo: datetime, hi: datetime, division: str | None, now: datetime):
    """One pass over the period's ``case_sla`` rows (a covering index), grouped by unit, category and channel.

    The age bands are sums, not a grouping key: three plain columns let PostgreSQL estimate the few groups and
    aggregate in memory (a computed key made it sort 300,000 rows on disk)."""
    f = CaseSla
    edges = current_app.config["SLA_BACKLOG_BUCKETS"]
    open_ = f.resolved_at.is_(None)
    one = literal(1)

    def count_if(*cond):
        return func.sum(case((and_(*cond), one), else_=0)).cast(Integer)

    bounds = [now - timedelta(days=e) for e in edges]
    bands = [count_if(open_, f.received_at > bounds[0])]
    bands += [count_if(open_, f.received_at <= hi_, f.received_at > lo_) for hi_, lo_ in zip(bounds, bounds[1:],
                                                                                               strict=False)]
    bands.append(count_if(open_, f.received_at <= bounds[-1]))
    stmt = (select(f.division_code, f.category_code, f.channel,
                   func.count().label("received"),
                   count_if(f.resolved_at.is_not(None)).label("decided"),
                   count_if(f.resolved_at <= f.resolve_due_at).label("on_time"),
                   count_if(f.first_reported_at.is_not(None)).label("reported"),
                   count_if(f.first_reported_at <= f.first_report_due_at).label("reported_on_time"),
                   count_if(open_).label("open"),
                   count_if(open_, f.resolve_due_at <= now).label("overdue"),
                   count_if(open_, f.resolve_risk_at <= now, f.resolve_due_at > now).label("at_risk"),
                   *bands)
            .where(f.received_at >= lo, f.received_at < hi)
            .group_by(f.division_code, f.category_code, f.channel))
    if division:
        stmt = stmt.where(f.division_code == division)
    return db.session.execute(stmt).all()


FIGURES = ("received", "decided", "on_time", "reported", "reported_on_time", "open", "overdue", "at_risk")


def _finish(key: str | None, name: str | None, acc: dict) -> dict:
    out = {"code": key, "name": name, **acc}
    out["on_time_rate"] = _rate(acc["on_time"], acc["decided"])
    out["first_report_on_time_rate"] = _rate(acc["reported_on_time"], acc["reported"])
    return out


def summary(frm: date, to: date, division: str | None = None, now: datetime | None = None) -> dict:
    """On-time rates by unit, category and channel, and the open backlog by age, for cases received from
    ``frm`` to ``to`` (inclusive), optionally one unit's."""
    now, locale = now or utcnow(), get_locale()
    lo = datetime.combine(frm, time(0), tzinfo=BANGKOK)
    hi = datetime.combine(to + timedelta(days=1), time(0), tzinfo=BANGKOK)
    groups = {"unit": defaultdict(lambda: dict.fromkeys(FIGURES, 0)),
              "category": defaultdict(lambda: dict.fromkeys(FIGURES, 0)),
              "channel": defaultdict(lambda: dict.fromkeys(FIGURES, 0))}
    total, labels = dict.fromkeys(FIGURES, 0), bucket_labels()
    backlog = [0] * len(labels)
    n = len(FIGURES)
    for division_code, category_code, channel, *values in _grouped(lo, hi, division, now):
        figs = [v or 0 for v in values]  # FIGURES, then the age bands (positional: Row attributes are slow here)
        for acc in (groups["unit"][division_code], groups["category"][category_code], groups["channel"][channel],
                    total):
            for i, fig in enumerate(FIGURES):
                acc[fig] += figs[i]
        for i, count in enumerate(figs[n:]):
            backlog[i] += count
    units = {d.code: d.name(locale) for d in db.session.scalars(
        select(Division).where(Division.code.in_(list(groups["unit"]))))}
    cats = {c.code: c.name(locale) for c in db.session.scalars(select(Category))}

    def rows(dim, names):
        return sorted((_finish(k, names(k), v) for k, v in groups[dim].items()),
                      key=lambda x: (-x["received"], str(x["code"])))

    return {
        "from": frm.isoformat(), "to": to.isoformat(), "division": division, "generated_at": now.isoformat(),
        "totals": _finish(None, None, total),
        "by_unit": rows("unit", lambda k: units.get(k, k)),
        "by_category": rows("category", lambda k: cats.get(k) or t("sla.uncategorised")),
        "by_channel": rows("channel", lambda k: t(f"channel.{k}")),
        "backlog": [{"bucket": b, "label": t("sla.age_days", days=b), "open": n} for b, n in zip(labels, backlog,
                                                                                               strict=True)],
    }
