"""Import every domain's models so metadata is complete (Alembic autogenerate, create_all, relationships)."""

from app.accounts.models import ApiToken, User, user_divisions  # noqa: F401
from app.admin.models import AdminAudit  # noqa: F401
from app.cases.models import Case, CaseEvent, CaseSearchTerm, CaseUnit, ChainHead  # noqa: F401
from app.console.models import Call  # noqa: F401
from app.csat.models import Feedback  # noqa: F401
from app.evidence.models import ExportLog, OpenDataSnapshot  # noqa: F401
from app.intake.models import Attachment, Complainant, IdempotencyKey  # noqa: F401
from app.manual.models import ManualVersion  # noqa: F401
from app.outbox.models import JobRun, Notification, OutboxMessage  # noqa: F401
from app.routing.models import Category, Division, RoutingRule, TrainingLabel  # noqa: F401
from app.sla.models import CalendarDay, CaseSla, Deadline, SlaAlert, UnitHours  # noqa: F401
