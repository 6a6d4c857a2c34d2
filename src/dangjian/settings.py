"""Settings, read from the environment (see README: DATABASE_URL, SECRET_KEY, DEBUG,
REDIS_URL, DANGJIAN_FIELD_KEY, DANGJIAN_DATA_DIR; docs/deployment.md: DATABASE_REPLICA_URL,
DATABASE_POOLER)."""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("DANGJIAN_DATA_DIR", Path.cwd() / "var"))
# SQLite and huey open their files here at start-up: a fresh checkout has no var/ yet.
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("DANGJIAN_TESTING", False)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET if (DEBUG or TESTING) else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "huey.contrib.djhuey",
    "ninja",  # /api/v1/docs from the project's static files, not a CDN
    "dangjian.core",
    "dangjian.accounts",
    "dangjian.orgs",
    "dangjian.people",
    "dangjian.development",
    "dangjian.meetings",
    "dangjian.dues",
    "dangjian.tasks",
    "dangjian.decisions",
    "dangjian.notices",
    "dangjian.service",
    "dangjian.surveys",
    "dangjian.care",
    "dangjian.honors",
    "dangjian.brands",
    "dangjian.points",
    "dangjian.learning",
    "dangjian.roster",
    "dangjian.compliance",
    "dangjian.dashboard",
    "dangjian.assessment",
    "dangjian.home",
    "dangjian.demo",
    "dangjian.gendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dangjian.core.dbrouter.LagTolerantReads",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The request is the source (address, user) of every audit entry written during it.
    "dangjian.core.audit_source.AuditSourceMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dangjian.accounts.middleware.SecondFactorRequiredMiddleware",
    "dangjian.accounts.middleware.PasswordChangeRequiredMiddleware",
    # Must be last: it turns failed logins into lock-outs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dangjian.urls"
WSGI_APPLICATION = "dangjian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangjian.accounts.context_processors.navigation",
            ],
        },
    }
]

# SQLite by default (WAL mode, zero set-up); PostgreSQL when DATABASE_URL says so.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'dangjian.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    # Tests use a file, not shared-cache memory, so that concurrent connections wait on
    # the busy timeout as in production instead of failing with "table is locked".
    # One file per process, so concurrent test sessions never share a database; a random
    # part too, so a reused process id never meets a dead run's -wal file.
    DATABASES["default"]["TEST"] = {
        "NAME": str(
            Path(tempfile.gettempdir())
            / f"dangjian-test-{os.getpid()}-{os.urandom(4).hex()}.sqlite3"
        )
    }

# PgBouncer in transaction mode (DATABASE_POOLER=pgbouncer; docs/deployment.md): a server
# connection serves one transaction, then another client. Django's server-side cursors
# (`.iterator()`: WITH HOLD cursors that outlive their transaction) and psycopg's
# prepared statements (kept per server connection) cannot follow the client, so both are
# off. The code keeps no other session state across transactions: no advisory locks,
# LISTEN, temporary tables or session-level SET (its SETs are transaction-level).
DATABASE_POOLER = os.environ.get("DATABASE_POOLER", "").strip().lower()
if DATABASE_POOLER not in ("", "pgbouncer"):
    raise ImproperlyConfigured("DATABASE_POOLER must be empty or 'pgbouncer'")


def _pooled(database: dict) -> dict:
    if DATABASE_POOLER == "pgbouncer" and database["ENGINE"].endswith("postgresql"):
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
        database.setdefault("OPTIONS", {})["prepare_threshold"] = None
    return database


_pooled(DATABASES["default"])

# A streaming replica (PostgreSQL's own replication) for the reads of lag-tolerant pages
# (core.dbrouter); migrations and every write stay on the primary. None: nothing changes.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _pooled(dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60))
    DATABASE_ROUTERS = ["dangjian.core.dbrouter.ReplicaRouter"]  # dbrouter.ROUTER
elif TESTING:
    # The router's tests install it over this alias: the test database under another name.
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
# Pages whose reads may come from the replica (URL names): read-only statistics.
DANGJIAN_LAG_TOLERANT_VIEWS = ["dashboard:home", "api:stats"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "dangjian.accounts.backends.AddressThrottle",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# 等保 2.0: at least 8 characters from at least 3 character classes, not one of the last 5.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "dangjian.accounts.validators.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "dangjian.accounts.validators.CharacterClassValidator"},
    {"NAME": "dangjian.accounts.validators.PasswordHistoryValidator"},
]
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
PASSWORD_HISTORY_COUNT = 5

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home:index"  # each role to its own home
LOGOUT_REDIRECT_URL = "login"

# Idle logout after 30 minutes: the expiry is pushed forward on every request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lock-out: an account after 5 failures for 30 minutes, from wherever they came (the
# Party office unlocks with `dangjian unlock`); an address after 20 failures across user
# names (accounts.backends.AddressThrottle). The address is the client's, read from the
# X-Forwarded-For that the proxies named in DANGJIAN_TRUSTED_PROXIES add.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_CLIENT_IP_CALLABLE = "dangjian.core.pages.client_ip"
DANGJIAN_LOGIN_FAILURES_PER_ADDRESS = int(
    os.environ.get("DANGJIAN_LOGIN_FAILURES_PER_ADDRESS", "20")
)
# axes warns when addresses are not among its lock-out parameters: they are throttled by
# accounts.backends.AddressThrottle instead, with a limit of their own.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
DANGJIAN_TRUSTED_PROXIES = [
    ip.strip() for ip in os.environ.get("DANGJIAN_TRUSTED_PROXIES", "").split(",") if ip.strip()
]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# TOTP second factor (django-otp): the issuer shown in the user's authenticator app.
OTP_TOTP_ISSUER = os.environ.get("DANGJIAN_TOTP_ISSUER", "智慧党建")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded files hold personal data: readable by the app's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# `dangjian backup` writes one folder per backup here (docs/backup.md).
DANGJIAN_BACKUP_DIR = Path(os.environ.get("DANGJIAN_BACKUP_DIR") or DATA_DIR / "backups")
# A hospital may replace the development forms (.docx) with its own: see README.
DANGJIAN_FORM_TEMPLATES_DIR = os.environ.get("DANGJIAN_FORM_TEMPLATES_DIR") or None
# API tokens: how long one lives, and how many one user may hold at once (the oldest goes).
DANGJIAN_TOKEN_LIFETIME_DAYS = int(os.environ.get("DANGJIAN_TOKEN_LIFETIME_DAYS", "30"))
DANGJIAN_TOKENS_PER_USER = int(os.environ.get("DANGJIAN_TOKENS_PER_USER", "5"))
# /api/v1/docs and /api/v1/openapi.json only for those logged in (or holding a token).
DANGJIAN_API_DOCS_LOGIN = env_bool("DANGJIAN_API_DOCS_LOGIN", True)
# Meeting check-in opens this many minutes before the start (RULES.md §2, our setting).
DANGJIAN_CHECK_IN_OPENS_MINUTES = int(os.environ.get("DANGJIAN_CHECK_IN_OPENS_MINUTES", "30"))
# The public notice (公示) of development candidates lasts at least this many working days.
DANGJIAN_PUBLIC_NOTICE_DAYS = int(os.environ.get("DANGJIAN_PUBLIC_NOTICE_DAYS", "5"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# Field encryption (SM4-GCM) for ID-card and phone numbers. The key lives outside the
# database: 32 hex digits in DANGJIAN_FIELD_KEY. Development and tests derive one.
FIELD_KEY = os.environ.get("DANGJIAN_FIELD_KEY", "")
if not FIELD_KEY and not (DEBUG or TESTING):
    raise ImproperlyConfigured("DANGJIAN_FIELD_KEY (32 hex digits) must be set when DEBUG is off")

# The audit log's keyed hash chain and its signed checkpoints (core.audit): a second key
# outside the database, 64 hex digits in DANGJIAN_AUDIT_KEY. Development and tests derive one.
AUDIT_KEY = os.environ.get("DANGJIAN_AUDIT_KEY", "")
if not AUDIT_KEY and not (DEBUG or TESTING):
    raise ImproperlyConfigured("DANGJIAN_AUDIT_KEY (64 hex digits) must be set when DEBUG is off")
# The daily signed checkpoints of the chain's head, kept outside the database.
AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("DANGJIAN_AUDIT_CHECKPOINT_DIR", DATA_DIR / "audit-checkpoints")
)

# Background jobs: huey on SQLite by default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "dangjian",
        "url": REDIS_URL,
        "immediate": TESTING,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "dangjian",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": TESTING,
    }

# The cached dashboard figures (core.datacache): shared by every worker through Redis when
# it is configured, else each process keeps its own (correct either way: keys carry the
# database's data version).
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:  # room for every hospital's parts of a province's figures (about 10 families × 1,000
    # hospitals × a few periods) and every branch's figures; Django's default keeps 300.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# Sessions: in the database by default; with Redis, in Redis, shared by every app server.
# Not `cached_db`: sessions are saved on every request (the idle logout above), so it would
# write the database on every request as well. A session lost with Redis only means
# logging in again (docs/deployment.md: Redis with append-only persistence).
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

NINJA_PAGINATION_PER_PAGE = 50

# Production: HTTPS only.
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Browser hardening (等保 2.0): scripts, styles and images from our own static files only
# (no inline script or style attribute anywhere: templates carry data attributes that
# core/static/js/dangjian.js acts on), no framing, forms post to ourselves; the browser
# features no page uses are switched off (meeting check-in uses the phone's own camera
# app to read the QR code, never the page).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Features Chromium recognises (an unknown one, such as bluetooth, logs a console warning
# on every page).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera",
        "display-capture", "geolocation", "gyroscope", "hid", "idle-detection",
        "magnetometer", "microphone", "midi", "payment", "screen-wake-lock", "serial", "usb",
    )
}  # fmt: skip

# Notices beyond the inbox (notices/delivery.py). E-mail through Django's SMTP backend:
# EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS / _SSL and
# DEFAULT_FROM_EMAIL from the environment; in DEBUG without EMAIL_HOST, mail is printed.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dangjian@localhost")
if DEBUG and not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DANGJIAN_SITE_NAME = os.environ.get("DANGJIAN_SITE_NAME", "智慧党建")
# The address members open links in e-mails and chats with (https://dangjian.example.cn).
DANGJIAN_SITE_URL = os.environ.get("DANGJIAN_SITE_URL", "")
# Group robots may only call these hosts (no requests into the hospital's own network).
DANGJIAN_WEBHOOK_HOSTS = [
    host.strip().lower()
    for host in os.environ.get(
        "DANGJIAN_WEBHOOK_HOSTS", "qyapi.weixin.qq.com,oapi.dingtalk.com"
    ).split(",")
    if host.strip()
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Each audit checkpoint is also logged: route this logger to syslog for a copy off the host.
    "loggers": {"dangjian.audit.checkpoint": {"level": "INFO"}},
}
