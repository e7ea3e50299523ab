"""Units of the ministry, complaint categories and the routing rules between them (all data, seeded)."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.common.models import UTCDateTime, utcnow
from app.extensions import db


class Division(db.Model):
    """A unit that can act on a case: a department, a provincial industry office, or the triage desk."""

    __tablename__ = "divisions"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)  #: e.g. ``DIW``, ``PIO-20``, ``TRIAGE``
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    abbr_th: Mapped[str | None] = mapped_column(String(40))  #: ``กรอ.``, ``สอจ.ชลบุรี``
    #: ``department``, ``agency``, ``provincial``, ``centre`` or ``triage``
    kind: Mapped[str] = mapped_column(String(20))
    #: ISO 3166-2:TH number of the province a provincial office serves
    province_code: Mapped[str | None] = mapped_column(String(2), index=True)
    #: cases of a restricted unit hide the complainant from every other unit (anti-corruption centre)
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    email: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def name(self, locale: str = "th") -> str:
        return self.name_en if locale == "en" else self.name_th


class Category(db.Model):
    """One of the classifier's ten labels, with the unit that normally acts on it."""

    __tablename__ = "categories"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_th: Mapped[str | None] = mapped_column(Text)
    #: ``False`` for matters the ministry refers elsewhere (OUT_OF_REMIT)
    in_remit: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def name(self, locale: str = "th") -> str:
        return self.name_en if locale == "en" else self.name_th


class RoutingRule(db.Model):
    """category × place × respondent → unit(s). The most specific matching rule (lowest priority) wins."""

    __tablename__ = "routing_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: a stable name used in seed files and recorded on each case
    name: Mapped[str] = mapped_column(String(80), unique=True)
    priority: Mapped[int] = mapped_column(Integer, default=100)
    category_code: Mapped[str | None] = mapped_column(ForeignKey("categories.code"))  #: ``None`` = any
    #: ``None`` = any province; ``"10"`` = Bangkok
    province_code: Mapped[str | None] = mapped_column(String(2))
    #: ``True`` = only factories inside an industrial estate; ``None`` = either
    in_estate: Mapped[bool | None] = mapped_column(Boolean)
    #: the lead unit; ``PIO`` means the provincial industry office of the case's province
    division: Mapped[str] = mapped_column(String(16))
    #: further units acting jointly (same ``PIO`` placeholder)
    joint_divisions: Mapped[list] = mapped_column(JSON, default=list)
    description_th: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class TrainingLabel(db.Model):
    """A person's correction of the classifier: the case's text with the category staff decided on, and why."""

    __tablename__ = "training_labels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(ForeignKey("categories.code"))
    #: what the case had before (the model's suggestion or an earlier human choice)
    previous_label: Mapped[str | None] = mapped_column(String(32))
    model_version: Mapped[str | None] = mapped_column(String(64))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the model version first trained with this label
    used_in_version: Mapped[str | None] = mapped_column(String(64))
