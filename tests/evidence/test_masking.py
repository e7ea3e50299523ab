"""Masking: IDs, phones, e-mails and names in free text, known values, and words that only look like names."""

from hypothesis import given
from hypothesis import strategies as st
from stdnum.th import pin

from app.evidence.masking import (
    _CONTACT,
    _contact,
    _mask_contacts,
    known_values,
    mask_email,
    mask_name,
    mask_national_id,
    mask_phone,
    mask_text,
)


def test_identifiers_in_free_text():
    text = ("บัตร 1-1017-00230-70-8 และ 1101700230708 โทร 081-234-5678, 0812345678, +66 81 234 5678, 02-123-4567 "
            "อีเมล somying@example.com")
    masked = mask_text(text)
    for leak in ("1101700230708", "1-1017-00230-70-8", "234-5678", "0812345678", "+66 81", "123-4567", "somying@"):
        assert leak not in masked
    assert masked.count("[เลขประจำตัวประชาชน]") == 2 and masked.count("[โทรศัพท์]") == 4 and "[อีเมล]" in masked


def test_names_after_titles_and_lookalike_words():
    assert mask_text("นายสมชาย ใจดี แจ้งว่ามีกลิ่น") == "นาย*** *** แจ้งว่ามีกลิ่น"
    assert mask_text("นางสาวมะลิ หอม") == "นางสาว*** ***"
    assert mask_text("ติดต่อ Mr. John Smith") == "ติดต่อ Mr.*** ***"
    kept = "นายกเทศมนตรีรับทราบ คุณภาพน้ำแย่ ขอบคุณครับ เจ้านายไม่อยู่"
    assert mask_text(kept) == kept
    # a real name right after a lookalike word is still found
    assert mask_text("นายกเทศมนตรี นายสมชาย ใจดี") == "นายกเทศมนตรี นาย*** ***"
    assert mask_text("ขอบคุณคุณมาลี ศรีสุข") == "ขอบคุณคุณ*** ***"


def test_numbers_that_are_not_personal_stay():
    text = "โรงงานเลขที่ 10200001225567 ทะเบียน 3-77(2)-28/51ชบ วันที่ 12/05/2567 เวลา 22.00 น. จำนวน 150 คน"
    assert mask_text(text) == text


def test_known_values_are_masked_without_a_title():
    known = known_values("สมหญิง ทดสอบ", "+66812345678", "a@b.co", None)
    assert mask_text("สมหญิง ทดสอบ เห็นเอง โทรกลับ 0812345678 หรือ +66812345678", known) == \
        "*** เห็นเอง โทรกลับ *** หรือ ***"
    assert mask_text("ทดสอบ คนเดียว", known) == "*** คนเดียว"


def test_field_masks():
    assert mask_name("สมหญิง ทดสอบ") == "ส*** ท***"
    assert mask_phone("+66812345678") == "***-***-5678"
    assert mask_email("somying@example.com") == "s***@example.com"
    assert mask_national_id("1101700230708") == "**********708"
    assert mask_name(None) is None and mask_text("") == ""


@given(st.integers(min_value=10**11, max_value=9 * 10**11 - 1), st.sampled_from(["", "-", " "]),
       st.text(alphabet="กขคงจฉ ะาิีเแ", max_size=20))
def test_no_valid_national_id_survives(body, sep, around):
    digits = f"{body}{pin.calc_check_digit(str(body))}"
    shown = sep.join([digits[0], digits[1:5], digits[5:10], digits[10:12], digits[12]]) if sep else digits
    masked = mask_text(f"{around}{shown}{around}")
    assert "[เลขประจำตัวประชาชน]" in masked and not any(ch.isdigit() for ch in masked)


FRAGMENTS = st.sampled_from(["081-234-5678", "+66 81 234 5678", "+6681234567", "02 123 4567", "1-1017-00230-70-8",
                             "a.b@x.co", "ก@ข.th", "มอก.", " ", "-", "+", "โทร", "Mr.", "๑๒๓๔"])
MIXED = st.lists(FRAGMENTS | st.text(alphabet="กขนาย คุณ0123456789๑-+ @.aZ_%\n", max_size=12), max_size=8).map("".join)


@given(MIXED)
def test_contacts_masked_as_by_the_whole_text_regex(text):
    """Masking only the runs that can hold a contact gives what the contact regex gives over the whole text."""
    assert _mask_contacts(text) == _CONTACT.sub(_contact, text)
