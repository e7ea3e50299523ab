"""PDPA endpoints, operated by staff on a data subject's written request (the data protection officer's desk)."""

import io
import json
import zipfile

from flask import Blueprint, send_file

from app.common.auth import current_staff, require_roles
from app.common.db import commit
from app.common.http import json_body
from app.pdpa import services
from app.pdpa.schemas import AccessIn, EraseIn

bp = Blueprint("pdpa", __name__)
#: the data protection officer works as an administrator; supervisors may answer access requests too
PDPA_ROLES = ("admin", "supervisor")

README = """ข้อมูลส่วนบุคคลของท่านที่ระบบรับเรื่องร้องเรียน i-Dee กระทรวงอุตสาหกรรมจัดเก็บ (ตามคำขอใช้สิทธิ
เข้าถึงข้อมูล มาตรา 30 พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562) อยู่ในไฟล์ data.json (UTF-8):
people = ข้อมูลผู้ร้อง, cases = เรื่องร้องเรียนและความคืบหน้าที่แจ้งท่าน, notifications = ข้อความที่ส่งถึงท่าน
"""


@bp.post("/api/v1/pdpa/access")
@require_roles(*PDPA_ROLES)
def access():
    data = AccessIn().load(json_body())
    package, log_id = services.access_package(data, current_staff(), data["format"])
    commit()
    if data["format"] == "json":
        return package, 200, {"X-Export-Id": str(log_id)}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data.json", json.dumps(package, ensure_ascii=False, indent=2))
        zf.writestr("README.txt", README)
    buf.seek(0)
    resp = send_file(buf, mimetype="application/zip", as_attachment=True, download_name=f"pdpa-access-{log_id}.zip")
    resp.headers["X-Export-Id"] = str(log_id)
    return resp


@bp.post("/api/v1/pdpa/erase")
@require_roles("admin")
def erase():
    data = EraseIn().load(json_body())
    result = services.erase(data, current_staff(), data["reason"], force=data["force"])
    commit()
    return result, 200
