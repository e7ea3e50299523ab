"""Case-level evidence rows: every lifecycle timestamp, its deadline, the acting staff, personal data masked.

One streamed query (server-side cursor on PostgreSQL via ``yield_per``) feeds every format, so memory stays flat
however many cases the period holds. Deadlines are folded into one row per case by a grouped subquery; the acting
staff come from the events (``actor_id``) and are named from a small in-memory map of users.
"""

import queue
import threading
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import (
    DateTime,
    Float,
    Text,
    and_,
    bindparam,
    case,
    cast,
    extract,
    func,
    literal_column,
    select,
    text,
    type_coerce,
)

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


def on_server() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


#: ``local()`` in SQL: the fixed +07:00 offset (as :data:`~app.evidence.period.BANGKOK`), seconds truncated as
#: ``isoformat(timespec="seconds")`` does
_ISO = "'YYYY-MM-DD\"T\"HH24:MI:SS\"+07:00\"'"


def _sql_local(col):
    return func.coalesce(func.to_char(func.timezone(literal_column("INTERVAL '+07:00'"), col),
                                      literal_column(_ISO)), "")


def _sql_on_time(done, due, now):
    """:func:`on_time` in SQL."""
    return case((due.is_(None), ""), (done.is_not(None), case((done <= due, "yes"), else_="no")),
                (due < now, "no"), else_="")


def _sql_days(start, end):
    """Seconds between two times as the same float Python's ``total_seconds() / DAY`` gives (the epochs are exact
    numerics; their difference is rounded once to a double); formatted in Python, whose rounding differs."""
    return cast(extract("epoch", end) - extract("epoch", start), Float) / DAY


def server_query(period: Period, now: datetime):
    """:func:`base_query` with the row's timestamps, on-time flags and plain cells already formatted by
    PostgreSQL (in the cell order of :func:`format_row`): the server's C code does in a parallel process what
    took Python about a third of an export. Day counts come as floats and the free text still goes through
    :mod:`~app.evidence.masking`."""
    base = base_query(period).order_by(None).subquery("b")
    c = base.c
    now_p = bindparam("now", now, type_=DateTime(timezone=True))
    blank = lambda col: func.coalesce(col, "")  # noqa: E731
    cols = [c.tracking_code, *[blank(x) for x in (c.channel, c.category_code, c.division_code, c.province_code,
                                                   c.status, c.outcome)],
            case((c.anonymous, "yes"), else_="no"),
            _sql_local(c.received_at), _sql_local(c.created_at),
            _sql_local(c.acknowledge_due), _sql_local(c.acknowledged_at),
            _sql_on_time(c.acknowledged_at, c.acknowledge_due, now_p),
            _sql_local(c.first_report_due), _sql_local(c.first_reported_at),
            _sql_on_time(c.first_reported_at, c.first_report_due, now_p),
            _sql_local(c.resolve_due), _sql_local(c.concluded_at),
            _sql_on_time(c.concluded_at, c.resolve_due, now_p),
            _sql_local(c.closed_at), _sql_days(c.received_at, c.first_reported_at),
            _sql_days(c.received_at, c.concluded_at), c.ack_actor, c.end_actor, c.assignee_id,
            blank(cast(c.csat_score, Text)), c.subject, c.description,
            c.name, c.phone, c.email, c.national_id]
    return select(*cols).order_by(c.received_at, c.id)


def export_query(period: Period, now: datetime):
    """The SELECT an export runs: :func:`server_query` on PostgreSQL, :func:`base_query` elsewhere."""
    return server_query(period, now) if on_server() else base_query(period)


def stream(period: Period, batch: int = 2000, query=None) -> Iterator:
    """The raw result rows, fetched ``batch`` at a time through a server-side cursor."""
    return (row for part in batches(period, batch, query) for row in part)


def batches(period: Period, batch: int = 2000, query=None) -> Iterator:
    """The result rows of ``query`` (default :func:`base_query`) in lists of up to ``batch``, fetched through a
    server-side cursor."""
    stmt = (query if query is not None else base_query(period)).execution_options(yield_per=batch,
                                                                                   stream_results=True)
    no_jit()
    # Core execution on the session's connection, fetched a batch at a time: the ORM layer and row-by-row
    # fetching add nothing for plain columns but a cost per row, which a million rows multiply
    result = db.session.connection().execute(stmt)
    if on_server():
        return prefetch(result.partitions())
    return iter(result.partitions())


def formatted(period: Period, users: dict, now: datetime, batch: int = 2000) -> Iterator[list[list[str]]]:
    """The period's rows as the strings every format writes, in lists of up to ``batch``: formatted by the server
    on PostgreSQL (:func:`server_query`, then :func:`format_server_row`), by :func:`format_row` elsewhere. Both
    give the same cells (a test compares them)."""
    if on_server():
        for part in batches(period, batch, server_query(period, now)):
            yield [format_server_row(r, users) for r in part]
    else:
        for part in batches(period, batch):
            yield [format_row(r, users, now) for r in part]


_END = object()


def prefetch(parts: Iterator, depth: int = 2) -> Iterator:
    """The batches of ``parts``, the next ones fetched by a thread while the caller formats this one.

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
            yield item
    finally:
        stop.set()  # the caller stopped early (or failed): let the thread finish its fetch and go
        worker.join(timeout=30)


def no_jit() -> None:
    """PostgreSQL's JIT spends seconds compiling this long-running scan for no gain; off for this transaction."""
    if on_server():
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


def _fmt_days(days: float | None) -> str:
    return "" if days is None else f"{days:.2f}"


def format_server_row(r, users: dict) -> list[str]:
    """One row of :func:`server_query` as :func:`format_row` gives it: the cells the server could not do."""
    (*cells, told_days, end_days, ack_actor, end_actor, assignee, score, subject, description, name, phone,
     email, national_id) = r
    known = known_values(name, phone, email, national_id)
    cells.insert(8, mask_name(name) or "")
    cells += [_fmt_days(told_days), _fmt_days(end_days),
              users.get(ack_actor, ""), users.get(end_actor, ""), users.get(assignee, ""), score,
              mask_text(subject, known) or "", mask_text(description, known) or ""]
    return cells


def staff_names() -> dict:
    """``{user id: full name}``; staff are few, so one query beats a join per row."""
    return {uid: name or username for uid, name, username in
            db.session.execute(select(User.id, User.full_name, User.username))}
