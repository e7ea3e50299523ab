"""Thai provinces, districts and subdistricts from ``geothai``; names or codes in, DOPA codes out.

DOPA province codes are the ISO 3166-2:TH numbers (``10`` Bangkok, ``20`` Chonburi), which also name the
provincial industry offices (``PIO-20``).
"""

from functools import lru_cache

import geothai

BANGKOK = "10"
_MUEANG = {"เมือง", "mueang", "muang"}


@lru_cache(maxsize=1)
def provinces() -> dict:
    return {p.code: p for p in geothai.provinces()}


def find_province(value: str):
    """A province by code (``"20"``) or by a name people write (``ชลบุรี``, ``จ.ชลบุรี``, ``Chon Buri``, ``กทม``)."""
    value = (value or "").strip()
    if value.isdigit():
        return geothai.province(value.zfill(2))
    norm = geothai.normalize(value)
    if not norm:
        return None
    return next((p for p in provinces().values() if geothai.is_province(p, norm)), None)


def _by_name(items, value: str, capital_suffix: str | None = None):
    value = (value or "").strip()
    if value.isdigit():
        return next((i for i in items if i.code == value), None)
    norm = geothai.normalize(value)
    for item in items:
        if norm in (geothai.normalize(item.name_th), geothai.normalize(item.name_en)):
            return item
    if capital_suffix and norm in _MUEANG:  # "อ.เมือง" is the province's capital district
        return next((i for i in items if i.code.endswith(capital_suffix)), None)
    return None


def find_district(province_code: str, value: str):
    return _by_name(geothai.districts(province_code), value, capital_suffix="01")


def find_subdistrict(district_code: str, value: str):
    return _by_name(geothai.subdistricts(district_code), value)


def province_name(code: str | None, locale: str = "th") -> str | None:
    p = provinces().get(code) if code else None
    if p is None:
        return None
    return p.name_en if locale == "en" else p.name_th
