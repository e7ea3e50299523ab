"""PDPA request bodies: the person is named by one or more identifiers."""

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema


class SubjectIn(Schema):
    class Meta:
        unknown = RAISE

    national_id = fields.String(validate=validate.Length(min=13, max=17), allow_none=True)
    phone = fields.String(validate=validate.Length(min=9, max=20), allow_none=True)
    email = fields.Email(validate=validate.Length(max=254), allow_none=True)

    @validates_schema
    def _one_identifier(self, data, **kw):
        if not any(data.get(k) for k in ("national_id", "phone", "email")):
            raise ValidationError("pdpa.identifier_required", "_schema")


class AccessIn(SubjectIn):
    format = fields.String(load_default="zip", validate=validate.OneOf(["zip", "json"]))


class EraseIn(SubjectIn):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=500))
    #: erase even though a case is still open (the unit can then no longer contact the person)
    force = fields.Boolean(load_default=False)
