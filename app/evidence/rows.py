"""Case-level evidence rows: every lifecycle timestamp, its deadline, the acting staff, personal data masked.

One streamed query (server-side cursor on PostgreSQL via ``yield_per``) feeds every format, so memory stays flat
however many cases the period holds. Deadlines are folded into one row per case by a grouped subquery; the acting
staff come from the events (``actor_id``) and are named from a small in-memory map of users.
"""

import queue
import threading
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import DateTime, and_, case, func, select, text, type_coerce

from app.accounts.models import User
from app.cases.models import Case, CaseEvent
from app.common.models import UTCDateTime
from app.csat.models import Feedback
from app.evidence.masking import known_values, mask_name, mask_text
from app.evidence.period import Period, local
from app.extensions import db
from app.intake.models import Complainant
from app.sla.models import Deadline

#: (key, Thai heading); the order is the file's column order
COLUMNS = [
    ("tracking_code", "รหัสติดตาม"), ("channel", "ช่องทาง"), ("category", "ประเภทเรื่อง"),
    ("unit", "หน่วยงาน"), ("province", "จังหวัด"), ("status", "สถานะ"), ("outcome", "ผลการพิจารณา"),
    ("anonymous", "ไม่ประสงค์ออกนาม"), ("complainant", "ผู้ร้อง (ปิดบัง)"),
    ("received_at", "รับเรื่อง"), ("registered_at", "ลงทะเบียน"),
    ("acknowledge_due", "กำหนดรับทราบ"), ("acknowledged_at", "หน่วยงานรับทราบ"), ("acknowledged_on_time", "รับทราบทันเวลา"),
    ("first_report_due", "กำหนดแจ้งผู้ร้อง"), ("first_reported_at", "แจ้งผู้ร้องครั้งแรก"),
    ("told_on_time", "แจ้งภายในกำหนด (ITA 15 วัน)"),
    ("resolve_due", "กำหนดแล้วเสร็จ (คู่มือประชาชน)"), ("concluded_at", "วินิจฉัย/ยุติ"), ("resolved_on_time", "เสร็จภายในกำหนด"),
    ("closed_at", "ปิดเรื่อง"), ("days_to_first_report", "วันถึงแจ้งผู้ร้อง"), ("days_to_conclude", "วันถึงยุติ"),
    ("acknowledged_by", "ผู้รับทราบ"), ("concluded_by", "ผู้ยุติเรื่อง"), ("assignee", "ผู้รับผิดชอบ"),
    ("csat_score", "คะแนนความพึงพอใจ"), ("subject", "หัวข้อ (ปิดบังข้อมูลส่วนบุคคล)"),
    ("description", "รายละเอียด (ปิดบังข้อมูลส่วนบุคคล)"),
]
KEYS = [k for k, _ in COLUMNS]
HEADINGS = [h for _, h in COLUMNS]
DECISION_EVENTS = ("concluded", "not_concluded", "referred_out", "merged")
DAY = 86400.0


def deadlines_subquery(case_ids):
    """One row per case with the due time of its three clocks (the latest if one was recomputed)."""
    cols = [Deadline.case_id]
    for kind in ("acknowledge", "first_report", "resolve"):
        agg = func.max(case((Deadline.kind == kind, Deadline.due_at)))
        cols.append(type_coerce(agg, UTCDateTime).label(f"{kind}_due"))
    return select(*cols).where(Deadline.case_id.in_(case_ids)).group_by(Deadline.case_id).subquery("dl")


def _actor(kinds):
    return (select(CaseEvent.actor_id).where(CaseEvent.case_id == Case.id, CaseEvent.kind.in_(kinds),
                                             CaseEvent.actor_id.is_not(None))
            .order_by(CaseEvent.seq.desc()).limit(1).scalar_subquery())


def base_query(period: Period, with_text: bool = True):
    """The period's cases (received in [from, to)) joined with their deadlines and rating, oldest first."""
    in_period = and_(Case.received_at >= period.utc_start, Case.received_at < period.utc_end)
    dl = deadlines_subquery(select(Case.id).where(in_period))
    ts = _raw_timestamps()
    cols = [Case.id, Case.tracking_code, Case.channel, Case.category_code, Case.division_code, Case.province_code,
            Case.status, Case.outcome, Case.anonymous,
            *[ts(c) for c in (Case.received_at, Case.created_at, Case.acknowledged_at, Case.first_reported_at,
                              Case.concluded_at, Case.closed_at)], Case.assignee_id,
            *[ts(c) for c in dl.c if c.name != "case_id"], Feedback.score.label("csat_score")]
    if with_text:
        cols += [Case.subject, Case.description, Complainant.name, Complainant.phone, Complainant.email,
                 Complainant.national_id, _actor(("acknowledged",)).label("ack_actor"),
                 _actor(DECISION_EVENTS).label("end_actor")]
    stmt = (select(*cols).select_from(Case)
            .outerjoin(dl, dl.c.case_id == Case.id)
            .outerjoin(Feedback, Feedback.case_id == Case.id)
            .where(in_period).order_by(Case.received_at, Case.id))
    if with_text:
        stmt = stmt.outerjoin(Complainant, Complainant.id == Case.complainant_id)
    return stmt


def _raw_timestamps():
    """PostgreSQL hands back aware datetimes already: skip the per-value conversion of ``UTCDateTime`` there
    (nine columns × a million rows). SQLite returns naive text and keeps the conversion."""
    if db.session.get_bind().dialect.name != "postgresql":
        return lambda col: col
    return lambda col: type_coerce(col, DateTime(timezone=True)).label(col.key if hasattr(col, "key") else col.name)


def count_cases(period: Period) -> int:
    return db.session.scalar(select(func.count(Case.id)).where(
        Case.received_at >= period.utc_start, Case.received_at < period.utc_end))


def stream(period: Period, batch: int = 2000) -> Iterator:
    """The raw result rows, fetched ``batch`` at a time through a server-side cursor."""
    stmt = base_query(period).execution_options(yield_per=batch, stream_results=True)
    no_jit()
    # Core execution on the session's connection, fetched a batch at a time: the ORM layer and row-by-row
    # fetching add nothing for plain columns but a cost per row, which a million rows multiply
    result = db.session.connection().execute(stmt)
    if db.session.get_bind().dialect.name == "postgresql":
        return prefetch(result.partitions())
    return (row for part in result.partitions() for row in part)


_END = object()


def prefetch(parts: Iterator, depth: int = 2) -> Iterator:
    """Rows of ``parts`` (batches), the next batches fetched by a thread while the caller formats this one.

    PostgreSQL runs the query in its own process and psycopg releases the GIL while it waits, so the server's work
    (about a third of an export) overlaps with Python's instead of adding to it. Only this thread touches the
    result; the caller must not use the session's connection until the iteration ends (the exports do not).
    """
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def pump() -> None:
        try:
            for part in parts:
                if not put(part):
                    return
            put(_END)
        except BaseException as exc:  # handed to the caller, raised there
            put(exc)

    worker = threading.Thread(target=pump, name="export-prefetch", daemon=True)
    worker.start()
    try:
        while (item := q.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield from item
    finally:
        stop.set()  # the caller stopped early (or failed): let the thread finish its fetch and go
        worker.join(timeout=30)


def no_jit() -> None:
    """PostgreSQL's JIT spends seconds compiling this long-running scan for no gain; off for this transaction."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))


def on_time(done: datetime | None, due: datetime | None, now: datetime) -> str:
    """``yes``/``no`` once it is decided, ``""`` while the deadline has not yet passed (or there is none)."""
    if due is None:
        return ""
    if done is not None:
        return "yes" if done <= due else "no"
    return "no" if due < now else ""


def _days(start: datetime | None, end: datetime | None) -> str:
    return f"{(end - start).total_seconds() / DAY:.2f}" if start is not None and end is not None else ""


def format_row(r, users: dict, now: datetime) -> list[str]:
    """One case as the strings every format writes (the canonical form the seal's digest covers)."""
    # positional unpacking: a million rows make attribute lookups on Row objects a measurable cost
    (_id, code, channel, category, unit, province, status, outcome, anonymous, received, created, acked, told,
     concluded, closed, assignee, ack_due, told_due, resolve_due, score, subject, description, name, phone, email,
     national_id, ack_actor, end_actor) = r
    known = known_values(name, phone, email, national_id)
    return [
        code, channel or "", category or "", unit or "", province or "", status or "", outcome or "",
        "yes" if anonymous else "no", mask_name(name) or "",
        local(received), local(created),
        local(ack_due), local(acked), on_time(acked, ack_due, now),
        local(told_due), local(told), on_time(told, told_due, now),
        local(resolve_due), local(concluded), on_time(concluded, resolve_due, now),
        local(closed), _days(received, told), _days(received, concluded),
        users.get(ack_actor, ""), users.get(end_actor, ""), users.get(assignee, ""),
        "" if score is None else str(score),
        mask_text(subject, known) or "", mask_text(description, known) or "",
    ]


def staff_names() -> dict:
    """``{user id: full name}``; staff are few, so one query beats a join per row."""
    return {uid: name or username for uid, name, username in
            db.session.execute(select(User.id, User.full_name, User.username))}
