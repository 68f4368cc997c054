"""Settings for the convention registry, declared once and read from the environment (django-environ).

The contract is README.md's configuration table. The embedded defaults run the whole system on one
machine: SQLite, a file-system Celery broker, a file cache shared by every process and private document
storage, all under ``var/``. With ``DJANGO_DEBUG`` off these are production settings and they refuse to
start without a real secret key and allowed hosts.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("REGISTRY_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Under pytest, or mypy's Django plugin, the embedded defaults apply without DJANGO_DEBUG.
TESTING = env.bool("REGISTRY_TESTING", default="pytest" in sys.modules or "mypy" in sys.modules)

_INSECURE_KEY = "django-insecure-embedded-default-key-for-local-use-only"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if DEBUG or TESTING:
    SECRET_KEY = SECRET_KEY or _INSECURE_KEY
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver", "[::1]"]
else:
    if len(SECRET_KEY) < 50 or SECRET_KEY == _INSECURE_KEY or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters when "
            "DJANGO_DEBUG is off (production settings)."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the site's host names when DJANGO_DEBUG is off.")

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("REGISTRY_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Reverse proxies in front of the site that append to X-Forwarded-For (0: the peer is the client). The one
# notion of the client's address (members.core.client_address) for audit, lockout and rate limits.
REGISTRY_TRUSTED_PROXIES = env.int("REGISTRY_TRUSTED_PROXIES", default=env.int("REGISTRY_PROXY_COUNT", default=0))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "members",
    "members.publications",
    "members.transparency",
    "convention",
    "complaints",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "two_factor",
    "csp",
    "health_check",
    "members.audit",
    "altcha_django",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the database: NUL and lone surrogates (which PostgreSQL cannot store) get a 400.
    "members.core.middleware.RejectUnstorableInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # OTP after authentication; the audit context needs the user; axes must be the last one.
    "django_otp.middleware.OTPMiddleware",
    "members.audit.twofactor.guard.SecondFactorGuardMiddleware",
    "csp.middleware.CSPMiddleware",
    "members.audit.middleware.AuditContextMiddleware",
    "members.audit.middleware.DatabaseUnavailableMiddleware",
    "members.core.middleware.ApiMethodNotAllowedMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "convention.urls"
WSGI_APPLICATION = "convention.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "members.public.identity.context",
            ],
        },
    },
    {
        # The register's list fragments, rendered on every cold request (members.core.jinja).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "members.core.jinja.environment"},
    },
]

# --- Database -------------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'registry.sqlite3'}")}
DATABASES["default"].update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat share the file, embedded default or DATABASE_URL=sqlite:///...:
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock when a transaction
    # begins, so two writers queue (for up to 30 s) instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # Tests use a file too, never Django's shared-cache in-memory database: on that one a second connection
    # (a real worker's thread, a server) gets "database table is locked" at once, whatever the timeout.
    _sqlite_name = Path(DATABASES["default"]["NAME"])
    DATABASES["default"]["TEST"] = {"NAME": str(_sqlite_name.with_name(f"test-{_sqlite_name.name}"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters travel apart from the SQL (server-side binding), so a query of one shape has one text
    # and psycopg prepares it once it has run DATABASE_PREPARE_THRESHOLD times on a connection: the
    # server plans it once instead of on every request (the planning was a third of a page's query).
    # 0 turns preparing off (a pooler in transaction mode older than PgBouncer 1.21 needs that).
    _prepare = env.int("DATABASE_PREPARE_THRESHOLD", default=5)
    # The same backend, but its per-request health check reads the socket instead of sending SELECT 1
    # (convention/postgresql/base.py): one round trip less for every request that reads the database.
    DATABASES["default"]["ENGINE"] = "convention.postgresql"
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True, "prepare_threshold": _prepare or None,
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------------
# Rate limits, lockout support and the page cache need ONE cache for every process on every machine:
# Redis in production (CACHE_URL=redis://host:6379/1, Django's RedisCache), otherwise a file cache
# under var/ that every process on this machine shares, with exact counters (members.core.cache).
if "CACHE_URL" in os.environ:
    CACHES = {"default": env.cache_url("CACHE_URL")}
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {"default": {"BACKEND": "members.core.cache.LockingFileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache"), "OPTIONS": {"MAX_ENTRIES": 20000}}}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # Django's RedisCache (not django-redis), with a clear() that deletes only this KEY_PREFIX's keys.
    CACHES["default"]["BACKEND"] = "members.core.cache.PrefixedRedisCache"
# Several deployments (or test processes) may share one Redis database under different prefixes.
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="")
# ALTCHA warns that Django's file cache does add() as check-then-set (W017); the embedded cache above
# runs add/incr under one exclusive flock (members/core/cache.py), so a solved payload is accepted once.
# The tests' per-process LocMemCache (W001) serves one process. Any other backend keeps its warnings.
SILENCED_SYSTEM_CHECKS = {"members.core.cache.LockingFileBasedCache": ["altcha.W017"],
                          "django.core.cache.backends.locmem.LocMemCache": ["altcha.W001"] if TESTING else [],
                          }.get(CACHES["default"]["BACKEND"], [])
if TESTING:
    # Parallel test processes sharing a Redis must not see each other's counters and pages, nor clear
    # them (PrefixedRedisCache.clear); servers a test starts get the same prefix (tests.brokers.worker_env).
    CACHES["default"]["KEY_PREFIX"] = "test-" + env.str("PYTEST_XDIST_WORKER", default="main")

# How long a process may answer the register's state (ETags, page-cache keys) without asking the
# database: a change made in another process shows within this many seconds (members.public.selectors).
REGISTRY_STAMP_MEMO_SECONDS = env.float("REGISTRY_STAMP_MEMO_SECONDS", default=1.0)

# --- Authentication -------------------------------------------------------------------------------
# Axes first: a locked-out client is refused before any password is checked (admin and allauth).
# Staff permissions in sessions not verified with the second factor: members.audit.twofactor.guard.
AUTHENTICATION_BACKENDS = [
    "members.audit.auth.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "public:home"

# django-allauth: plain e-mail accounts only (convention Art 10: no single platform's login).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[公约成员登记] "
# Failed logins are counted by django-axes alone (one lockout, answered 429 on every worker); allauth's
# other limits (sign-up, password reset, ...) stay, in the shared cache, with the same client address.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
ALLAUTH_TRUSTED_PROXY_COUNT = REGISTRY_TRUSTED_PROXIES

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# One English catalogue for the whole project (apps and templates/); refresh with `make messages`.
LOCALE_PATHS = [BASE_DIR / "convention" / "locale"]
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("REGISTRY_STATIC_ROOT", default=str(VAR_DIR / "static")))
# Sealed pages, licences and evidence: never under STATIC_ROOT, never given a public URL.
PRIVATE_STORAGE_ROOT = Path(env.str("REGISTRY_PRIVATE_ROOT", default=str(VAR_DIR / "private")))

# The executive body's signing key for published PDFs, bulletin JSON and member certificates (issue 14):
# a PKCS#12 file, or a PEM key and certificate, with the passphrase from the environment. Unset: a
# demonstration key and self-signed certificate are created once under REGISTRY_SIGNING_DIR.
SIGNING_PKCS12 = env.str("REGISTRY_SIGNING_PKCS12", default="")
SIGNING_KEY_PEM = env.str("REGISTRY_SIGNING_KEY", default="")
SIGNING_CERT_PEM = env.str("REGISTRY_SIGNING_CERT", default="")
SIGNING_PASSPHRASE = env.str("REGISTRY_SIGNING_PASSPHRASE", default="")
SIGNING_DIR = Path(env.str("REGISTRY_SIGNING_DIR", default=str(VAR_DIR / "signing")))
SIGNING_TSA_URL = env.str("REGISTRY_SIGNING_TSA_URL", default="")
# Published bulletins: public files, served through a view that sets the download headers.
PUBLICATIONS_ROOT = Path(env.str("REGISTRY_PUBLICATIONS_ROOT", default=str(VAR_DIR / "publications")))
# Bulletin rendering: roster rows per part and parallel render processes (members.publications.rendering).
PUBLICATIONS_CHUNK_ROWS = env.int("REGISTRY_PUBLICATIONS_CHUNK_ROWS", default=1000)
PUBLICATIONS_RENDER_JOBS = env.int("REGISTRY_PUBLICATIONS_RENDER_JOBS", default=2)
# The convention's full official name (titles, PDF metadata).
CONVENTION_FULL_NAME = "政务移动互联网应用程序行业生态服务商自律公约"
# Bulletins (members/publications): how they look and how long a render may take.
PUBLICATIONS_ISSUER = env.str("REGISTRY_BULLETIN_ISSUER", default="中国互联网协会")
# Document number: {year} of issue, {seq} the bulletin's number.
PUBLICATIONS_DOC_NUMBER = env.str("REGISTRY_BULLETIN_DOC_NUMBER", default="中互协公约〔{year}〕{seq}号")
PUBLICATIONS_SEAL_IMAGE = env.str("REGISTRY_BULLETIN_SEAL_IMAGE", default="")  # PNG/JPEG path; none if empty
PUBLICATIONS_PDF_FONT = env.str("REGISTRY_PDF_FONT", default="Noto Sans CJK SC")
PUBLICATIONS_PDF_TITLE_FONT = env.str("REGISTRY_PDF_TITLE_FONT", default="Noto Serif CJK SC")
PUBLICATIONS_RENDER_TIMEOUT = env.int("REGISTRY_RENDER_TIMEOUT", default=180)  # seconds, every path
PUBLICATIONS_RENDER_SUBPROCESS = True  # the cover's WeasyPrint layout in a killable child process
PUBLICATIONS_MAX_ATTEMPTS = env.int("REGISTRY_RENDER_MAX_ATTEMPTS", default=3)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": None},
    },
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
UPLOAD_MAX_BYTES = env.int("REGISTRY_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Images larger than this many pixels are refused before they are decoded (decompression bombs).
UPLOAD_MAX_PIXELS = env.int("REGISTRY_UPLOAD_MAX_PIXELS", default=40_000_000)

# --- Mail -----------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.filebased.EmailBackend" if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=30)  # a hung mail server must not hold a worker
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="registry@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A notification e-mail claimed by a worker that never confirmed it sent (killed mid-send) is sent again
# after this many seconds, with the same Message-ID (members.tasks.notification_email).
NOTIFICATION_EMAIL_CLAIM_SECONDS = env.int("REGISTRY_NOTIFICATION_EMAIL_CLAIM_SECONDS", default=300)

# --- Celery ---------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
_BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {}
if CELERY_BROKER_URL.startswith("filesystem"):
    for sub in ("in", "processed", "control"):
        (_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR / "in"),
        "data_folder_out": str(_BROKER_DIR / "in"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "store_processed": False,
        "control_folder": str(_BROKER_DIR / "control"),  # not the working folder
    }
elif CELERY_BROKER_URL.startswith(("redis", "rediss")):
    # An unacknowledged task of a killed worker goes back to the queue after this many seconds; it must
    # be longer than the longest task (soft limit 300 s).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("REGISTRY_BROKER_VISIBILITY_TIMEOUT", default=3600),
        "unacked_restore_interval": env.float("REGISTRY_BROKER_RESTORE_INTERVAL", default=10),
    }
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
# Tests run tasks in-process unless a test starts a real worker (tests/conftest.py: celery_worker).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Broker loss: a worker keeps trying to reconnect for ever, at start-up too, instead of exiting. No task
# is ever published with a countdown or ETA (those live only in the worker's memory and the broker and
# are lost or crash the worker on a Redis restart: celery/celery#1307, kombu#582); every duty that must
# happen later is found in the database by a beat job. A late-acknowledged task running when the
# connection drops is cancelled and redelivered instead of being acknowledged on a dead channel.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# A dead broker must not hang a request: fail fast, the outbox sends the task later.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                                    "interval_max": 0.2}
# Beat jobs defined in code (django-celery-beat copies them into its table); the others are rows that
# staff edit in the admin (created by migrations).
CELERY_BEAT_SCHEDULE = {
    "audit-apply-retention": {"task": "members.audit.tasks.apply_retention", "schedule": 24 * 3600.0},
    "audit-sweep-outbox": {"task": "members.audit.tasks.sweep_outbox", "schedule": 60.0},
    # Stuck bulletins (a lost worker, message or broker) are found from the database and sent again.
    "publications-sweep-stuck": {"task": "members.publications.tasks.publication_sweep_stuck_task",
                                 "schedule": 300.0},
}
# Tasks queued through members.audit.outbox that are still unsent after this long are sent again.
OUTBOX_RESEND_AFTER_SECONDS = env.int("REGISTRY_OUTBOX_RESEND_AFTER_SECONDS", default=60)

# --- REST framework -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "members.audit.tokens.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "members.core.api_schema.RegistryAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["members.core.filtering.StrictDjangoFilterBackend"],
    "EXCEPTION_HANDLER": "members.core.api_errors.exception_handler",
    # The API speaks JSON; only the upload operations read multipart (their own parser_classes). Form
    # encodings cannot carry a null, a list of objects or a file, so the schema would promise inputs
    # that they cannot express.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "政务移动互联网应用程序行业生态服务商自律公约 成员登记 API",
    "DESCRIPTION": (
        "Public register of signatories, convention versions, bulletins and notices.\n\n"
        "Reads of the public register need no authentication. Everything else takes a personal API token: "
        "sign in (portal, or the staff login with the second factor), open the portal page API 令牌 "
        "(/portal/tokens/) or POST /api/v1/tokens/ from that session with a name, a scope (read or write) "
        "and a lifetime in days (default 90, at most REGISTRY_API_TOKEN_MAX_DAYS), copy the token shown "
        "once, and send it as `Authorization: Bearer rgt_...`. A read token cannot write. A staff "
        "member's token carries staff powers only when it has the write scope and was issued from a "
        "session verified with the second factor; otherwise it acts as a plain account. Expired or "
        "revoked tokens get 401 (codes token_expired, token_revoked); revoke with "
        "POST /api/v1/tokens/{id}/revoke/."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request bodies get components of their own: required text non-blank, file fields binary uploads.
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStateEnum": "members.models.ApplicationState",
        "WithdrawalStateEnum": "members.models.WithdrawalState",
        "PublicationStateEnum": "members.publications.models.PublicationState",
        "ComplaintStateEnum": "complaints.models.ComplaintState",
        "CorrectionStateEnum": "complaints.models.CorrectionState",
        "DisputeStateEnum": "complaints.models.DisputeState",
        "ProposalStateEnum": "convention.amendments.models.ProposalState",
        "BallotStateEnum": "convention.amendments.models.BallotState",
    },
    # Every operation lists each error status it can answer, in the one error shape (members.core.api_schema).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "members.core.api_schema.document_error_responses"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Domain ---------------------------------------------------------------------------------------
# Version 1's effective date is the association's decision; staff can also set it in the admin.
_v1_date = env.str("REGISTRY_CONVENTION_V1_EFFECTIVE_DATE", default="")
CONVENTION_V1_EFFECTIVE_DATE = date.fromisoformat(_v1_date) if _v1_date else None

# Complaints (Art 21): reporters' contact details are erased this many days after the case is decided.
COMPLAINTS_REPORTER_RETENTION_DAYS = env.int("COMPLAINTS_REPORTER_RETENTION_DAYS", default=365)
# Report form and tracking-code look-ups per client address and window (seconds), in the shared cache.
COMPLAINTS_REPORT_RATE = (env.int("COMPLAINTS_REPORT_RATE", default=5), 3600)
COMPLAINTS_TRACK_RATE = (env.int("COMPLAINTS_TRACK_RATE", default=20), 3600)
# Verification of a report (查证核实, Art 21) has no time limit in the convention or in DESIGN.md: this is
# the executive body's own service target, counted in days from receipt; the admin home lists open reports
# from WARNING days before it ("near the target"). A correction order's deadline, by contrast, is set per
# order by staff and is the real one (overdue orders are listed once it has passed).
COMPLAINTS_VERIFICATION_TARGET_DAYS = env.int("COMPLAINTS_VERIFICATION_TARGET_DAYS", default=30)
COMPLAINTS_VERIFICATION_WARNING_DAYS = env.int("COMPLAINTS_VERIFICATION_WARNING_DAYS", default=7)
# The report form's CAPTCHA: an ALTCHA proof-of-work challenge, signed and verified here; the widget's
# script is served from our own static files (never a CDN). Replays are refused through the cache.
ALTCHA_HMAC_SECRET = env.str("REGISTRY_ALTCHA_SECRET", default="") or f"altcha:{SECRET_KEY}"
ALTCHA_WIDGET_JS_SOURCE = "vendored"
ALTCHA_WIDGET_I18N = True

# --- Security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and not TESTING
CSRF_COOKIE_SECURE = not DEBUG and not TESTING
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Login lockout (django-axes, database handler: every process sees the same attempts). The (account,
# address) pair is locked: a flood is stopped, and nobody can lock a colleague out from elsewhere.
AXES_FAILURE_LIMIT = env.int("REGISTRY_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("REGISTRY_LOGIN_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "members.audit.auth.login_name"
AXES_CLIENT_IP_CALLABLE = "members.core.client_address.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "audit/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429

OTP_TOTP_ISSUER = "公约成员登记"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Second factor and API tokens (issue 15) -------------------------------------------------------
# django-two-factor-auth runs the staff login and enrolment at /security/ (members.audit.twofactor);
# the admin site redirects there itself, so the package must not patch every AdminSite.
TWO_FACTOR_PATCH_ADMIN = False
TWO_FACTOR_LOGIN_TIMEOUT = 600  # seconds between the password step and the code step
# Personal API tokens (members.audit.tokens): lifetime when none is asked for, and the longest allowed.
API_TOKEN_DEFAULT_DAYS = env.int("REGISTRY_API_TOKEN_DEFAULT_DAYS", default=90)
API_TOKEN_MAX_DAYS = env.int("REGISTRY_API_TOKEN_MAX_DAYS", default=365)
if not 1 <= API_TOKEN_DEFAULT_DAYS <= API_TOKEN_MAX_DAYS:
    raise ImproperlyConfigured("REGISTRY_API_TOKEN_DEFAULT_DAYS must be between 1 and REGISTRY_API_TOKEN_MAX_DAYS.")

# django-csp 4: no inline script or style anywhere (the templates have none).
from csp.constants import NONCE  # noqa: E402 - used by the policy just below

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # A nonce only on pages that ask for one (the report form's CAPTCHA widget styles itself with it);
        # never 'unsafe-inline'.
        "style-src": ["'self'", NONCE],
        # The CAPTCHA's proof-of-work runs in Web Workers the widget's own script creates from blob: URLs.
        "worker-src": ["'self'", "blob:"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Audit log: every model of these app labels is recorded on save and delete (members.audit.signals).
AUDITED_APP_LABELS = ["members", "complaints", "convention", "publications", "auth", "otp_totp", "otp_static"]
AUDIT_IGNORED_MODELS = ["audit.auditentry", "audit.queuedtask", "auth.permission"]

# Retention (members.audit.retention), in days.
RETENTION_SUPERSEDED_DOCUMENT_DAYS = env.int("REGISTRY_RETENTION_SUPERSEDED_DOCUMENT_DAYS", default=365)
RETENTION_FORMER_MEMBER_CONTACT_DAYS = env.int("REGISTRY_RETENTION_FORMER_MEMBER_CONTACT_DAYS", default=3 * 365)
RETENTION_LOGIN_ATTEMPT_DAYS = env.int("REGISTRY_RETENTION_LOGIN_ATTEMPT_DAYS", default=90)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain" if DEBUG or TESTING else "json"},
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"fontTools": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

if TESTING:
    # Tests log in often (lockout tests fail on purpose): a fast hasher keeps the suite quick.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- The public face (issue 13): footer defaults; staff override them in the admin ("站点信息") ------
REGISTRY_EXECUTIVE_BODY = os.environ.get("REGISTRY_EXECUTIVE_BODY", "中国互联网协会")
REGISTRY_EXECUTIVE_BODY_EN = os.environ.get("REGISTRY_EXECUTIVE_BODY_EN", "Internet Society of China")
REGISTRY_CONTACT_ADDRESS = os.environ.get("REGISTRY_CONTACT_ADDRESS", "")
REGISTRY_CONTACT_PHONE = os.environ.get("REGISTRY_CONTACT_PHONE", "")
REGISTRY_CONTACT_EMAIL = os.environ.get("REGISTRY_CONTACT_EMAIL", "")
REGISTRY_ICP_FILING = os.environ.get("REGISTRY_ICP_FILING", "")
REGISTRY_PSB_FILING = os.environ.get("REGISTRY_PSB_FILING", "")
