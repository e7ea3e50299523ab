"""Factory registration numbers, read leniently (DOMAIN.md: never reject a complaint because of one).

- new style, 14 digits ``ABCCDDDDDEEEEF``: A is the issuer (1 DIW, 2 provincial office, 7 IEAT), B the in-estate flag;
- old style ``3-77(2)-28/51ชบ``: class - type(sub) - sequence / BE year + province abbreviation.
"""

import re
from dataclasses import dataclass

ISSUERS = {"1": "DIW", "2": "PIO", "7": "IEAT"}
_OLD = re.compile(r"^(?P<cls>[1-3])\s*-\s*(?P<type>\d{1,3})(?:\((?P<sub>\d+)\))?\s*-\s*(?P<seq>\d+)\s*/\s*"
                  r"(?P<year>\d{2,4})\s*(?P<prov>[ก-๙]{1,4})?\.?$")


@dataclass(frozen=True)
class FactoryNo:
    raw: str
    style: str  #: ``new`` or ``old``
    issuer: str | None = None  #: ``DIW``, ``PIO`` or ``IEAT`` (new style only)
    in_estate: bool | None = None
    factory_class: int | None = None
    factory_type: str | None = None
    be_year: int | None = None
    province_abbr: str | None = None


def parse_factory_no(value: str | None) -> FactoryNo | None:
    """Parse what can be parsed; ``None`` when the text is not recognisably a factory number."""
    if not value:
        return None
    text = value.strip()
    digits = re.sub(r"[\s-]", "", text)
    if re.fullmatch(r"\d{14}", digits):
        issuer = ISSUERS.get(digits[0])
        # issuer 7 is IEAT; the second digit flags a factory inside an estate
        in_estate = issuer == "IEAT" or digits[1] == "1"
        return FactoryNo(text, "new", issuer=issuer, in_estate=in_estate)
    m = _OLD.match(text)
    if m:
        year = int(m["year"])
        year = year + 2500 if year < 100 else year
        ftype = m["type"] + (f"({m['sub']})" if m["sub"] else "")
        return FactoryNo(text, "old", factory_class=int(m["cls"]), factory_type=ftype, be_year=year,
                         province_abbr=m["prov"])
    return None
