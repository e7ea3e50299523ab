"""The OPDC citizen-manual template (คู่มือสำหรับประชาชน, สำนักงาน ก.พ.ร.) as marshmallow schemas.

One YAML file per service process is loaded with :class:`ManualDoc`; :mod:`app.manual.content` adds the checks that
span fields (step times add up to the total time, clocks in order) and names every problem by file and field path.
"""

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

#: the step types of the OPDC template (ประเภทขั้นตอน)
STEP_TYPES = ("การตรวจสอบเอกสาร", "การพิจารณา", "การลงนาม/คณะกรรมการมีมติ", "การชำระค่าธรรมเนียม", "การแจ้งผล",
              "อื่นๆ")
#: service types (ประเภทงานบริการ)
SERVICE_TYPES = ("อนุญาต", "แจ้ง", "จดทะเบียน", "ขึ้นทะเบียน", "อนุมัติ", "ร้องเรียน", "ให้ข้อมูล", "ให้บริการ")

#: time units: ``kind`` is how the SLA engine counts them. Minutes and hours are business-hours time (ชั่วโมงทำการ):
#: the manuals add them up into working days at ``WORKING_DAY_MINUTES`` (see content.py).
UNITS = {
    "minutes": {"kind": "working", "minutes": 1, "th": "นาที"},
    "hours": {"kind": "working", "minutes": 60, "th": "ชั่วโมง"},
    "working_days": {"kind": "working", "days": 1, "th": "วันทำการ"},
    "days": {"kind": "calendar", "days": 1, "th": "วัน"},
}
DAY_KINDS = ("working", "calendar")
SLUG = validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", error="Use lower-case letters, digits and hyphens.")

_text = validate.Length(min=1, max=2000)


def _str(**kw):
    return fields.String(required=True, validate=_text, **kw)


class _Strict(Schema):
    class Meta:
        unknown = RAISE  # a misspelt key must fail loudly, not vanish from the published manual


class Duration(_Strict):
    value = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    unit = fields.String(required=True, validate=validate.OneOf(tuple(UNITS)))


class LegalTimeLimit(_Strict):
    days = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    day_kind = fields.String(required=True, validate=validate.OneOf(DAY_KINDS))
    basis = _str()


class Channel(_Strict):
    """A service point or channel (ช่องทางการให้บริการ) with its opening hours."""

    name = _str()
    location = _str()
    phone = _str()
    hours = _str()
    online = fields.Boolean(required=True, truthy={True}, falsy={False})


class Step(_Strict):
    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]*$"))
    type = fields.String(required=True, validate=validate.OneOf(STEP_TYPES))
    description = _str()
    duration = fields.Nested(Duration, required=True)
    unit = _str()  #: the unit responsible (หน่วยงานผู้รับผิดชอบ)
    remark = _str()


class Document(_Strict):
    name = _str()
    issuer = _str()  #: หน่วยงานภาครัฐผู้ออกเอกสาร
    originals = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    copies = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    unit = fields.String(required=True, validate=validate.Length(min=1, max=20))  #: ฉบับ, ชุด …
    remark = _str()

    @validates_schema
    def _some(self, data, **kw):
        if data.get("originals") == 0 and data.get("copies") == 0:
            raise ValidationError("A document needs at least one original or one copy.", "copies")


class Documents(_Strict):
    identity = fields.List(fields.Nested(Document), required=True)  #: เอกสารยืนยันตัวตน
    other = fields.List(fields.Nested(Document), required=True)  #: เอกสารอื่น ๆ


class Fee(_Strict):
    description = _str()
    amount_baht = fields.Float(required=True, validate=validate.Range(min=0))
    remark = _str()


class ComplaintChannel(_Strict):
    name = _str()
    contact = _str()


class Form(_Strict):
    name = _str()
    remark = _str()
    url = fields.Url(load_default=None)


class Sla(_Strict):
    """The clocks the SLA engine runs on a case of this service."""

    acknowledge = fields.Nested(Duration, required=True)
    first_report = fields.Nested(Duration, required=True)
    progress_every = fields.Nested(Duration, required=True)
    resolve = fields.Nested(Duration, required=True)


class ManualDoc(_Strict):
    """One service process: the metadata block, then the template's sections in order."""

    slug = fields.String(required=True, validate=SLUG)
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    effective_date = fields.Date(required=True)
    title = fields.String(required=True, validate=validate.Length(min=3, max=300))
    #: words people search for that are not in the title (index page search)
    keywords = fields.List(fields.String(validate=validate.Length(min=1, max=80)), load_default=list)
    owner_agency = _str()  #: หน่วยงานเจ้าของกระบวนงาน
    responsible_unit = _str()  #: หน่วยงานที่รับผิดชอบ
    service_type = fields.String(required=True, validate=validate.OneOf(SERVICE_TYPES))
    #: a licence-type service falls under the Licensing Facilitation Act's 7-day notices (s.10)
    licence_type = fields.Boolean(required=True, truthy={True}, falsy={False})
    laws = fields.List(_str(), required=True, validate=validate.Length(min=1))
    impact_level = _str()
    service_area = _str()
    legal_time_limit = fields.Nested(LegalTimeLimit, required=True)
    reference_name = _str()
    channels = fields.List(fields.Nested(Channel), required=True, validate=validate.Length(min=1))
    criteria = fields.List(_str(), required=True, validate=validate.Length(min=1))
    steps = fields.List(fields.Nested(Step), required=True, validate=validate.Length(min=1))
    total_time = fields.Nested(Duration, required=True)
    documents = fields.Nested(Documents, required=True)
    fees = fields.List(fields.Nested(Fee), required=True, validate=validate.Length(min=1))
    complaint_channels = fields.List(fields.Nested(ComplaintChannel), required=True,
                                     validate=validate.Length(min=1))
    forms = fields.List(fields.Nested(Form), required=True)
    remarks = fields.List(_str(), required=True)
    sla = fields.Nested(Sla, required=True)

    @validates_schema
    def _unique_step_keys(self, data, **kw):
        seen = set()
        for i, step in enumerate(data.get("steps") or []):
            if step["key"] in seen:
                raise ValidationError({str(i): {"key": [f"Step key {step['key']!r} is used twice."]}}, "steps")
            seen.add(step["key"])
