"""The open dataset: anonymised monthly counts by category, province and outcome, with CKAN-style metadata for
the Government Data Catalog (data.go.th, whose schema extends CKAN's with Thai fields). Rebuilt by a job.

Anonymised by construction (counts only, no text, no dates finer than a month) and by suppression: a cell counting
fewer than ``OPEN_DATA_MIN_CELL`` cases is published empty and flagged, since a handful of complaints about one
factory in one province in one month can point at the people who made them. Totals are not published beside the
cells, so a suppressed count cannot be recovered by subtraction.
"""

import csv
import io
import json
from collections import Counter

from flask import current_app
from sqlalchemy import delete, select

from app.cases.models import Case
from app.common.geo import province_name
from app.common.i18n import t
from app.common.models import utcnow
from app.evidence.models import OpenDataSnapshot
from app.evidence.period import BANGKOK
from app.extensions import db
from app.outbox import services as outbox
from app.routing.models import Category

NAME = "complaints-monthly"
FIELDS = ["month", "category_code", "category_name", "province_code", "province_name", "outcome", "outcome_name",
          "complaints", "suppressed"]
KEEP = 3  #: snapshots kept (the newest is served; older ones show what was published before)


def build_rows(min_cell: int) -> list[dict]:
    """Every (month, category, province, outcome) cell with its count, small cells suppressed."""
    counts = Counter()
    stmt = select(Case.received_at, Case.category_code, Case.province_code, Case.outcome) \
        .execution_options(yield_per=10000, stream_results=True)
    for received, category, province, outcome in db.session.execute(stmt):
        counts[(received.astimezone(BANGKOK).strftime("%Y-%m"), category or "", province or "",
                outcome or "open")] += 1
    categories = dict(db.session.execute(select(Category.code, Category.name_th)).all())
    rows = []
    for (month, category, province, outcome), n in sorted(counts.items()):
        small = n < min_cell
        rows.append({"month": month, "category_code": category, "category_name": categories.get(category, ""),
                     "province_code": province, "province_name": province_name(province) or "",
                     "outcome": outcome, "outcome_name": outcome_name(outcome),
                     "complaints": None if small else n, "suppressed": small})
    return rows


def outcome_name(outcome: str) -> str:
    return t("evidence.open" if outcome == "open" else f"status.{outcome}", "th")


def catalog(rows: list[dict], built_at) -> dict:
    """The dataset's catalogue entry: CKAN core fields plus the data.go.th extension fields, in Thai."""
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    min_cell = current_app.config["OPEN_DATA_MIN_CELL"]
    months = [r["month"] for r in rows]
    return {
        "name": "moi-idee-complaints-monthly",
        "title": "สถิติเรื่องร้องเรียนกระทรวงอุตสาหกรรมรายเดือน จำแนกตามประเภท จังหวัด และผลการพิจารณา",
        "notes": ("จำนวนเรื่องร้องเรียนที่ศูนย์รับเรื่องร้องเรียน i-Dee กระทรวงอุตสาหกรรมได้รับ รายเดือน (ตามวันที่รับเรื่อง "
                  "เวลาประเทศไทย) จำแนกตามประเภทเรื่อง จังหวัดที่เกิดเหตุ และผลการพิจารณา ไม่มีข้อมูลส่วนบุคคล "
                  f"ช่องที่มีจำนวนน้อยกว่า {min_cell} เรื่องไม่เปิดเผยตัวเลข (suppressed = true) เพื่อป้องกันการระบุตัวผู้ร้อง "
                  "และไม่เผยแพร่ยอดรวมเพื่อไม่ให้คำนวณย้อนกลับได้"),
        "tags": [{"name": n} for n in ("เรื่องร้องเรียน", "กระทรวงอุตสาหกรรม", "โรงงาน", "ศูนย์ราชการสะดวก", "GECC")],
        "license_id": current_app.config["OPEN_DATA_LICENSE"],
        "organization": {"name": "moi", "title": "กระทรวงอุตสาหกรรม"},
        "maintainer": "ศูนย์รับเรื่องร้องเรียน กระทรวงอุตสาหกรรม",
        "maintainer_email": current_app.config.get("TRIAGE_NOTIFY_EMAIL"),
        "url": f"{base}/open-data/catalog.json",
        "data_type": "ข้อมูลสถิติ",
        "data_category": "ข้อมูลสาธารณะ",
        "data_classification": "เปิดเผย",
        "objective": ["เพื่อการเปิดเผยข้อมูลตามกฎหมาย", "การประเมินคุณธรรมและความโปร่งใส (ITA)"],
        "update_frequency_unit": "วัน",
        "update_frequency_interval": 1,
        "geo_coverage": "ประเทศ",
        "spatial": "ประเทศไทย (รายจังหวัด)",
        "temporal_coverage_start": min(months) if months else None,
        "temporal_coverage_end": max(months) if months else None,
        "data_source": "ระบบรับเรื่องร้องเรียน i-Dee กระทรวงอุตสาหกรรม",
        "data_format": ["CSV", "JSON"],
        "data_language": ["ไทย"],
        "accessible_condition": "ไม่มีเงื่อนไข",
        "metadata_modified": built_at.isoformat(timespec="seconds"),
        "num_rows": len(rows),
        "fields": [{"id": f} for f in FIELDS],
        "resources": [
            {"name": "สถิติรายเดือน (CSV)", "format": "CSV", "mimetype": "text/csv",
             "url": f"{base}/open-data/{NAME}.csv"},
            {"name": "สถิติรายเดือน (JSON)", "format": "JSON", "mimetype": "application/json",
             "url": f"{base}/open-data/{NAME}.json"},
        ],
    }


def refresh() -> OpenDataSnapshot:
    """Rebuild the dataset and its metadata as a new snapshot (flushed); older snapshots beyond ``KEEP`` go."""
    rows = build_rows(current_app.config["OPEN_DATA_MIN_CELL"])
    now = utcnow()
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({**r, "complaints": "" if r["complaints"] is None else r["complaints"],
                      "suppressed": "true" if r["suppressed"] else "false"} for r in rows)
    snap = OpenDataSnapshot(name=NAME, rows=len(rows), content_csv="\ufeff" + buf.getvalue(),
                            content_json=json.dumps({"fields": FIELDS, "records": rows}, ensure_ascii=False),
                            catalog_json=json.dumps(catalog(rows, now), ensure_ascii=False), created_at=now)
    db.session.add(snap)
    db.session.flush()
    keep = select(OpenDataSnapshot.id).where(OpenDataSnapshot.name == NAME) \
        .order_by(OpenDataSnapshot.id.desc()).limit(KEEP)
    db.session.execute(delete(OpenDataSnapshot).where(OpenDataSnapshot.name == NAME,
                                                      OpenDataSnapshot.id.not_in(keep.scalar_subquery())))
    return snap


def latest() -> OpenDataSnapshot | None:
    return db.session.scalar(select(OpenDataSnapshot).where(OpenDataSnapshot.name == NAME)
                             .order_by(OpenDataSnapshot.id.desc()).limit(1))


@outbox.handler("opendata_refresh")
def refresh_job(msg) -> None:
    refresh()
