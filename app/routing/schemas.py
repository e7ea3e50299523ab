"""``POST /api/v1/classify`` (CONTRACT.md)."""

from marshmallow import RAISE, Schema, fields, validate

from app.intake.schemas import LocationIn, RespondentIn, Text


class ClassifyIn(Schema):
    class Meta:
        unknown = RAISE

    text = Text(required=True, validate=validate.Length(min=3, max=5000))
    location = fields.Nested(LocationIn, allow_none=True)
    respondent = fields.Nested(RespondentIn, allow_none=True)


class RerouteIn(Schema):
    """Staff move a case to another category and/or unit; the reason is kept with the training label."""

    class Meta:
        unknown = RAISE

    action = fields.String(required=True, validate=validate.Equal("reroute"))
    category = fields.String(allow_none=True, validate=validate.Length(max=32))
    division = fields.String(allow_none=True, validate=validate.Length(max=16))
    reason = Text(required=True, validate=validate.Length(min=3, max=1000))
    note = Text(allow_none=True, validate=validate.Length(max=5000))
    public_note = Text(allow_none=True, validate=validate.Length(max=5000))
