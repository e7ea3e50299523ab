"""The bound for bench/intake.py: intake's work with its rows written the cheapest way possible.

The real app, plus one route that does what ``POST /api/v1/complaints`` must do before it can answer (CONTRACT.md:
the receipt shows the category, unit, routing and due dates; ARCHITECTURE.md: the case, its first events, deadlines
and outbox rows commit in one transaction): the real schema, classifier, routing, clocks and receipt, one RQ job. Only
the writes differ: hand-written SQL for PostgreSQL in two pipelined round trips, no ORM. It is not a way to run the
service (it skips the idempotency key, attachments, joint units and anonymity); it measures how far any intake on this
stack could go, so the intake's ratio can be read against it.
"""

import hashlib
import json
from types import SimpleNamespace

from flask import request

from app import create_app
from app.audit.services import GENESIS, canonical
from app.common.models import utcnow
from app.extensions import csrf, db
from app.intake.services import new_tracking_code
from app.intake.views import COMPLAINT_IN, RECEIPT
from app.outbox.services import queue, redis_connection
from app.routing.services import decide
from app.sla import rules
from app.sla import services as sla
from app.sla.policy import CASE_CLOCKS, policy_for

app = create_app()

#: complainant, case, lead unit, SLA row, three clocks and two outbox rows in one statement
CASE_ROWS = """
WITH p AS (INSERT INTO complainants (name, phone, email, national_id, created_at)
           VALUES (%(name)s, %(phone)s, %(email)s, %(national_id)s, %(now)s) RETURNING id),
c AS (INSERT INTO cases (tracking_code, status, channel, subject, description, anonymous, complainant_id,
        province_code, district_code, subdistrict_code, address, respondent_name, category_code, division_code,
        routing_mode, routing_confidence, suggested_category, routing_rule, routing_reason, model_version,
        received_at, created_at, updated_at, reopen_count)
      SELECT %(code)s, %(status)s, 'web', %(subject)s, %(description)s, false, p.id, %(province)s, %(district)s,
        %(subdistrict)s, %(address)s, %(respondent)s, %(category)s, %(division)s, %(mode)s, %(confidence)s,
        %(suggested)s, %(rule)s, %(reason)s, %(model)s, %(now)s, %(now)s, %(now)s, 0 FROM p RETURNING id),
u AS (INSERT INTO case_units (case_id, division_code, role) SELECT c.id, %(division)s, 'lead' FROM c),
s AS (INSERT INTO case_sla (case_id, service_slug, manual_version, licence, notice_basis, paused_total_seconds,
        updated_at, received_at, division_code, category_code, channel, first_report_due_at, resolve_due_at,
        resolve_risk_at)
      SELECT c.id, %(service)s, %(version)s, %(licence)s, %(notice)s, 0, %(now)s, %(now)s, %(division)s,
        %(category)s, 'web', %(first_report_due)s, %(resolve_due)s, %(resolve_risk)s FROM c),
d AS (INSERT INTO deadlines (case_id, kind, seq, due_at, basis, started_at, paused_seconds, state, risk_at)
      SELECT c.id, v.kind, 0, v.due::timestamptz, v.basis, %(now)s, 0, v.state, v.risk::timestamptz
      FROM c, json_to_recordset(%(clocks)s::json) AS v(kind text, due text, basis text, state text, risk text)),
o AS (INSERT INTO outbox (job, payload, dedupe_key, status, attempts, created_at)
      SELECT v.job, v.payload, v.dedupe_key, 'pending', 0, %(now)s
      FROM c, json_to_recordset(%(outbox)s::json) AS v(job text, payload json, dedupe_key text) RETURNING id)
SELECT (SELECT id FROM c), (SELECT array_agg(id ORDER BY id) FROM o)
"""
EVENT = ("INSERT INTO case_events (seq, case_id, kind, public, data, created_at, prev_hash, hash) "
         "VALUES (%s, %s, %s, true, %s, %s, %s, %s)")


@app.post("/bench/bound")
@csrf.exempt
def bound():
    data = COMPLAINT_IN.load(request.get_json())
    where, respondent = data.get("location") or {}, data.get("respondent") or {}
    person = data.get("complainant") or {}
    text = " ".join(filter(None, [data.get("subject"), data["description"], respondent.get("name")]))
    d = decide(text, where.get("province_code"), respondent.get("in_industrial_estate"))
    now, code = utcnow(), new_tracking_code()
    pol = policy_for("complaint-handling", now)
    cal, hours = sla.calendar(), rules.hours_for(d.division)
    clocks = {}
    for kind in CASE_CLOCKS:
        due, risk, state = sla.plan(kind, pol.clocks[kind].basis, now, 0, "ok", cal, hours, now, False)
        clocks[kind] = SimpleNamespace(kind=kind, due_at=due, risk_at=risk, state=state, basis=pol.clocks[kind].basis)
    params = {
        "name": person.get("name"), "phone": person.get("phone"), "email": person.get("email"),
        "national_id": person.get("national_id"), "now": now, "code": code,
        "status": "assigned" if d.mode == "auto" else "triage", "subject": data.get("subject"),
        "description": data["description"], "province": where.get("province_code"),
        "district": where.get("district_code"), "subdistrict": where.get("subdistrict_code"),
        "address": where.get("address"), "respondent": respondent.get("name"), "category": d.category,
        "division": d.division, "mode": d.mode, "confidence": d.confidence, "suggested": d.suggested_category,
        "rule": d.rule, "reason": d.reason, "model": d.model_version, "service": pol.slug, "version": pol.version,
        "licence": pol.licence, "notice": pol.every.basis, "first_report_due": clocks["first_report"].due_at,
        "resolve_due": clocks["resolve"].due_at, "resolve_risk": clocks["resolve"].risk_at,
        "clocks": json.dumps([{"kind": c.kind, "due": c.due_at.isoformat(), "basis": c.basis, "state": c.state,
                               "risk": c.risk_at.isoformat()} for c in clocks.values()]),
        "outbox": json.dumps([{"job": "notify_unit_new_case", "payload": {"unit": d.division, "code": code},
                               "dedupe_key": f"unit-new:{code}:{d.division}"},
                              {"job": "case_received", "payload": {"code": code}, "dedupe_key": f"received:{code}"}]),
    }
    pg = db.session.connection().connection.driver_connection
    with pg.pipeline():  # one round trip: the rows, and the chain's head locked
        pg.execute("INSERT INTO audit_chain_head (id, seq, hash, updated_at) VALUES (1, 0, %s, %s) "
                   "ON CONFLICT DO NOTHING", (GENESIS, now))
        rows = pg.execute(CASE_ROWS, params)
        head = pg.execute("SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE")
        case_id, outbox_ids = rows.fetchone()
        seq, prev = head.fetchone()
    events = []
    for kind, body in (("received", {"channel": "web", "attachments": 0, "anonymous": False}),
                       ("routed", {"mode": d.mode, "division": d.division, "category": d.category})):
        seq += 1
        ev = SimpleNamespace(seq=seq, case_id=case_id, kind=kind, actor_id=None, public=True, data=body,
                             created_at=now, prev_hash=prev)
        ev.hash = hashlib.sha256(canonical(ev)).hexdigest()
        events.append((seq, case_id, kind, json.dumps(body), now, prev, ev.hash))
        prev = ev.hash
    with pg.pipeline():  # the second: the events and the head
        with pg.cursor() as cur:
            cur.executemany(EVENT, events)
        pg.execute("UPDATE audit_chain_head SET seq = %s, hash = %s, updated_at = %s WHERE id = 1", (seq, prev, now))
    db.session.commit()
    if redis_connection() is not None:  # one job for the rows, as the intake's relay does (never run: no worker here)
        queue().enqueue("workers.jobs.run_outbox_rows", outbox_ids, job_id=f"bound-{outbox_ids[0]}", result_ttl=3600)
    case = SimpleNamespace(tracking_code=code, status=params["status"], category_code=d.category,
                           division_code=d.division, routing_mode=d.mode, routing_confidence=d.confidence,
                           suggested_category=d.suggested_category, routing_reason=d.reason, anonymous=False,
                           received_at=now, deadlines=list(clocks.values()))
    return RECEIPT.dump(case), 201
