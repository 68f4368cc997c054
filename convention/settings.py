"""Settings for the convention registry.

Everything comes from environment variables (the contract is in README.md). The embedded
defaults run the whole system on one machine: SQLite, a file-system Celery broker and private
document storage, all under ``var/``. With ``DJANGO_DEBUG`` off these are production settings and
they refuse to start without a real secret key and allowed hosts.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("REGISTRY_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
# Under pytest, or mypy's Django plugin, the embedded defaults apply without DJANGO_DEBUG.
TESTING = env_bool("REGISTRY_TESTING", "pytest" in sys.modules or "mypy" in sys.modules)

_INSECURE_KEY = "django-insecure-embedded-default-key-for-local-use-only"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
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

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("REGISTRY_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

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
    "captcha",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "registry.sqlite3"),
            # The worker, beat and the web server share the file: wait for locks instead of failing.
            "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
            # Opening a SQLite connection (functions, PRAGMA) costs more than a 304 answer: keep it.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
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
STATIC_ROOT = Path(os.environ.get("REGISTRY_STATIC_ROOT", VAR_DIR / "static"))
# Sealed pages, licences and evidence: never under STATIC_ROOT, never given a public URL.
PRIVATE_STORAGE_ROOT = Path(os.environ.get("REGISTRY_PRIVATE_ROOT", VAR_DIR / "private"))

# The executive body's signing key for published PDFs, bulletin JSON and member certificates (issue 14):
# a PKCS#12 file, or a PEM key and certificate, with the passphrase from the environment. Unset: a
# demonstration key and self-signed certificate are created once under REGISTRY_SIGNING_DIR.
SIGNING_PKCS12 = os.environ.get("REGISTRY_SIGNING_PKCS12", "")
SIGNING_KEY_PEM = os.environ.get("REGISTRY_SIGNING_KEY", "")
SIGNING_CERT_PEM = os.environ.get("REGISTRY_SIGNING_CERT", "")
SIGNING_PASSPHRASE = os.environ.get("REGISTRY_SIGNING_PASSPHRASE", "")
SIGNING_DIR = Path(os.environ.get("REGISTRY_SIGNING_DIR", VAR_DIR / "signing"))
SIGNING_TSA_URL = os.environ.get("REGISTRY_SIGNING_TSA_URL", "")
# Published bulletins: public files, served through a view that sets the download headers.
PUBLICATIONS_ROOT = Path(os.environ.get("REGISTRY_PUBLICATIONS_ROOT", VAR_DIR / "publications"))
# The convention's full official name (titles, PDF metadata).
CONVENTION_FULL_NAME = "政务移动互联网应用程序行业生态服务商自律公约"
# Bulletins (members/publications): how they look and how long a render may take.
PUBLICATIONS_ISSUER = os.environ.get("REGISTRY_BULLETIN_ISSUER", "中国互联网协会")
# Document number: {year} of issue, {seq} the bulletin's number.
PUBLICATIONS_DOC_NUMBER = os.environ.get("REGISTRY_BULLETIN_DOC_NUMBER", "中互协公约〔{year}〕{seq}号")
PUBLICATIONS_SEAL_IMAGE = os.environ.get("REGISTRY_BULLETIN_SEAL_IMAGE", "")  # PNG/JPEG path; none if empty
PUBLICATIONS_PDF_FONT = os.environ.get("REGISTRY_PDF_FONT", "Noto Sans CJK SC")
PUBLICATIONS_PDF_TITLE_FONT = os.environ.get("REGISTRY_PDF_TITLE_FONT", "Noto Serif CJK SC")
PUBLICATIONS_RENDER_TIMEOUT = int(os.environ.get("REGISTRY_RENDER_TIMEOUT", 180))  # seconds, every path
PUBLICATIONS_RENDER_SUBPROCESS = True  # the cover's WeasyPrint layout in a killable child process
PUBLICATIONS_MAX_ATTEMPTS = int(os.environ.get("REGISTRY_RENDER_MAX_ATTEMPTS", 3))
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
UPLOAD_MAX_BYTES = int(os.environ.get("REGISTRY_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Mail -----------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", 25))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "registry@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------------
_BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
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
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
# Tests run tasks in-process unless a test starts a real worker (tests/conftest.py: celery_worker).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- REST framework -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "members.audit.tokens.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "members.core.api_errors.exception_handler",
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
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Domain ---------------------------------------------------------------------------------------
# Version 1's effective date is the association's decision; staff can also set it in the admin.
_v1_date = os.environ.get("REGISTRY_CONVENTION_V1_EFFECTIVE_DATE", "")
CONVENTION_V1_EFFECTIVE_DATE = date.fromisoformat(_v1_date) if _v1_date else None

# Complaints (Art 21): reporters' contact details are erased this many days after the case is decided.
COMPLAINTS_REPORTER_RETENTION_DAYS = int(os.environ.get("COMPLAINTS_REPORTER_RETENTION_DAYS", 365))
# Report form and tracking-code look-ups per client IP address and window (seconds), in Django's cache.
COMPLAINTS_REPORT_RATE = (int(os.environ.get("COMPLAINTS_REPORT_RATE", 5)), 3600)
COMPLAINTS_TRACK_RATE = (int(os.environ.get("COMPLAINTS_TRACK_RATE", 20)), 3600)
# Number of reverse proxies in front of the site that append to X-Forwarded-For (0: use REMOTE_ADDR).
COMPLAINTS_TRUSTED_PROXIES = int(os.environ.get("COMPLAINTS_TRUSTED_PROXIES", 0))
# Offline image CAPTCHA (django-simple-captcha) on the public report form.
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 30

# --- Security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and not TESTING
CSRF_COOKIE_SECURE = not DEBUG and not TESTING
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

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
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"fontTools": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

# --- Hardening (issue 8): lockout, second factor, CSP, health, audit --------------------------------
INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "two_factor",
    "csp",
    "health_check",
    "members.audit",
]
# OTP after authentication; the audit context needs the user; axes must be the last one.
MIDDLEWARE += [
    "django_otp.middleware.OTPMiddleware",
    "members.audit.twofactor.guard.SecondFactorGuardMiddleware",
    "csp.middleware.CSPMiddleware",
    "members.audit.middleware.AuditContextMiddleware",
    "members.audit.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]
# Axes first: a locked-out client is refused before any password is checked (admin and allauth).
# Staff permissions in sessions not verified with the second factor: members.audit.twofactor.guard.
AUTHENTICATION_BACKENDS = ["members.audit.auth.LockoutBackend", *AUTHENTICATION_BACKENDS]
AXES_FAILURE_LIMIT = int(os.environ.get("REGISTRY_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("REGISTRY_LOGIN_COOLOFF_HOURS", 0.25))  # hours
# The (account, address) pair is locked: a flood is stopped, and nobody can lock a colleague out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "members.audit.auth.login_name"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "audit/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind one reverse proxy (see the README, Deployment) the client address is the last X-Forwarded-For hop.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("REGISTRY_PROXY_COUNT", 0)) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

OTP_TOTP_ISSUER = "公约成员登记"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Second factor and API tokens (issue 15) -------------------------------------------------------
# django-two-factor-auth runs the staff login and enrolment at /security/ (members.audit.twofactor);
# the admin site redirects there itself, so the package must not patch every AdminSite.
TWO_FACTOR_PATCH_ADMIN = False
TWO_FACTOR_LOGIN_TIMEOUT = 600  # seconds between the password step and the code step
# Personal API tokens (members.audit.tokens): lifetime when none is asked for, and the longest allowed.
API_TOKEN_DEFAULT_DAYS = int(os.environ.get("REGISTRY_API_TOKEN_DEFAULT_DAYS", 90))
API_TOKEN_MAX_DAYS = int(os.environ.get("REGISTRY_API_TOKEN_MAX_DAYS", 365))
if not 1 <= API_TOKEN_DEFAULT_DAYS <= API_TOKEN_MAX_DAYS:
    raise ImproperlyConfigured("REGISTRY_API_TOKEN_DEFAULT_DAYS must be between 1 and REGISTRY_API_TOKEN_MAX_DAYS.")

# django-csp 4: no inline script or style anywhere (the templates have none).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Audit log: every model of these app labels is recorded on save and delete (members.audit.signals).
AUDITED_APP_LABELS = ["members", "complaints", "convention", "publications", "auth", "otp_totp", "otp_static"]
AUDIT_IGNORED_MODELS = ["audit.auditentry", "audit.queuedtask", "auth.permission"]

# Retention (members.audit.retention), in days.
RETENTION_SUPERSEDED_DOCUMENT_DAYS = int(os.environ.get("REGISTRY_RETENTION_SUPERSEDED_DOCUMENT_DAYS", 365))
RETENTION_FORMER_MEMBER_CONTACT_DAYS = int(os.environ.get("REGISTRY_RETENTION_FORMER_MEMBER_CONTACT_DAYS", 3 * 365))
RETENTION_LOGIN_ATTEMPT_DAYS = int(os.environ.get("REGISTRY_RETENTION_LOGIN_ATTEMPT_DAYS", 90))

CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "audit-apply-retention": {"task": "members.audit.tasks.apply_retention", "schedule": 24 * 3600.0},
    "audit-sweep-outbox": {"task": "members.audit.tasks.sweep_outbox", "schedule": 60.0},
}
# Stuck bulletins (a lost worker, message or broker) are found from the database and sent again.
CELERY_BEAT_SCHEDULE["publications-sweep-stuck"] = {
    "task": "members.publications.tasks.publication_sweep_stuck_task", "schedule": 300.0}
# Tasks queued through members.audit.outbox that are still unsent after this long are sent again.
OUTBOX_RESEND_AFTER_SECONDS = int(os.environ.get("REGISTRY_OUTBOX_RESEND_AFTER_SECONDS", 60))
# A dead broker must not hang a request: fail fast, the outbox sends the task later.
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECTION_TIMEOUT", 2))
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                                    "interval_max": 0.2}
if CELERY_BROKER_URL.startswith(("redis", "rediss")):
    # An unacknowledged task of a killed worker goes back to the queue after this many seconds; it must
    # be longer than the longest task (soft limit 300 s).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(os.environ.get("REGISTRY_BROKER_VISIBILITY_TIMEOUT", 3600)),
        "unacked_restore_interval": float(os.environ.get("REGISTRY_BROKER_RESTORE_INTERVAL", 10)),
    }
if TESTING:
    # Tests log in often (lockout tests fail on purpose): a fast hasher keeps the suite quick.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
