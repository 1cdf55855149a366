"""Settings for thidua, configured from the environment.

Environment variables (all optional):
- ``DATABASE_URL``: e.g. ``postgres://postgres@127.0.0.1:5432/thidua``; defaults to the embedded
  SQLite file ``var/thidua.sqlite3``.
- ``THIDUA_DEBUG``: ``1`` turns on Django's debug mode (development only).
- ``THIDUA_SECRET_KEY``: the secret key; without it one is generated once into ``var/secret_key``.
- ``THIDUA_ALLOWED_HOSTS``: comma-separated host names.
- ``THIDUA_EMAIL_BACKEND``, ``THIDUA_DEFAULT_FROM_EMAIL``: outgoing mail.
- ``THIDUA_TASKS_BACKEND``: where background work (batch certificates) runs; defaults to the
  database queue that ``thidua worker`` serves. ``django_tasks.backends.immediate.ImmediateBackend``
  runs it inside the request instead, for a single-process install without a worker.
- ``THIDUA_HTTPS``: ``1`` behind TLS: secure cookies, redirect to HTTPS, HSTS for a year with
  subdomains (``THIDUA_HSTS_SECONDS``).
- ``THIDUA_REQUEST_TIMEOUT``, ``THIDUA_DB_STATEMENT_TIMEOUT``, ``THIDUA_DB_LOCK_TIMEOUT``,
  ``THIDUA_DB_BUSY_TIMEOUT`` (seconds): see "Timeouts" below and docs/operations.md.
- ``THIDUA_WORKER_HEARTBEAT``, ``THIDUA_WORKER_LEASE`` (seconds): see ``core.recovery``.
- ``THIDUA_S3_BUCKET`` (and ``THIDUA_S3_ENDPOINT_URL``, ``THIDUA_S3_REGION``,
  ``THIDUA_S3_ACCESS_KEY_ID``, ``THIDUA_S3_SECRET_ACCESS_KEY``, ``THIDUA_S3_PREFIX``): store
  files in S3-compatible object storage instead of ``var/media``, for several app servers.
- ``THIDUA_CLIENT_IP_HEADER``: behind a reverse proxy, the header that carries the visitor's
  address (e.g. ``HTTP_X_FORWARDED_FOR``; the proxy must overwrite or append to it). Every
  lock-out and throttle (sign-in, password reset, objections, verification) keys on it; empty
  means ``REMOTE_ADDR`` and the header is ignored whatever a visitor sends.
- ``THIDUA_TRUSTED_PROXY_COUNT``: how many proxies of ours append to that header (default 1):
  the address that many entries from the right is the visitor's (``thidua.core.clients``).
- ``THIDUA_SIGNIN_CLIENT_FAILURES``: failed sign-ins from one address, whatever the user names,
  before that address is locked out for the cool-off (default 30; password spraying).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("THIDUA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("THIDUA_SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = _env_flag("THIDUA_DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("THIDUA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "thidua.core",
    "thidua.orgs",
    "thidua.rulesets",
    "thidua.movements",
    "thidua.exemplars",
    "thidua.nominations",
    "thidua.reviews",
    "thidua.documents",
    "thidua.decisions",
    "thidua.reports",
    "thidua.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files keep their caching; every other response passes here.
    "thidua.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "thidua.core.middleware.VietnameseFirstLocaleMiddleware",
    # Authentication only sets a lazy user; the guard refuses control characters in the path,
    # the query, cookies, headers and form fields before anything reads them (PostgreSQL
    # refuses NUL: it would be a 500), and its 400 page still shows who is signed in.
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "thidua.core.middleware.ControlCharacterGuardMiddleware",
    # Which second-factor device verified this session; then the gate that lets a user who
    # owes a code (or an enrolment) reach only the verification, enrolment and sign-out pages.
    "django_otp.middleware.OTPMiddleware",
    "thidua.orgs.middleware.SecondFactorMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must be last: it answers a locked-out request before any view runs.
    "axes.middleware.AxesMiddleware",
]

# Public pages that show no person, which a browser or proxy may keep when an anonymous visitor
# asks; every other response is sent with Cache-Control: no-store (core.middleware).
THIDUA_CACHEABLE_PUBLIC_VIEWS = ["public-home", "movements:list", "movements:detail",
                                 "javascript-catalog"]

ROOT_URLCONF = "thidua.urls"
WSGI_APPLICATION = "thidua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "thidua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thidua.orgs.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'thidua.sqlite3'}",
        conn_max_age=60,
    )
}
# Timeouts, in seconds: every wait for the database ends well before the web server gives up
# on the request (THIDUA_REQUEST_TIMEOUT, gunicorn's --timeout and nginx's proxy_read_timeout
# in deploy/), so a locked table answers with the product's own "busy, try again" page (503,
# core.views.server_error) and a log line, never a killed worker and a bare gateway error.
THIDUA_REQUEST_TIMEOUT = int(os.environ.get("THIDUA_REQUEST_TIMEOUT", "60"))
THIDUA_DB_STATEMENT_TIMEOUT = int(os.environ.get("THIDUA_DB_STATEMENT_TIMEOUT", "30"))
THIDUA_DB_LOCK_TIMEOUT = int(os.environ.get("THIDUA_DB_LOCK_TIMEOUT", "10"))
THIDUA_DB_BUSY_TIMEOUT = int(os.environ.get("THIDUA_DB_BUSY_TIMEOUT", "20"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Per connection; 0 turns one off (e.g. THIDUA_DB_STATEMENT_TIMEOUT=0 for a long migration).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={THIDUA_DB_STATEMENT_TIMEOUT}s "
        f"-c lock_timeout={THIDUA_DB_LOCK_TIMEOUT}s "
        # JIT compiled the 5,000-nominee page's COUNT on every request (70–100 ms of a 150 ms
        # query, bench/load.py): the web's short queries never repay it.
        "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a test's live server share the file.
    # Write transactions begin IMMEDIATE: they take the write lock when they start, so two
    # people acting at once queue behind the busy timeout instead of one failing half-way
    # with "database is locked" when its read turns into a write.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": THIDUA_DB_BUSY_TIMEOUT,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "public-home"

# Lock-out (django-axes): five failures for one user name from one address lock that pair for
# 15 minutes. Locking by the pair, not the name alone, stops a stranger locking an official out.
# Password spraying (one password tried on many names) is held by a budget per address across
# all names (THIDUA_SIGNIN_CLIENT_FAILURES), counted in axes' own table so that every app server
# sees it (orgs.signin.SignInHandler). The address is read by core.clients (trusted proxies only).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "thidua.orgs.signin.SignInHandler"
AXES_CLIENT_IP_CALLABLE = "thidua.orgs.signin.client_ip"
THIDUA_SIGNIN_CLIENT_FAILURES = int(os.environ.get("THIDUA_SIGNIN_CLIENT_FAILURES", "30"))
# Second factor (django-otp, TOTP with recovery codes): who must use it is orgs.mfa.required.
OTP_TOTP_ISSUER = "thidua"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "thidua" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("THIDUA_S3_BUCKET"):
    # Several app servers and workers share one S3-compatible bucket (MinIO, Ceph, a cloud's
    # object storage) for uploads and generated files; files are always served through the
    # product's views (access checks), never by the bucket's own addresses.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["THIDUA_S3_BUCKET"],
            "endpoint_url": os.environ.get("THIDUA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("THIDUA_S3_REGION") or None,
            "access_key": os.environ.get("THIDUA_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("THIDUA_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("THIDUA_S3_PREFIX", ""),
            "addressing_style": os.environ.get("THIDUA_S3_ADDRESSING_STYLE", "path"),
            # Like the file system: a name already taken gets a new one, nothing is overwritten.
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
# Serve straight from the finders so `make run` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "thidua.core.uploadhandlers.SizeLimitedUploadHandler",
]

# Background work: a queue table in the same database (SQLite or PostgreSQL), so nothing but
# `thidua worker` has to run beside the web server.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("THIDUA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# `thidua worker` reports itself every THIDUA_WORKER_HEARTBEAT seconds; the running tasks of a
# worker silent for THIDUA_WORKER_LEASE seconds are queued again (core.recovery).
THIDUA_WORKER_HEARTBEAT = float(os.environ.get("THIDUA_WORKER_HEARTBEAT", "10"))
THIDUA_WORKER_LEASE = float(os.environ.get("THIDUA_WORKER_LEASE", "30"))

EMAIL_BACKEND = os.environ.get(
    "THIDUA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("THIDUA_DEFAULT_FROM_EMAIL", "thidua@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
THIDUA_CLIENT_IP_HEADER = os.environ.get("THIDUA_CLIENT_IP_HEADER", "")
THIDUA_TRUSTED_PROXY_COUNT = int(os.environ.get("THIDUA_TRUSTED_PROXY_COUNT", "1"))
if _env_flag("THIDUA_HTTPS"):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # A year, subdomains included (deploy/README.md): browsers then never try plain HTTP.
    SECURE_HSTS_SECONDS = int(os.environ.get("THIDUA_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The monitoring probe asks the app server directly, over plain HTTP on the loopback.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("THIDUA_LOG_LEVEL", "WARNING")},
    # pypdf warns at every flaw of a damaged or hostile upload; the gate's refusal says enough.
    "loggers": {"pypdf": {"level": "ERROR"}},
}
