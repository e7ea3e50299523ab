"""The routing rules and switched-off units, read once and kept per process for ``ROUTING_CACHE_SECONDS``.

Every complaint is routed, and the rules change a few times a year: reading them for each intake cost two queries
(a fifth of intake's database time). The snapshot is plain data, so it is safe to share between requests.

Freshness: an edit made through this process's session (the admin pages, a test, a seed) drops the snapshot when
it is flushed and again when its transaction ends, so this process routes by it at once; other processes follow
within the TTL.
"""

import contextlib
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.routing.models import Division, RoutingRule

_KEY = "idee_routing_rulebook"


@dataclass(frozen=True)
class Rule:
    """A routing rule as the router sees it (a detached copy of a :class:`RoutingRule` row)."""

    id: int
    name: str
    priority: int
    category_code: str | None
    province_code: str | None
    in_estate: bool | None
    division: str
    joint_divisions: tuple[str, ...]

    @property
    def specificity(self) -> tuple:
        """Sort key: more conditions first, then the rule's own priority, then age."""
        conditions = (self.category_code is not None) + (self.province_code is not None) + (self.in_estate is not None)
        return -conditions, self.priority, self.id


@dataclass(frozen=True)
class Rulebook:
    rules: tuple[Rule, ...]  #: active rules, most specific first
    inactive: frozenset[str]  #: unit codes switched off by an administrator
    read_at: float


def _read(session) -> Rulebook:
    rows = session.scalars(select(RoutingRule).where(RoutingRule.active.is_(True))).all()
    rules = sorted((Rule(r.id, r.name, r.priority, r.category_code, r.province_code, r.in_estate, r.division,
                         tuple(r.joint_divisions or ())) for r in rows), key=lambda r: r.specificity)
    inactive = frozenset(session.scalars(select(Division.code).where(Division.active.is_(False))))
    return Rulebook(tuple(rules), inactive, time.monotonic())


def current(session) -> Rulebook:
    """The snapshot for this app, reread when older than ``ROUTING_CACHE_SECONDS`` or after a local edit."""
    ttl = current_app.config.get("ROUTING_CACHE_SECONDS", 30)
    book = current_app.extensions.get(_KEY)
    editing = session.info.get("rulebook_dirty") or _touches_rules(session)
    if book is None or editing or time.monotonic() - book.read_at >= ttl:
        book = _read(session)  # (reading autoflushes a pending edit, so the edit is part of what is read)
        if not editing:  # an uncommitted edit is seen by its own session only
            current_app.extensions[_KEY] = book
    return book


def forget() -> None:
    current_app.extensions.pop(_KEY, None)


def _touches_rules(session) -> bool:
    return any(isinstance(obj, (RoutingRule, Division))
               for obj in (*session.new, *session.dirty, *session.deleted))


@event.listens_for(Session, "before_flush")
def _mark_edit(session, flush_context, instances):
    if _touches_rules(session):
        session.info["rulebook_dirty"] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _drop_after_edit(session):
    if session.info.pop("rulebook_dirty", False):
        # (RuntimeError: a session used outside an app context, say a script, has nothing cached)
        with contextlib.suppress(RuntimeError):
            forget()
