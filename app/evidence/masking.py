"""Masking of personal data for every export: names, national IDs, phones, e-mails, also inside free text.

Exports are read by auditors, assessors and the public; none of them needs to know who complained. Masking errs
on the side of hiding: a word after a title (นาย, นาง, คุณ …) is treated as a name unless it is a known non-name
(นายก, คุณภาพ …), and any 13-digit run is treated as an ID whether or not its check digit is valid.
"""

import re

MASK = "***"

#: titles that introduce a person's name in Thai text (longest first, so นางสาว wins over นาง)
TITLES = ("นางสาว", "น.ส.", "ด.ช.", "ด.ญ.", "เด็กชาย", "เด็กหญิง", "นาง", "นาย", "คุณ", "Mr.", "Mrs.", "Ms.",
          "Miss")
#: words that begin with a title but are not names (office holders, nouns); kept readable
NOT_NAMES = ("นายก", "นายจ้าง", "นายหน้า", "นายทุน", "นายอำเภอ", "นายทะเบียน", "นายช่าง", "นายตรวจ", "นายด่าน",
             "นายสิบ", "นายพล", "นายร้อย", "นายพัน", "นายท่าน", "นายประกัน", "นายงาน", "นางพยาบาล", "นางงาม",
             "นางฟ้า", "คุณภาพ", "คุณสมบัติ", "คุณค่า", "คุณธรรม", "คุณประโยชน์", "คุณูปการ", "คุณลักษณะ")

_THAI_WORD = r"[\u0E00-\u0E7F]+"
_LATIN_WORD = r"[A-Z][a-zA-Z'-]+"

_ID = r"(?<![\d])\d[\s-]?\d{4}[\s-]?\d{5}[\s-]?\d{2}[\s-]?\d(?![\d])"
# +66 or a trunk 0, then 8–9 more digits in any grouping (mobiles 10 digits, fixed lines 9)
_PHONE = r"(?<![\d+])(?:\+66[\s-]?|0)\d(?:[\s-]?\d){7,8}(?![\d])"
_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
_TITLE = "|".join(re.escape(t) for t in TITLES)
_NOT = "|".join(re.escape(w) for w in sorted(NOT_NAMES, key=len, reverse=True))
_CONTACT = re.compile(rf"(?P<id>{_ID})|(?P<email>{_EMAIL})|(?P<phone>{_PHONE})")
# the title comes first so the regex engine can skip ahead to a title's first letter; exceptions are checked after
_NAMES = re.compile(rf"(?P<title>{_TITLE})\s?(?P<first>{_THAI_WORD}|{_LATIN_WORD})"
                    rf"(?:\s(?P<last>{_THAI_WORD}|{_LATIN_WORD}))?")
_NOT_NAME = re.compile(_NOT)
_NOT_AFTER = ("ขอบ", "เจ้า", "พระ", "บุญ")
# every ID or phone holds 8+ digits with at most one space or dash between them, and every e-mail an "@": texts
# without either (most subjects, "เรื่องที่ 12") skip the contact regex altogether
_DIGIT_RUN = re.compile(r"\d(?:[\s-]?\d){7}")
# a contact lies inside a run of these characters and starts at one that is not a space; the contact regex has no
# fixed first character for the regex engine to skip ahead to, so it only runs on such runs (a few short ones in Thai
# text) rather than at every position. The character before a run is never a digit or "+", so the lookbehinds (and the
# lookaheads at its end) decide as they would in the whole text.
_RUN = re.compile(r"[\d.A-Za-z_%+@-][\d\s.A-Za-z_%+@-]*")


def _contact(m: re.Match) -> str:
    if m.group("id"):
        return "[เลขประจำตัวประชาชน]"
    return "[อีเมล]" if m.group("email") else "[โทรศัพท์]"


def _mask_contacts(text: str) -> str:
    out, pos = [], 0
    for m in _RUN.finditer(text):
        run = m.group()
        if "@" in run or _DIGIT_RUN.search(run):
            out += [text[pos:m.start()], _CONTACT.sub(_contact, run)]
            pos = m.end()
    return "".join(out) + text[pos:] if out else text


def _mask_names(text: str) -> str:
    """Mask the name after each title, skipping words that only look like one (นายก, คุณภาพ, ขอบคุณ …) and
    scanning on right after them, so a real name that follows is still found."""
    out, pos, at = [], 0, 0
    while m := _NAMES.search(text, at):
        start = m.start()
        word = _NOT_NAME.match(text, start)
        if word or text[max(0, start - 4):start].endswith(_NOT_AFTER):
            at = word.end() if word else start + len(m.group("title"))
            continue
        # the title stays, so the text still reads as "Mr ***" rather than losing the sentence's subject
        out += [text[pos:start], m.group("title"), MASK, " " + MASK if m.group("last") else ""]
        pos = at = m.end()
    return "".join(out) + text[pos:] if out else text


def known_values(*values) -> tuple:
    """The forms a person's stored data takes in free text, longest first: a name and its parts, a phone
    written +6681… or 081…. Computed once per row and handed to :func:`mask_text`."""
    out = []
    for value in values:
        if not value or len(value) < 3:
            continue
        out.append(value)
        if value.startswith("+66"):
            out.append("0" + value[3:])
        elif " " in value:
            out += [part for part in value.split() if len(part) >= 3]
    out.sort(key=len, reverse=True)
    return tuple(out)


def mask_text(text: str | None, known: tuple | list = ()) -> str | None:
    """Mask personal data in free text; ``known`` values (the complainant's own name, phone …, best given
    through :func:`known_values`) are masked wherever they appear, with or without a title."""
    if not text:
        return text
    for value in known:
        if value in text:
            text = text.replace(value, MASK)
    if "@" in text or _DIGIT_RUN.search(text):
        text = _mask_contacts(text)
    return _mask_names(text)


def mask_name(name: str | None) -> str | None:
    """``สมหญิง ทดสอบ`` → ``ส*** ท***``: the first letter of each word, enough to tell two rows apart."""
    if not name:
        return name
    return " ".join([word[0] + MASK for word in name.split()])


def mask_phone(phone: str | None) -> str | None:
    """Keep the last four digits: ``+66812345678`` → ``***-***-5678``."""
    if not phone:
        return phone
    digits = re.sub(r"\D", "", phone)
    return f"***-***-{digits[-4:]}" if len(digits) >= 4 else MASK


def mask_email(email: str | None) -> str | None:
    """``somying@example.com`` → ``s***@example.com``."""
    if not email or "@" not in email:
        return MASK if email else email
    local, _, domain = email.partition("@")
    return f"{local[:1]}{MASK}@{domain}"


def mask_national_id(value: str | None) -> str | None:
    """Keep the last three digits: ``1101700230708`` → ``**********708``."""
    if not value:
        return value
    digits = re.sub(r"\D", "", value)
    return "*" * (len(digits) - 3) + digits[-3:] if len(digits) > 3 else MASK
