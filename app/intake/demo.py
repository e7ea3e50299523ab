"""Demo complaints for ``flask seed --demo``: a handful of realistic cases through the real intake path."""

from sqlalchemy import func, select

from app.cases.models import Case
from app.extensions import db
from app.intake.schemas import ComplaintIn
from app.intake.services import create_complaint

DEMO = [
    {"subject": "กลิ่นเหม็นจากโรงงานยามค่ำคืน",
     "description": "มีกลิ่นเหม็นคล้ายยางไหม้จากโรงงานในซอยทุกคืนตั้งแต่สามทุ่ม ทำให้เด็กในบ้านไอและนอนไม่หลับ",
     "complainant": {"name": "สมชาย ใจดี", "phone": "081 234 5678"},
     "location": {"province": "ชลบุรี", "district": "บ้านบึง"}, "respondent": {"name": "บริษัท ยางทองการยาง จำกัด"}},
    {"subject": "ปลั๊กพ่วงไม่มีเครื่องหมาย มอก.",
     "description": "ซื้อปลั๊กพ่วงจากร้านออนไลน์ ใช้ได้สองวันสายไฟละลาย ตัวสินค้าไม่มีเครื่องหมาย มอก. เลย",
     "complainant": {"name": "วิภา แสงทอง", "email": "wipa@example.com"}},
    {"anonymous": True, "description": "โรงโม่หินระเบิดหินตอนกลางวันทุกวัน บ้านแถวนี้ผนังร้าวหลายหลัง ฝุ่นหนามาก",
     "location": {"province": "สระบุรี", "address": "หมู่ 5 ตำบลหน้าพระลาน"}, "respondent": {"name": "โรงโม่หินศิลาทอง"}},
    {"subject": "ถนนหน้าบ้านเป็นหลุม",
     "description": "ถนนในหมู่บ้านเป็นหลุมลึกหลายจุด รถจักรยานยนต์ล้มไปแล้วสองคัน อยากให้มาซ่อม",
     "complainant": {"name": "ประเสริฐ มั่นคง", "phone": "0898765432"}, "location": {"province": "กทม"}},
]


def seed_demo_cases() -> int:
    """File the demo complaints once (skipped when any case exists)."""
    if db.session.scalar(select(func.count(Case.id))):
        return 0
    for doc in DEMO:
        create_complaint(ComplaintIn().load(doc))
    db.session.flush()
    return len(DEMO)
