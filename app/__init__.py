"""i-Dee: the Ministry of Industry's complaint and contact-centre service."""

import logging

from flask import Flask

from app.config import config_from_env


def create_app(config: dict | type | None = None) -> Flask:
    """Build the app: config → extensions → blueprints → error handlers. No queries, no model loading here."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(config_from_env())
    if isinstance(config, dict):
        app.config.from_mapping(config)
    elif config is not None:
        app.config.from_object(config)
    app.json.ensure_ascii = False  # Thai stays readable in JSON
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    from app import models  # noqa: F401  (every table registered before Alembic or create_all looks)
    from app.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    from app.accounts.services import load_user

    login_manager.user_loader(load_user)
    from app.accounts.security import init_security

    init_security(app)  # sign-in page, session checks, security headers
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter.init_app(app)

    from app.errors import register_error_handlers

    register_error_handlers(app)
    from app.cases import listeners as _listeners  # noqa: F401  (workflow listeners: notifications)
    from app.evidence import handlers as _evidence_handlers  # noqa: F401  (CSAT, exports, PDPA, open data)
    from app.intake import jobs as _intake_jobs  # noqa: F401  (registers the outbox handlers)
    from app.outbox import notify  # noqa: F401
    from app.routing import learning  # noqa: F401
    from app.sla import notify as _sla_notify  # noqa: F401  (SLA alerts, escalations, citizens' notices)
    from app.sla import recompute as _sla_recompute  # noqa: F401

    _register_blueprints(app)
    _register_cli(app)
    _register_template_helpers(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from app.accounts.views import bp as accounts_bp
    from app.cases.views import bp as cases_api_bp
    from app.common.health import bp as health_bp
    from app.console.views import bp as console_api_bp
    from app.extensions import csrf
    from app.intake.pages import bp as pages_bp
    from app.intake.views import bp as intake_bp
    from app.routing.views import bp as routing_bp

    for bp in (intake_bp, accounts_bp, health_bp, routing_bp, cases_api_bp, console_api_bp):
        csrf.exempt(bp)  # JSON API: no cookies are trusted there, so CSRF does not apply
        app.register_blueprint(bp)
    app.register_blueprint(pages_bp)
    from app.cases.pages import bp as cases_pages_bp

    app.register_blueprint(cases_pages_bp)
    from app.console.pages import bp as console_pages_bp

    app.register_blueprint(console_pages_bp)
    from app.manual.views import bp as manual_bp

    app.register_blueprint(manual_bp)
    from app.accounts.pages import bp as auth_bp
    from app.admin.views import bp as admin_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    from app.sla.views import api as sla_api_bp
    from app.sla.views import bp as sla_bp

    csrf.exempt(sla_api_bp)  # JSON API, bearer tokens
    app.register_blueprint(sla_api_bp)
    app.register_blueprint(sla_bp)
    from app.evidence import blueprints as evidence_bps  # CSAT, evidence, PDPA, open data

    for bp in evidence_bps.api_blueprints():
        csrf.exempt(bp)  # JSON API, bearer tokens
        app.register_blueprint(bp)
    for bp in evidence_bps.page_blueprints():
        app.register_blueprint(bp)


def _register_cli(app: Flask) -> None:
    from app.cli import register

    register(app)


def _register_template_helpers(app: Flask) -> None:
    from app.common.templating import register

    register(app)
