"""Import every domain's models so metadata is complete (Alembic autogenerate, create_all, relationships)."""

from app.accounts.models import ApiToken, User, user_divisions  # noqa: F401
from app.cases.models import Case, CaseEvent, CaseSearchTerm, CaseUnit, ChainHead  # noqa: F401
from app.intake.models import Attachment, Complainant, IdempotencyKey  # noqa: F401
from app.outbox.models import JobRun, Notification, OutboxMessage  # noqa: F401
from app.routing.models import Category, Division, RoutingRule, TrainingLabel  # noqa: F401
from app.sla.models import Deadline  # noqa: F401
