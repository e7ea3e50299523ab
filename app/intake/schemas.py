"""Intake input validation. Error texts are catalogue keys, translated by :func:`app.errors.localize`."""

import phonenumbers
from marshmallow import RAISE, Schema, ValidationError, fields, post_load, pre_load, validate, validates_schema
from stdnum.th import pin

from app.cases.models import CHANNELS
from app.common import geo
from app.common.factory_no import parse_factory_no

STAFF_CHANNELS = ("phone", "walk_in", "email", "letter", "line")
BACKDATED_CHANNELS = ("letter", "walk_in", "phone")


def _strip(data, keys):
    # trim what people paste; an all-space value counts as absent
    if isinstance(data, dict):
        data = dict(data)
        for k in keys:
            if isinstance(data.get(k), str):
                data[k] = data[k].strip() or None
    return data


class Text(fields.String):
    """A string with surrounding space removed."""

    def _deserialize(self, value, attr, data, **kw):
        return super()._deserialize(value, attr, data, **kw).strip()


class Phone(fields.String):
    def _deserialize(self, value, attr, data, **kw):
        raw = super()._deserialize(value, attr, data, **kw)
        try:
            number = phonenumbers.parse(raw, "TH")
        except phonenumbers.NumberParseException:
            raise ValidationError("phone.invalid") from None
        if not phonenumbers.is_valid_number(number):
            raise ValidationError("phone.invalid")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class NationalId(fields.String):
    def _deserialize(self, value, attr, data, **kw):
        raw = pin.compact(super()._deserialize(value, attr, data, **kw))
        if not pin.is_valid(raw):
            raise ValidationError("national_id.invalid")
        return raw


class ComplainantIn(Schema):
    class Meta:
        unknown = RAISE

    name = Text(validate=validate.Length(min=2, max=200), allow_none=True)
    phone = Phone(allow_none=True)
    email = fields.Email(validate=validate.Length(max=254), allow_none=True)
    national_id = NationalId(allow_none=True)

    @pre_load
    def _trim(self, data, **kw):
        return _strip(data, ("name", "phone", "email", "national_id"))


class LocationIn(Schema):
    class Meta:
        unknown = RAISE

    province = Text(allow_none=True)
    district = Text(allow_none=True)
    subdistrict = Text(allow_none=True)
    address = Text(validate=validate.Length(max=500), allow_none=True)
    lat = fields.Float(validate=validate.Range(min=5.0, max=21.0), allow_none=True)
    lon = fields.Float(validate=validate.Range(min=97.0, max=106.0), allow_none=True)

    @pre_load
    def _trim(self, data, **kw):
        return _strip(data, ("province", "district", "subdistrict", "address"))

    @post_load
    def resolve(self, data, **kw):
        """Turn names into DOPA codes, checking each level lies inside the one above."""
        out = {"address": data.get("address"), "lat": data.get("lat"), "lon": data.get("lon")}
        prov = dist = None
        if data.get("province"):
            prov = geo.find_province(data["province"])
            if prov is None:
                raise ValidationError("location.province_unknown", "province")
            out["province_code"] = prov.code
        if data.get("district"):
            if prov is None:
                raise ValidationError("location.province_needed", "province")
            dist = geo.find_district(prov.code, data["district"])
            if dist is None:
                raise ValidationError("location.district_unknown", "district")
            out["district_code"] = dist.code
        if data.get("subdistrict"):
            if dist is None:
                raise ValidationError("location.district_needed", "district")
            sub = geo.find_subdistrict(dist.code, data["subdistrict"])
            if sub is None:
                raise ValidationError("location.subdistrict_unknown", "subdistrict")
            out["subdistrict_code"] = sub.code
        return out


class RespondentIn(Schema):
    class Meta:
        unknown = RAISE

    name = Text(validate=validate.Length(max=200), allow_none=True)
    factory_registration_no = Text(validate=validate.Length(max=40), allow_none=True)
    #: stated by the complainant or agent when the factory number does not say it
    in_industrial_estate = fields.Boolean(allow_none=True)

    @post_load
    def estate(self, data, **kw):
        parsed = parse_factory_no(data.get("factory_registration_no"))
        if data.get("in_industrial_estate") is None and parsed is not None:
            data["in_industrial_estate"] = parsed.in_estate
        return data


class ComplaintIn(Schema):
    """``POST /api/v1/complaints`` (CONTRACT.md)."""

    class Meta:
        unknown = RAISE

    description = Text(required=True, validate=validate.Length(min=10, max=5000))
    subject = Text(validate=validate.Length(max=200), allow_none=True)
    channel = fields.String(load_default="web", validate=validate.OneOf(CHANNELS))
    anonymous = fields.Boolean(load_default=False)
    complainant = fields.Nested(ComplainantIn, allow_none=True)
    location = fields.Nested(LocationIn, allow_none=True)
    respondent = fields.Nested(RespondentIn, allow_none=True)
    received_at = fields.AwareDateTime(allow_none=True, default_timezone=None)

    @pre_load
    def _trim(self, data, **kw):
        if not isinstance(data, dict):
            raise ValidationError("body.object", "_schema")
        return _strip(data, ("subject",))

    @validates_schema
    def who_and_where(self, data, **kw):
        """Anonymous cases need clear evidence of where and whom; named ones need a way to reach the person."""
        person = {k: v for k, v in (data.get("complainant") or {}).items() if v}
        where = data.get("location") or {}
        respondent = data.get("respondent") or {}
        if data.get("anonymous"):
            if person:
                raise ValidationError("complainant.not_when_anonymous", "complainant")
            if not where.get("province_code"):
                raise ValidationError({"province": ["anonymous.needs_place"]}, "location")
            if not (respondent.get("name") or where.get("address")):
                raise ValidationError({"name": ["anonymous.needs_respondent"]}, "respondent")
        else:
            if not person.get("name"):
                raise ValidationError({"name": ["complainant.name_required"]}, "complainant")
            if not (person.get("phone") or person.get("email")):
                raise ValidationError({"phone": ["complainant.contact_required"]}, "complainant")

