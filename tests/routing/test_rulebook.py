"""The routing rules are read once per process and kept: no query per complaint, yet an edit applies at once."""

from sqlalchemy import event, update

from app.extensions import db
from app.routing import rulebook
from app.routing.models import Division, RoutingRule
from app.routing.services import clear_caches, match_rule


class Statements:
    """Counts the SQL statements run while active."""

    def __init__(self):
        self.n = 0

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.n += 1


def test_routing_reads_the_rules_once(ctx):
    clear_caches()
    assert match_rule("FACTORY_POLLUTION", "20", None)[1] == "PIO-20"
    with Statements() as sql:
        for province in ("20", "21", "50"):
            assert match_rule("FACTORY_POLLUTION", province, None)[1] == f"PIO-{province}"
    assert sql.n == 0


def test_an_edit_in_this_process_applies_at_once_and_a_rollback_undoes_it(ctx):
    match_rule("FACTORY_POLLUTION", "21", None)  # cached
    db.session.add(RoutingRule(name="rayong-to-diw", category_code="FACTORY_POLLUTION", province_code="21",
                               division="DIW"))
    assert match_rule("FACTORY_POLLUTION", "21", None)[1] == "DIW"  # seen by the editing session before commit
    db.session.rollback()
    assert match_rule("FACTORY_POLLUTION", "21", None)[1] == "PIO-21"  # gone with the rollback


def test_a_unit_switched_off_stops_receiving_after_commit(ctx):
    match_rule("FACTORY_POLLUTION", "20", None)
    db.session.get(Division, "PIO-20").active = False
    try:
        db.session.commit()
        assert match_rule("FACTORY_POLLUTION", "20", None)[1] != "PIO-20"
    finally:
        db.session.get(Division, "PIO-20").active = True
        db.session.commit()
    assert match_rule("FACTORY_POLLUTION", "20", None)[1] == "PIO-20"


def test_an_edit_by_another_process_applies_within_the_ttl(app, ctx):
    """Another process's edit is invisible to this one's session events: the TTL bounds how stale it can be."""
    match_rule("FACTORY_POLLUTION", "20", None)
    with db.engine.begin() as other:  # not this session: no event tells the cache
        other.execute(update(Division).where(Division.code == "PIO-20").values(active=False))
    try:
        assert match_rule("FACTORY_POLLUTION", "20", None)[1] == "PIO-20"  # still the cached snapshot
        app.config["ROUTING_CACHE_SECONDS"] = 0
        assert match_rule("FACTORY_POLLUTION", "20", None)[1] != "PIO-20"  # expired: reread
    finally:
        app.config["ROUTING_CACHE_SECONDS"] = 30
        with db.engine.begin() as other:
            other.execute(update(Division).where(Division.code == "PIO-20").values(active=True))
        rulebook.forget()
