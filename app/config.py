"""Configuration classes; environment is read in :func:`config_from_env`, never at import time."""

import os
import secrets
from datetime import timedelta
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
    #: the tokenizer intake serves with: ``nlpo3`` (newmm in Rust, on the same dictionary: the same tokens and labels,
    #: tested, at 2.5x the speed) or ``newmm`` (pure Python); empty = the model's own (its card's)
    CLASSIFIER_TOKENIZER = "nlpo3"
    CLASSIFIER_RETRAIN_CV = 5  #: cross-validation folds reported on a retrained model's card
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Staff sessions (app/accounts/security.py): signed out 8 hours after signing in; no "remember me".
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    REMEMBER_COOKIE_DURATION = timedelta(hours=8)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    RATELIMIT_LOGIN = "10/minute;50/hour"  #: sign-in attempts per IP address
    PASSWORD_MIN_LENGTH = 10
    STRICT_TRANSPORT_SECURITY = None  #: HSTS header value; set in production

    # Notifications (app/channels, app/outbox/notify.py). SMS and LINE go through a backend chosen here;
    # ``record`` only writes the message to the notification log.
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"  #: the tracking links sent to citizens start with this
    SMS_BACKEND = "record"  #: ``record`` or ``http`` (a generic HTTPS gateway)
    SMS_HTTP_URL = None  #: gateway URL; ``{to}``, ``{text}``, ``{ref}``, ``{sender}`` are filled in, URL-quoted
    SMS_HTTP_TOKEN = None  #: sent as ``Authorization: Bearer …``
    SMS_SENDER = "i-Dee"
    SMS_MAX_CHARS = 140
    SMS_MOBILE_PATTERN = r"^\+66[689]\d{8}$"  #: Thai mobiles in E.164 (06/08/09…); fixed lines get no SMS
    LINE_BACKEND = "record"  #: ``record`` or ``line_push`` (LINE Messaging API push)
    LINE_API_BASE = "https://api.line.me"
    LINE_CHANNEL_TOKEN = None  #: the LINE Official Account's channel access token
    CHANNEL_HTTP_TIMEOUT = 10  #: seconds for one gateway request
    NOTIFY_SENDING_LEASE = 120  #: seconds a notification being sent is left to its worker before a retry resends

    # Evidence, satisfaction, personal-data rights, open data (app/csat, app/evidence, app/pdpa).
    RATELIMIT_CSAT = "10/minute;50/hour"  #: ratings per IP address
    EXPORT_ASYNC_ROWS = 50_000  #: a larger export runs as a job with progress and a download link
    EXPORT_DIR = None  #: where export jobs leave files; default ``instance/exports`` (shared storage if many hosts)
    EXPORT_MAX_DAYS = 3660  #: the longest period one export may cover
    EVIDENCE_BACKLOG_BUCKETS = (7, 15, 30, 60, 90)  #: age limits in days of the backlog's bands
    PDPA_RETENTION_DAYS = 1825  #: personal data of cases closed longer ago than this is anonymised [U: 5 years]
    PDPA_RETENTION_BATCH = 500  #: complainants anonymised per transaction by the retention job
    OPEN_DATA_MIN_CELL = 5  #: counts below this are suppressed in the open dataset (re-identification risk)
    OPEN_DATA_LICENSE = "Open Data Common"  #: the Government Data Catalog's licence for government data

    # SLA engine (app/sla). [U] values from DOMAIN.md are settings, never constants.
    SLA_AT_RISK_SHARE = 0.2  #: a clock is at risk once less than this share of its span is left
    #: clocks that stop while the case awaits the citizen (acknowledgement is the unit's own step)
    SLA_PAUSED_CLOCKS = ("first_report", "resolve", "progress", "delay_notice")
    #: how long a process routes by the rules it read; edits in the same process apply at once
    ROUTING_CACHE_SECONDS = 30
    SLA_RULES_CACHE_SECONDS = 60  #: how long a process keeps the calendar and business hours before rereading
    SLA_ESCALATION_EMAIL = "gecc-supervisor@industry.go.th"  #: when no supervisor with an e-mail is found
    SLA_OPDC_EMAIL = "opdc-notice@opdc.go.th"  #: copies of s.10 delay notices (Licensing Facilitation Act) [U]
    SLA_BACKLOG_BUCKETS = (7, 15, 30, 60)  #: age limits in days of the dashboard's backlog bars
    SLA_SUMMARY_MAX_DAYS = 366  #: the longest period the SLA summary covers
    SLA_ON_TIME_TARGET = 0.8  #: the dashed target line on the on-time charts [U]


class DevelopmentConfig(BaseConfig):
    pass


class TestingConfig(BaseConfig):
    APP_ENV = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret"
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = False
    SLA_RULES_CACHE_SECONDS = 0  #: tests edit the calendar and publish manual versions: read them at once


class ProductionConfig(BaseConfig):
    APP_ENV = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"  #: the browser then refuses it without HTTPS, or from a subdomain
    STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


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
    # Every setting may be given in the environment ([U] values in DOMAIN.md are settings, not constants),
    # typed like its default: ``SLA_RESOLVE_DAYS=20``, ``RATELIMIT_ENABLED=false``, ``PDPA_RETENTION_DAYS=3650``.
    for key, default in list(cfg.items()) + [(k, None) for k in ("REDIS_URL", "SMTP_URL", "SECRET_KEY")]:
        if env.get(key) not in (None, "") and key != "SQLALCHEMY_DATABASE_URI":
            cfg[key] = _typed(env[key], default)
    if not cfg.get("SECRET_KEY"):
        if app_env == "production":
            raise RuntimeError("SECRET_KEY is required when APP_ENV=production")
        cfg["SECRET_KEY"] = _development_secret()
    return cfg


def _typed(raw: str, default):
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def _normalise_db_url(url: str) -> str:
    # Operators paste libpq URLs; SQLAlchemy needs the psycopg 3 driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
