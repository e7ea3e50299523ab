"""CSAT input."""

from marshmallow import RAISE, Schema, fields, validate


class FeedbackIn(Schema):
    class Meta:
        unknown = RAISE

    score = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5))
    comment = fields.String(validate=validate.Length(max=2000), allow_none=True)


class StaffFeedbackIn(FeedbackIn):
    #: an agent records what the citizen said on the phone
    source = fields.String(load_default="phone", validate=validate.OneOf(["phone", "walk_in", "letter"]))


class FeedbackOut(Schema):
    score = fields.Integer()
    comment = fields.String()
    source = fields.String()
    created_at = fields.AwareDateTime()
