"""``POST /api/v1/classify`` (CONTRACT.md)."""

from marshmallow import RAISE, Schema, fields, validate

from app.intake.schemas import LocationIn, RespondentIn, Text


class ClassifyIn(Schema):
    class Meta:
        unknown = RAISE

    text = Text(required=True, validate=validate.Length(min=3, max=5000))
    location = fields.Nested(LocationIn, allow_none=True)
    respondent = fields.Nested(RespondentIn, allow_none=True)
