"""Alembic: one head, upgrade from empty, and the models match the migrations."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Migrate

from app.extensions import db


def test_single_head(app):
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_models_match_migrations(app):
    # the session fixture built the schema with `upgrade()` from empty; nothing may be missing from it
    with app.app_context(), db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == [], diff


def test_migrate_extension_is_bound(app):
    assert isinstance(app.extensions["migrate"].migrate, Migrate)
