"""Intake throughput under gunicorn on PostgreSQL, against a bare Flask + SQLAlchemy one-row insert in the same run.

    python bench/intake.py [--requests 1500] [--concurrency 4] [--workers 2] [--rounds 2]

Needs PostgreSQL (``BENCH_DATABASE_URL``, default the CI test server) and optionally Redis (``BENCH_REDIS_URL``; with
it, notifications go through RQ as in production, without it they run inline in the request). The two servers are
measured alternately, ``--rounds`` times each, and the best round of each is compared: the machine is shared and
noisy, so only the ratio means anything. A third run sends the same text to ``POST /api/v1/classify`` on the intake
server (validation, classifier and routing with nothing stored): the ceiling for any intake that routes in the
request. A fourth does all of intake's work but writes its rows in hand-written SQL (``bench/bound_app.py``): about
the most any intake that keeps ARCHITECTURE.md's one transaction can reach on this stack.
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # run as a script: import the project, not bench/classifier.py as "classifier"
PG = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://idee:idee@127.0.0.1:5432/idee_bench")
PAYLOAD = {
    "subject": "กลิ่นเหม็นจากโรงงานช่วงกลางคืน",
    "description": "โรงงานหลอมพลาสติกข้างหมู่บ้านปล่อยควันและกลิ่นเหม็นไหม้ทุกคืนหลังสี่ทุ่ม เด็กและผู้สูงอายุไอ "
                   "แสบตา นอนไม่หลับมาสองสัปดาห์แล้ว ขอให้เจ้าหน้าที่เข้าตรวจสอบด้วยครับ",
    "complainant": {"name": "สมชาย ทดสอบระบบ", "phone": "081-234-5678", "email": "somchai@example.com"},
    "location": {"province": "ระยอง", "district": "ปลวกแดง", "address": "หมู่ 4 ถนนสาย 331"},
    "respondent": {"name": "บริษัท พลาสติกตัวอย่าง จำกัด"},
}


def ensure_database(url: str) -> None:
    """Create the bench database from scratch (dropping an old one)."""
    from sqlalchemy import create_engine, make_url, text

    parsed = make_url(url)
    name = parsed.database
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def serve(app_path: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
           app_path]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"{app_path} did not start")


#: the same text and place through ``POST /api/v1/classify``: validation, classifier and routing, nothing stored
CLASSIFY = {"text": " ".join([PAYLOAD["subject"], PAYLOAD["description"]]), "location": PAYLOAD["location"],
            "respondent": PAYLOAD["respondent"]}


def drive(port: int, total: int, concurrency: int, path: str = "/api/v1/complaints", payload: dict = PAYLOAD,
          expect: int = 201) -> dict:
    """POST ``total`` requests over ``concurrency`` connections; latency of each, wall time of all."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"}
    latencies, errors, lock = [], [], threading.Lock()
    per_thread = total // concurrency

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for _ in range(per_thread):
            t0 = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == expect
                if resp.will_close:  # gunicorn's sync workers close after each response
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            mine.append(time.perf_counter() - t0)
            if not ok:
                with lock:
                    errors.append(1)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()
    return {"rps": len(latencies) / wall, "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))], "errors": len(errors), "n": len(latencies)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=1500)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()

    ensure_database(PG)
    env = {**os.environ, "DATABASE_URL": PG, "APP_ENV": "production", "SECRET_KEY": "bench",
           "RATELIMIT_ENABLED": "false", "FLASK_APP": "wsgi", "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    for step in (["db", "upgrade"], ["seed"]):
        subprocess.run([sys.executable, "-m", "flask", *step], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "-c", "from bench.bare_app import create_table; create_table()"], cwd=ROOT,
                   env=env, check=True)
    from classifier.model import ModelNotAvailable, load

    try:
        classifier = load().version
    except ModelNotAvailable:
        classifier = "none (run `make model`): every case goes to triage"

    servers = {"bare": ("bench.bare_app:app", 8711), "intake": ("wsgi:app", 8712),
               "bound": ("bench.bound_app:app", 8713)}
    # what is measured: (server, path, body, expected status); "classify" is intake's work minus storage
    runs = {"bare": ("bare", "/api/v1/complaints", PAYLOAD, 201),
            "intake": ("intake", "/api/v1/complaints", PAYLOAD, 201),
            "classify": ("intake", "/api/v1/classify", CLASSIFY, 200),
            "bound": ("bound", "/bench/bound", PAYLOAD, 201)}
    procs = {name: serve(path, port, args.workers, env) for name, (path, port) in servers.items()}
    results = {name: [] for name in runs}
    try:
        for server, path, payload, status in runs.values():  # warm-up: imports, model load, connection pools
            drive(servers[server][1], 100, args.concurrency, path, payload, status)
        for _ in range(args.rounds):
            for name, (server, path, payload, status) in runs.items():
                results[name].append(drive(servers[server][1], args.requests, args.concurrency, path, payload, status))
    finally:
        for p in procs.values():
            p.terminate()
            p.wait()
    best = {name: max(rs, key=lambda r: r["rps"]) for name, rs in results.items()}
    print(f"classifier: {classifier}; redis: {'yes' if 'REDIS_URL' in env else 'no (inline jobs)'}; "
          f"gunicorn workers: {args.workers}; client connections: {args.concurrency}")
    for name, r in best.items():
        print(f"{name:8s} {r['rps']:8.1f} req/s   p50 {r['p50_ms']:7.2f} ms   p99 {r['p99_ms']:7.2f} ms   "
              f"errors {r['errors']}/{r['n']}")
    ratio = best["intake"]["rps"] / best["bare"]["rps"]
    ceiling = best["classify"]["rps"] / best["bare"]["rps"]
    bound = best["bound"]["rps"] / best["bare"]["rps"]
    print(f"ratio intake/bare throughput: {ratio:.2f} (goal >= 0.60)")
    print(f"ratio classify/bare throughput: {ceiling:.2f} (intake's validation, classifier and routing alone, "
          "nothing stored: the most any intake that classifies in the request could reach)")
    print(f"ratio bound/bare throughput: {bound:.2f} (intake's work with its rows in hand-written SQL, two round "
          "trips and no ORM: bench/bound_app.py; about the most an intake on this stack can reach)")
    print(json.dumps({"best": best, "rounds": results, "ratio": round(ratio, 3), "ceiling": round(ceiling, 3),
                      "bound": round(bound, 3)}))


if __name__ == "__main__":
    main()
