"""Export speed: 1,000,000 cases to CSV on PostgreSQL through the app's own export path, time and peak memory.

    .venv/bin/python bench/export.py [--cases 1000000] [--keep]

Creates a throw-away database (``idee_bench_export`` on ``BENCH_PG``, default the local test server), migrates it,
fills it with ``generate_series`` (cases with Thai texts, some holding personal data to mask, their complainants,
three deadlines and two or three hash-chained-shaped events each), then exports periods of 100k, 500k and 1M cases
with ``app.evidence.exports.write_csv``, each in a fresh process so its peak RSS is its own. The baseline, in the
same run, is PostgreSQL's ``COPY (<the same SELECT>) TO STDOUT``: the cost of the rows alone (with the timestamps
the server formats for the export), without masking or Python. Goals: 1M rows in ≤ 60 s and ≤ 300 MB, memory flat
as the rows grow. The last column is the 1-minute load average after each size: other work on the machine shows.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("BENCH_PG", "postgresql://idee:idee@127.0.0.1:5432")
DB = "idee_bench_export"
URL = f"{SERVER}/{DB}"
START = date(2024, 1, 1)
PER_DAY = 1000  #: cases received per day, so a period of N days holds N × 1000 cases

DESCRIPTIONS = [
    "โรงงานปล่อยกลิ่นเหม็นคล้ายสารเคมีทุกคืนหลังสี่ทุ่ม ชาวบ้านแสบจมูกและนอนไม่หลับ ขอให้ตรวจสอบด่วน",
    "เสียงเครื่องจักรดังตลอดคืนจากโรงงานริมถนน ติดต่อนายสมชาย ใจดี โทร 081-234-5678 ได้ตลอด",
    "ฝุ่นละอองจากโรงโม่หินฟุ้งกระจายเข้าบ้านเรือน เด็กเป็นภูมิแพ้ แจ้งโดยคุณมาลี ศรีสุข อีเมล malee@example.com",
    "ซื้อปลั๊กพ่วงไม่มีเครื่องหมาย มอก. ใช้แล้วไหม้ เลขบัตร 1-1017-00230-70-8 ขอให้ดำเนินการกับร้านค้า",
    "ไร่อ้อยข้างหมู่บ้านเผาทุกปี ควันและเขม่าดำปกคลุมหมู่บ้าน ขอให้สำนักงานคณะกรรมการอ้อยและน้ำตาลทรายตรวจสอบ",
]
CATEGORIES = ["FACTORY_POLLUTION", "FACTORY_POLLUTION", "MINING", "PRODUCT_STANDARD", "SUGARCANE"]
DIVISIONS = ["PIO-20", "PIO-21", "DPIM", "TISI", "OCSB"]
CHANNELS = ["web", "phone", "line", "letter", "walk_in"]


def pg(sql_url: str):
    import psycopg

    return psycopg.connect(sql_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def create_database() -> None:
    with pg(f"{SERVER}/postgres") as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")


def app():
    os.environ.update(DATABASE_URL=URL, APP_ENV="testing", SECRET_KEY="bench")
    from app import create_app

    return create_app({"REDIS_URL": None})


def fill(n: int) -> float:
    """Migrate, seed, and generate ``n`` cases with their rows; returns the seconds it took."""
    from flask_migrate import upgrade

    from app.accounts.seed import seed_demo_users
    from app.extensions import db
    from app.routing.seed import seed_reference

    t0 = time.perf_counter()
    application = app()
    with application.app_context():
        upgrade()
        seed_reference()
        seed_demo_users()
        db.session.commit()
        officer = db.session.execute(db.text("SELECT id FROM users WHERE username = 'officer'")).scalar()
    arr = lambda xs: "ARRAY[" + ",".join("'" + x + "'" for x in xs) + "]"  # noqa: E731
    with pg(URL) as conn:
        conn.execute(f"""
            INSERT INTO complainants (id, name, phone, email, national_id, created_at)
            SELECT g, 'สมหญิง ทดสอบ' || g, '+6681' || lpad(g::text, 7, '0'), 'p' || g || '@example.com',
                   '1' || lpad(g::text, 12, '0'), now()
            FROM generate_series(1, {n}) g""")
        conn.execute(f"""
            INSERT INTO cases (id, tracking_code, status, channel, subject, description, anonymous, complainant_id,
                province_code, category_code, division_code, routing_mode, received_at, created_at, updated_at,
                acknowledged_at, first_reported_at, concluded_at, closed_at, outcome, assignee_id, reopen_count)
            SELECT g, 'ID-' || lpad(to_hex(g), 12, '0'),
                   CASE WHEN g % 5 = 0 THEN 'in_progress' ELSE 'concluded' END,
                   ({arr(CHANNELS)})[1 + g % 5], 'เรื่องร้องเรียน ' || g, ({arr(DESCRIPTIONS)})[1 + g % 5], false, g,
                   CASE WHEN g % 2 = 0 THEN '20' ELSE '21' END, ({arr(CATEGORIES)})[1 + g % 5],
                   ({arr(DIVISIONS)})[1 + g % 5], 'auto', r, r, r,
                   r + interval '5 hours', r + (g % 20) * interval '1 day',
                   CASE WHEN g % 5 = 0 THEN NULL ELSE r + (g % 40) * interval '1 day' END, NULL,
                   CASE WHEN g % 5 = 0 THEN NULL ELSE 'concluded' END,
                   CASE WHEN g % 3 = 0 THEN {officer} END, 0
            FROM (SELECT g, timestamptz '{START} 00:00+07' + (g - 1) * interval '86.4 seconds' AS r
                  FROM generate_series(1, {n}) g) s""")
        conn.execute("""
            INSERT INTO deadlines (case_id, kind, due_at, basis)
            SELECT c.id, k.kind, c.received_at + k.days * interval '1 day', 'calendar:' || k.days
            FROM cases c CROSS JOIN (VALUES ('acknowledge', 1), ('first_report', 15), ('resolve', 30)) k(kind, days)""")
        conn.execute(f"""
            INSERT INTO case_events (seq, case_id, kind, actor_id, public, data, created_at, prev_hash, hash)
            SELECT row_number() OVER (ORDER BY at, case_id, kind), case_id, kind, actor, true, '{{}}', at,
                   md5(case_id::text || kind) || md5(kind), md5(kind || case_id::text) || md5(case_id::text)
            FROM (SELECT id AS case_id, 'received' AS kind, NULL::int AS actor, received_at AS at FROM cases
                  UNION ALL SELECT id, 'acknowledged', {officer}, acknowledged_at FROM cases
                  UNION ALL SELECT id, 'concluded', {officer}, concluded_at FROM cases
                  WHERE concluded_at IS NOT NULL) e""")
        conn.execute("""INSERT INTO audit_chain_head (id, seq, hash, updated_at)
                        SELECT 1, max(seq), max(hash), now() FROM case_events""")
        for table in ("complainants", "cases", "deadlines", "case_events"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        conn.execute("ANALYZE")
    return time.perf_counter() - t0


def child(days: int, out: str) -> None:
    """One export in this process: the app's own path, timed; prints rows, seconds and peak RSS."""
    from app.evidence.exports import write_csv
    from app.evidence.period import Period
    from app.evidence.seal import start_log
    from app.extensions import db

    application = app()
    with application.app_context():
        period = Period(START, START + timedelta(days=days))
        log = start_log("gecc", "csv", via="cli", period=period)
        db.session.commit()
        t0 = time.perf_counter()
        write_csv(period, out, log)
        seconds = time.perf_counter() - t0
        db.session.commit()
        print(json.dumps({"rows": log.rows, "seconds": round(seconds, 2), "bytes": os.path.getsize(out),
                          "maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))


def baseline(days: int, out: str) -> float:
    """``COPY (the export's own SELECT) TO STDOUT``: the database's share of the work, written to a file."""
    from sqlalchemy.dialects import postgresql

    from app.common.models import utcnow
    from app.evidence.period import Period
    from app.evidence.rows import export_query

    application = app()
    with application.app_context():
        stmt = export_query(Period(START, START + timedelta(days=days)), utcnow())
        compiled = stmt.compile(dialect=postgresql.psycopg.dialect(), compile_kwargs={"render_postcompile": True})
        sql, params = str(compiled), compiled.params
    with pg(URL) as conn:
        # COPY takes no parameters: render them as literals through the server's own quoting
        literal = {k: conn.execute("SELECT quote_literal(%s::text)", (str(v),)).fetchone()[0]
                   for k, v in params.items()}
        sql = sql % literal
        conn.execute("SET jit = off")  # as the export does (rows.no_jit)
        t0 = time.perf_counter()
        with conn.cursor() as cur, open(out, "wb") as fh, cur.copy(f"COPY ({sql}) TO STDOUT WITH CSV") as copy:
            for data in copy:
                fh.write(data)
        return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse the filled database of an earlier run")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.out)
    if not args.keep:
        create_database()
        print(f"filled {args.cases:,} cases in {fill(args.cases):.0f} s", flush=True)
    days_total = args.cases // PER_DAY
    print(f"{'rows':>9} {'export s':>9} {'COPY s':>7} {'ratio':>6} {'peak MB':>8} {'rows/s':>8} {'load':>5}")
    with tempfile.TemporaryDirectory() as tmp:
        for days in (days_total // 10, days_total // 2, days_total):
            out = os.path.join(tmp, f"e{days}.csv")
            proc = subprocess.run([sys.executable, __file__, "--child", str(days), "--out", out], cwd=ROOT,
                                  capture_output=True, text=True, check=True)
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            copy_s = baseline(days, os.path.join(tmp, f"b{days}.csv"))
            print(f"{res['rows']:>9,} {res['seconds']:>9.1f} {copy_s:>7.1f} {res['seconds'] / copy_s:>6.1f} "
                  f"{res['maxrss_mb']:>8.0f} {res['rows'] / res['seconds']:>8,.0f} {os.getloadavg()[0]:>5.1f}",
                  flush=True)


if __name__ == "__main__":
    main()
