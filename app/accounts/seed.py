"""Demo users named in CONTRACT.md; never created when APP_ENV=production."""

from flask import current_app

from app.accounts.models import Role, User
from app.extensions import db
from app.routing.models import Division

DEMO_USERS = [
    ("agent", Role.agent, "เจ้าหน้าที่ศูนย์บริการ สาธิต", ["TRIAGE"]),
    ("officer", Role.officer, "เจ้าหน้าที่ กรอ. สาธิต", ["DIW"]),
    ("officer2", Role.officer, "เจ้าหน้าที่ สอจ.ชลบุรี สาธิต", ["PIO-20"]),
    ("supervisor", Role.supervisor, "หัวหน้างาน สาธิต", []),
    ("auditor", Role.auditor, "ผู้ตรวจสอบ สาธิต", []),
    ("admin", Role.admin, "ผู้ดูแลระบบ สาธิต", []),
]


def seed_demo_users() -> int:
    password = current_app.config["DEMO_PASSWORD"]
    created = 0
    for username, role, name, units in DEMO_USERS:
        user = db.session.query(User).filter_by(username=username).one_or_none()
        if user is None:
            user = User(username=username, role=role, full_name=name)
            user.set_password(password)
            db.session.add(user)
            created += 1
        user.divisions = [db.session.get(Division, code) for code in units]
    db.session.flush()
    return created
