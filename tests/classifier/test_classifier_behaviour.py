"""Behavioural tests (Made-With-ML style): minimum functionality, invariance, directional.

The example texts are written here for the tests, not taken from the corpus or from real complaints.
"""

from __future__ import annotations

import pytest

MINIMUM = [
    ("โรงงานย้อมผ้าข้างหมู่บ้านปล่อยน้ำเสียสีดำลงคลองทุกคืน กลิ่นเหม็นจนนอนไม่ได้", "FACTORY_POLLUTION"),
    ("โรงงานหลอมพลาสติกปล่อยควันดำ กลิ่นฉุนเข้าบ้านทุกวัน ลูกไอไม่หยุด", "FACTORY_POLLUTION"),
    ("เกิดเหตุระเบิดและไฟไหม้ในโรงงานผลิตสารเคมี คนงานบาดเจ็บหลายคน", "FACTORY_SAFETY"),
    ("ท่อแอมโมเนียในโรงงานห้องเย็นรั่ว คนงานหมดสติสองคน", "FACTORY_SAFETY"),
    ("โรงงานแห่งนี้เปิดดำเนินการโดยไม่มีใบอนุญาตประกอบกิจการโรงงาน ร.ง.4 ขอให้ตรวจสอบ", "FACTORY_PERMIT"),
    ("ซื้อปลั๊กพ่วงจากตลาดนัด ไม่มีเครื่องหมาย มอก. เสียบใช้แล้วละลาย", "PRODUCT_STANDARD"),
    ("ร้านค้าออนไลน์ขายหมวกกันน็อกติดตรา มอก. ปลอม", "PRODUCT_STANDARD"),
    ("เหมืองหินระเบิดหินทุกบ่าย บ้านร้าว ฝุ่นหินเต็มหมู่บ้าน", "MINING"),
    ("รถขนแร่จากเหมืองวิ่งทั้งคืน หินร่วงบนถนน", "MINING"),
    ("ไร่อ้อยข้างบ้านเผาอ้อยก่อนตัด ขี้เถ้าดำปลิวเข้าบ้านทั้งคืน", "SUGARCANE"),
    ("โรงงานน้ำตาลยังรับซื้ออ้อยไฟไหม้ ทำให้ชาวไร่เผากันทั้งอำเภอ", "SUGARCANE"),
    ("เจ้าหน้าที่สำนักงานอุตสาหกรรมจังหวัดเรียกรับเงินใต้โต๊ะ แลกกับการออกใบอนุญาตให้เร็วขึ้น", "OFFICIAL_MISCONDUCT"),
    ("เข้าระบบ i-Industry ไม่ได้ รหัส OTP ไม่ส่งมาเลย ลองมาสามวันแล้ว", "E_SERVICE"),
    ("อัปโหลดเอกสารในระบบ e-license ไม่ผ่าน ขึ้นข้อผิดพลาดทุกครั้ง", "E_SERVICE"),
    ("อยากขอคำปรึกษาเรื่องพัฒนาบรรจุภัณฑ์สินค้าโอทอป และหาแหล่งเงินกู้สำหรับเอสเอ็มอี", "SME_SUPPORT"),
    ("สนใจสมัครอบรมการทำธุรกิจสำหรับผู้ประกอบการรายย่อย มีหลักสูตรไหนบ้าง", "SME_SUPPORT"),
    ("ถนนหน้าบ้านเป็นหลุมเป็นบ่อ ไฟส่องสว่างในซอยก็ดับหมด", "OUT_OF_REMIT"),
    ("ขยะหน้าหมู่บ้านไม่มีรถมาเก็บหนึ่งสัปดาห์แล้ว", "OUT_OF_REMIT"),
    ("ตำรวจจราจรเรียกเก็บเงินห้าร้อยบาทแลกกับไม่เขียนใบสั่ง", "OUT_OF_REMIT"),
]


@pytest.mark.parametrize(("text", "label"), MINIMUM, ids=[f"{lab}-{i}" for i, (_, lab) in enumerate(MINIMUM)])
def test_minimum_functionality(clf, text, label):
    assert clf.predict(text).label == label


PROVINCES = ["ลำพูน", "สระบุรี", "ขอนแก่น", "สงขลา", "กรุงเทพมหานคร", "ระยอง"]
FIRMS = ["บริษัท ไทยรุ่งเรืองเคมี จำกัด", "บริษัท สยามฟอกหนัง จำกัด", "หจก. เจริญทรัพย์การช่าง", "โรงงานเฮงเฮง"]
TEMPLATES = [
    ("{firm} ใน จ.{province} ปล่อยน้ำเสียลงแม่น้ำทุกคืน ปลาตาย กลิ่นเหม็นมาก", "FACTORY_POLLUTION"),
    ("ได้ยินเสียงระเบิดดังจาก {firm} จังหวัด{province} ไฟลุกไหม้โกดังสารเคมี", "FACTORY_SAFETY"),
    ("เจ้าหน้าที่อุตสาหกรรมจังหวัด{province} เรียกเงินจาก {firm} ห้าหมื่นบาท แลกกับไม่สั่งปิด", "OFFICIAL_MISCONDUCT"),
]


@pytest.mark.parametrize(("template", "label"), TEMPLATES, ids=[lab for _, lab in TEMPLATES])
def test_invariance_to_province_and_firm(clf, template, label):
    texts = [template.format(firm=f, province=p) for f in FIRMS for p in PROVINCES]
    assert {p.label for p in clf.predict_batch(texts)} == {label}


def test_directional_stone_crusher_moves_dust_towards_mining(clf):
    base = "ฝุ่นขาวปลิวเข้าบ้านทุกวัน หลังคารถมีฝุ่นหนา เด็กเป็นภูมิแพ้"
    mining = clf.labels.index("MINING")
    before = clf.predict_proba([base])[0][mining]
    after = clf.predict_proba([base + " มาจากโรงโม่หินท้ายหมู่บ้าน"])[0][mining]
    assert after > before + 0.1
    assert clf.predict(base + " มาจากโรงโม่หินท้ายหมู่บ้าน").label == "MINING"


def test_directional_cane_moves_burning_towards_sugarcane(clf):
    base = "มีการเผาในไร่ข้างบ้านทุกเย็น ควันเข้าบ้าน"
    sugar = clf.labels.index("SUGARCANE")
    before = clf.predict_proba([base])[0][sugar]
    after = clf.predict_proba([base.replace("ในไร่", "ในไร่อ้อย")])[0][sugar]
    assert after > before


def test_noise_in_text_does_not_change_label(clf):
    text = "โรงงานพ่นสีรถข้างบ้านกลิ่นทินเนอร์ฉุนมาก"
    noisy = "โรงงานพ่นสีรถข้างบ้านกลิ่นทินเนอร์ฉุนมากกกกก 😭😭 https://example.com/x ๐๘๑๒๓๔๕๖๗๘"
    assert clf.predict(noisy).label == clf.predict(text).label
