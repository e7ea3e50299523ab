"""The SLA sweep and the quarter summary over 1,000,000 open cases on PostgreSQL, against baselines in the same run.

    python bench/sla.py [--open 1000000] [--decided 200000] [--rounds 3]

Builds ``idee_bench_sla`` (``BENCH_SLA_DATABASE_URL``) from the migrations, fills it with INSERT … SELECT
generate_series (cases received over the last year, three clocks each, a third with a progress clock, 5% licences),
as a database swept five minutes ago would look; then times:

- the scheduled sweep (every 5 minutes), a second sweep at the same moment (idempotent: nothing to do), a catch-up
  sweep after a day without sweeps, and a cold sweep (every clock back to ``ok``: the day the engine goes live);
- the summary for the last quarter (first call, then best of ``--rounds``).

Baselines: ``SELECT count(*)`` over the open clocks (what any sweep must at least look at) and over the quarter's
rows of ``case_sla`` (what any summary must at least read). The machine is shared: read the ratios.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)
PG = os.environ.get("BENCH_SLA_DATABASE_URL", "postgresql+psycopg://idee:idee@127.0.0.1:5432/idee_bench_sla")

FILL = [
    ("cases", """
INSERT INTO cases (id, tracking_code, status, channel, description, anonymous, division_code, category_code,
                   routing_mode, received_at, created_at, updated_at, reopen_count, acknowledged_at,
                   first_reported_at, concluded_at, outcome)
SELECT g::int, 'BENCH-' || g, CASE WHEN g <= :open THEN (ARRAY['assigned','acknowledged','in_progress'])[1 + g % 3]
                             ELSE 'concluded' END,
       (ARRAY['web','phone','letter','line','walk_in','email','traffy'])[1 + (g * 7919) % 7], 'bench',
       false, d.codes[1 + (g * 104729) % array_length(d.codes, 1)],
       c.codes[1 + (g * 1299709) % array_length(c.codes, 1)], 'auto', r.at, r.at, r.at, 0,
       CASE WHEN g % 3 <> 1 OR g > :open THEN r.at + interval '20 hours' END,
       CASE WHEN g % 3 = 0 OR g > :open THEN r.at + interval '3 days' END,
       CASE WHEN g > :open THEN LEAST(r.at + random() * interval '50 days', :now) END,
       CASE WHEN g > :open THEN 'concluded' END
FROM generate_series(1::bigint, :total) g
CROSS JOIN (SELECT array_agg(code) codes FROM divisions) d
CROSS JOIN (SELECT array_agg(code) codes FROM categories) c
CROSS JOIN LATERAL (SELECT :now - (g % 365) * interval '1 day' - random() * interval '1 day' AS at) r"""),
    ("deadlines", """
INSERT INTO deadlines (case_id, kind, seq, due_at, met_at, basis, started_at, paused_seconds, state, risk_at)
SELECT c.id, k.kind, 0, c.received_at + k.span, m.met, k.basis, c.received_at, 0,
       CASE WHEN m.met IS NOT NULL THEN 'met' WHEN c.received_at + k.span <= :swept THEN 'overdue'
            WHEN c.received_at + k.span * 0.8 <= :swept THEN 'at_risk' ELSE 'ok' END,
       c.received_at + k.span * 0.8
FROM cases c
CROSS JOIN (VALUES ('acknowledge', interval '30 hours', 'working_days:1'),
                   ('first_report', interval '21 days', 'working_days:15'),
                   ('resolve', interval '42 days', 'working_days:30')) k(kind, span, basis)
CROSS JOIN LATERAL (SELECT CASE k.kind WHEN 'acknowledge' THEN c.acknowledged_at
                                       WHEN 'first_report' THEN c.first_reported_at
                                       ELSE c.concluded_at END AS met) m"""),
    ("case_sla", """
INSERT INTO case_sla (case_id, service_slug, manual_version, licence, notice_basis, paused_total_seconds, updated_at,
                      received_at, division_code, category_code, channel, first_report_due_at, first_reported_at,
                      resolve_due_at, resolve_risk_at, resolved_at)
SELECT c.id, CASE WHEN c.id % 20 = 0 THEN 'factory-licence' ELSE 'complaint-handling' END, 1, c.id % 20 = 0,
       CASE WHEN c.id % 20 = 0 THEN 'days:7' ELSE 'working_days:15' END, 0, :now,
       c.received_at, c.division_code, c.category_code, c.channel, f.due_at, f.met_at, r.due_at, r.risk_at, r.met_at
FROM cases c JOIN deadlines f ON f.case_id = c.id AND f.kind = 'first_report' AND f.seq = 0
JOIN deadlines r ON r.case_id = c.id AND r.kind = 'resolve' AND r.seq = 0"""),
    ("progress clocks", """
INSERT INTO deadlines (case_id, kind, seq, due_at, basis, started_at, paused_seconds, state, risk_at)
SELECT id, 'progress', 1, :swept + random() * interval '15 days', 'working_days:15', first_reported_at, 0, 'ok',
       NULL
FROM cases WHERE status <> 'concluded' AND first_reported_at IS NOT NULL AND id % 20 <> 0"""),
]


def build(app, n_open: int, n_decided: int, now) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app.extensions import db
    from app.routing.seed import seed_reference

    with app.app_context():
        db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
        upgrade()
        seed_reference()
        db.session.commit()
        db.session.execute(text("SELECT setseed(0.42)"))
        params = {"open": n_open, "total": n_open + n_decided, "now": now, "swept": now - timedelta(minutes=5)}
        for name, sql in FILL:
            t0 = time.perf_counter()
            db.session.execute(text(sql), params)
            db.session.commit()
            print(f"  filled {name} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        db.session.execute(text("SELECT setval('cases_id_seq', (SELECT max(id) FROM cases))"))
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def timed(fn, rounds: int = 1) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(rounds):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--open", type=int, default=1_000_000)
    ap.add_argument("--decided", type=int, default=200_000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    sys.path.insert(0, str(ROOT / "bench"))
    from intake import ensure_database

    from app import create_app
    from app.common.models import utcnow

    ensure_database(PG)
    os.environ.setdefault("APP_ENV", "testing")
    app = create_app({"SQLALCHEMY_DATABASE_URI": PG, "REDIS_URL": None, "SECRET_KEY": "bench"})
    now = utcnow().replace(microsecond=0)
    t0 = time.perf_counter()
    build(app, args.open, args.decided, now)
    print(f"built {args.open:,} open + {args.decided:,} decided cases in {time.perf_counter() - t0:.0f} s")

    from sqlalchemy import text

    from app.extensions import db
    from app.sla.dashboard import summary
    from app.sla.sweep import sweep

    with app.app_context():
        def run(at):
            def go():
                out = sweep(at)
                db.session.commit()
                return out
            return go

        q = lambda sql, **p: db.session.execute(text(sql), p).scalar()  # noqa: E731
        base_sweep, open_clocks = timed(lambda: q("SELECT count(*) FROM deadlines WHERE met_at IS NULL"), 3)
        rows = [("baseline: count(*) of open clocks", base_sweep, f"{open_clocks:,} clocks")]
        for label, at in (("sweep, 5 minutes after the last", now), ("sweep again, same moment", now),
                          ("catch-up sweep after a day", now + timedelta(days=1))):
            secs, out = timed(run(at))
            moved = out["overdue"] + out["at_risk"]
            rows.append((label, secs, f"{moved:,} transitions, {out['citizen_notices']:,} notices, "
                                      f"{out['sla_unit_alerts']} unit digests"))
        frm = (now - timedelta(days=91)).date()
        base_sum, quarter = timed(lambda: q("SELECT count(*) FROM case_sla WHERE received_at >= :lo",
                                            lo=now - timedelta(days=91)), args.rounds)
        rows.append(("baseline: count(*) of the quarter's cases", base_sum, f"{quarter:,} cases"))
        first, _ = timed(lambda: summary(frm, now.date()))
        rows.append(("summary, one quarter, first call (cold cache)", first, ""))
        secs, s = timed(lambda: summary(frm, now.date()), args.rounds)
        rows.append(("summary, one quarter (best of rounds)", secs,
                     f"{s['totals']['received']:,} cases, {len(s['by_unit'])} units"))
        db.session.execute(text("UPDATE deadlines SET state = 'ok', state_changed_at = NULL "
                                "WHERE state IN ('at_risk', 'overdue')"))
        db.session.commit()
        secs, out = timed(run(now + timedelta(days=1, minutes=5)))
        rows.append(("cold sweep (go-live: every clock was ok)", secs,
                     f"{out['overdue'] + out['at_risk']:,} transitions, {out['alerts']:,} alerts"))

    width = max(len(r[0]) for r in rows)
    print(f"{'step'.ljust(width)}  seconds  × baseline  what")
    for label, secs, what in rows:
        base = base_sum if "summary" in label or "quarter" in label else base_sweep
        print(f"{label.ljust(width)}  {secs:7.3f}  {secs / base:9.1f}  {what}")


if __name__ == "__main__":
    main()
