"""Configuration classes; environment is read in :func:`config_from_env`, never at import time."""

import os
import secrets
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


class BaseConfig:
    APP_ENV = "development"
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'idee.sqlite3'}"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = None  #: unset → jobs run inline, in process
    SMTP_URL = None  #: unset → messages are only recorded in the notification log
    MAIL_FROM = "i-Dee <no-reply@industry.go.th>"
    SECRET_KEY = None
    JSON_AS_ASCII = False

    # Request size limits: the whole body (multipart with photos) and the JSON document.
    MAX_CONTENT_LENGTH = 26 * 1024 * 1024
    MAX_JSON_BYTES = 64 * 1024
    ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
    ATTACHMENT_MAX_COUNT = 5
    ATTACHMENT_FORMATS = ("JPEG", "PNG", "WEBP")

    # Deadlines [DOMAIN.md: unconfirmed common practice, so settings rather than constants].
    SLA_ACKNOWLEDGE_DAYS = 1
    SLA_FIRST_REPORT_DAYS = 15
    SLA_RESOLVE_DAYS = 30
    SLA_DAY_KIND = "working"  #: "working" (Thai government calendar) or "calendar"
    TIMEZONE = "Asia/Bangkok"

    # Rate limits (Flask-Limiter); storage is Redis when configured.
    RATELIMIT_ENABLED = True
    RATELIMIT_INTAKE = "20/minute;200/hour"
    RATELIMIT_HEADERS_ENABLED = True
    # a Redis outage must not turn intake into errors: limits fall back to process memory
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True

    # The contact centre's own numbers, shown to citizens (settings, not constants).
    HOTLINE = "1358"
    TRIAGE_NOTIFY_EMAIL = "gecc-triage@industry.go.th"
    DEMO_PASSWORD = "demo-password"
    CLASSIFIER_ARTIFACTS = None  #: folder of model artifacts; default classifier/artifacts
    CLASSIFIER_RETRAIN_CV = 5  #: cross-validation folds reported on a retrained model's card
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"


class DevelopmentConfig(BaseConfig):
    pass


class TestingConfig(BaseConfig):
    APP_ENV = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret"
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = False


class ProductionConfig(BaseConfig):
    APP_ENV = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


CONFIGS = {"development": DevelopmentConfig, "testing": TestingConfig, "production": ProductionConfig}


def _development_secret() -> str:
    """Generate the development secret once into ``instance/`` so sessions survive restarts."""
    INSTANCE_DIR.mkdir(exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


def config_from_env(env=os.environ) -> dict:
    """Build the settings mapping for ``APP_ENV`` with the overrides given in the environment."""
    app_env = env.get("APP_ENV", "development")
    if app_env not in CONFIGS:
        raise RuntimeError(f"APP_ENV must be one of {sorted(CONFIGS)}, not {app_env!r}")
    cls = CONFIGS[app_env]
    cfg = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
    if env.get("DATABASE_URL"):
        cfg["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(env["DATABASE_URL"])
    for key in ("REDIS_URL", "SMTP_URL", "SECRET_KEY", "DEMO_PASSWORD", "HOTLINE", "MAIL_FROM"):
        if env.get(key):
            cfg[key] = env[key]
    for key in ("SLA_ACKNOWLEDGE_DAYS", "SLA_FIRST_REPORT_DAYS", "SLA_RESOLVE_DAYS"):
        if env.get(key):
            cfg[key] = int(env[key])
    if env.get("RATELIMIT_ENABLED"):
        cfg["RATELIMIT_ENABLED"] = env["RATELIMIT_ENABLED"].lower() in ("1", "true", "yes")
    if not cfg.get("SECRET_KEY"):
        if app_env == "production":
            raise RuntimeError("SECRET_KEY is required when APP_ENV=production")
        cfg["SECRET_KEY"] = _development_secret()
    return cfg


def _normalise_db_url(url: str) -> str:
    # Operators paste libpq URLs; SQLAlchemy needs the psycopg 3 driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
