"""Input of the SLA endpoints; messages are catalogue keys (``app/sla/messages.yaml``), Thai or English."""

from datetime import timedelta

from flask import current_app
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate, validates_schema

from app.common.models import utcnow
from app.sla.calendar import BANGKOK

_DATE = {"invalid": "sla.field.date", "required": "field.required"}
_HHMM = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="sla.field.time")


class SummaryIn(Schema):
    """``?from=&to=&division=``: dates in Bangkok time, ``to`` inclusive; default the last 90 days."""

    class Meta:
        unknown = EXCLUDE  # ?lang= and other page parameters ride along

    frm = fields.Date(data_key="from", error_messages=_DATE)
    to = fields.Date(error_messages=_DATE)
    division = fields.String(validate=validate.Length(min=1, max=16))

    @validates_schema
    def _range(self, data, **kwargs):
        today = utcnow().astimezone(BANGKOK).date()
        to = data.setdefault("to", today)
        frm = data.setdefault("frm", to - timedelta(days=89))
        if frm > to:
            raise ValidationError("sla.field.range_order", "from")
        if (to - frm).days > current_app.config["SLA_SUMMARY_MAX_DAYS"]:
            raise ValidationError("sla.field.range_long", "from")


class CalendarDayIn(Schema):
    """An extra closure or working day."""

    class Meta:
        unknown = RAISE

    day = fields.Date(required=True, error_messages=_DATE)
    kind = fields.String(required=True, validate=validate.OneOf(("closed", "open")))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class YearIn(Schema):
    class Meta:
        unknown = EXCLUDE

    year = fields.Integer(validate=validate.Range(min=2000, max=2100))


class HoursIn(Schema):
    """A unit's business hours: ``{"opens": "08:30", "closes": "16:30", "breaks": [["12:00", "13:00"]]}``."""

    class Meta:
        unknown = RAISE

    opens = fields.String(required=True, validate=_HHMM)
    closes = fields.String(required=True, validate=_HHMM)
    breaks = fields.List(fields.List(fields.String(validate=_HHMM), validate=validate.Length(equal=2)),
                         load_default=list, validate=validate.Length(max=4))

    @validates_schema
    def _consistent(self, data, **kwargs):
        from app.sla.rules import to_hours

        try:
            to_hours(data["opens"], data["closes"], data.get("breaks"))
        except (KeyError, ValueError):
            raise ValidationError("sla.field.hours", "closes") from None
