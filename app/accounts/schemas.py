from marshmallow import RAISE, Schema, fields, validate


class TokenIn(Schema):
    class Meta:
        unknown = RAISE

    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class TokenOut(Schema):
    token = fields.String()
    token_type = fields.Constant("Bearer")
    expires_at = fields.AwareDateTime()
    role = fields.String()
    username = fields.String()
