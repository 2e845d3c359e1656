"""Styra settings: one file, everything that varies comes from the environment.

DATABASE_URL selects the database (SQLite file under var/ when unset; postgres://… for
PostgreSQL). Secrets come from the environment or from a file named by VAR_FILE.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    """A string from NAME, or from the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Miljövariabeln {name} måste sättas.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on", "ja"):
        return True
    if value.lower() in ("0", "false", "no", "off", "nej"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r} är inget sant/falskt-värde.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} är inget heltal.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
VAR_DIR = Path(env_str("STYRA_VAR_DIR", str(BASE_DIR / "var")))


def _local_secret_key() -> str:
    """A random key made once per installation under var/ when SECRET_KEY is not given."""
    import secrets

    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = env_str("SECRET_KEY", "") or _local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'styra.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", "") or DEFAULT_DATABASE_URL  # empty = unset
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        # read_uncommitted matters only in SQLite's shared-cache mode, i.e. the tests'
        # in-memory database, where the live server, the test and a task worker each have a
        # connection: readers then never fail at once on another connection's write lock.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-131072; "
            "PRAGMA temp_store=MEMORY; PRAGMA read_uncommitted=1;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "styra.org",
    "styra.documents",
    "styra.calendar",
    "styra.ledger",
    "styra.finance",
    "styra.goals",
    "styra.reports",
    "styra.meetings",
    "styra.control",
    "styra.forms",
    "styra.api",
    "styra.checker",
    "styra.planning",
    "styra.web",
    "styra.tasks",
    "styra.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response, error pages too (CONTENT_SECURITY_POLICY).
    "csp.middleware.CSPMiddleware",
    # Static files served by the app itself (gzip, caching headers) under `styra serve`.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # `?format=xlsx` on a page: its tables as an Excel file (styra/web/xlsx.py).
    "styra.web.xlsx.XlsxExportMiddleware",
    # Login throttling: answers a locked-out login with registration/locked.html (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "styra.urls"
WSGI_APPLICATION = "styra.wsgi.application"

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
                "styra.web.context.navigation",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Logins: django-axes counts wrong passwords per username and address (docs/install.md).
AUTHENTICATION_BACKENDS = [
    "styra.web.auth.ThrottledLogins",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("STYRA_LOGIN_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("STYRA_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
# Forms: the budget grid posts one field per unit and row (Stockholm's largest committee
# has about 900 units); Django's default of 1 000 fields refused it beyond ~70 units.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("STYRA_MAX_FORM_FIELDS", 100_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("STYRA_MAX_FORM_BYTES", 10 * 1024 * 1024)
# Optional single sign-on through OpenID Connect (styra.web.sso): on when a client id is
# given. The provider's endpoints are in its discovery document
# (…/.well-known/openid-configuration). Roles are still granted in Styra.
OIDC_RP_CLIENT_ID = env_str("STYRA_OIDC_CLIENT_ID", "")
if OIDC_RP_CLIENT_ID:
    OIDC_RP_CLIENT_SECRET = env_str("STYRA_OIDC_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("STYRA_OIDC_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("STYRA_OIDC_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("STYRA_OIDC_USERINFO_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("STYRA_OIDC_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env_str("STYRA_OIDC_SIGN_ALGO", "RS256")
    AUTHENTICATION_BACKENDS.append("styra.web.sso.SSOBackend")
OIDC_RP_SCOPES = "openid email profile"
OIDC_CREATE_USER = False
LOGIN_REDIRECT_URL_FAILURE = "/logga-in/?sso=fel"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
try:  # WhiteNoise warns on every start when the folder is missing (before collectstatic)
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError:
    pass
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # `styra serve` collects the files into STATIC_ROOT with gzip copies; WhiteNoise serves
    # them. (No manifest: a page never fails for a static file missing from one.)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# `styra serve` (gunicorn): address, processes, threads per process, request timeout (s).
STYRA_BIND = env_str("STYRA_BIND", "127.0.0.1:8000")
STYRA_WEB_WORKERS = env_int("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1) + 1, 9))
STYRA_WEB_THREADS = env_int("STYRA_WEB_THREADS", 4)
STYRA_WEB_TIMEOUT = env_int("STYRA_WEB_TIMEOUT", 60)

# Background work (styra.tasks, docs/background-tasks.md): the queue is a table in the
# database; `styra worker` processes (any number, on any hosts sharing the database and
# MEDIA_ROOT) run it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running job not heard of for this long is shown as interrupted (its worker died).
STYRA_TASK_STALE_SECONDS = env_int("STYRA_TASK_STALE_SECONDS", 60)
# Finished jobs and their files are deleted after this many days (by `styra worker`).
STYRA_TASK_KEEP_DAYS = env_int("STYRA_TASK_KEEP_DAYS", 30)

# The report checker's limits (styra.checker.limits; `styra check` reads the same variables).
from styra.checker.limits import DEFAULT as _CHECK  # noqa: E402  (pure Python, no Django)

STYRA_CHECK_MAX_BYTES = env_int("STYRA_CHECK_MAX_BYTES", _CHECK.max_bytes)
STYRA_CHECK_MAX_LINES = env_int("STYRA_CHECK_MAX_LINES", _CHECK.max_lines)
STYRA_CHECK_MAX_LINE_CHARS = env_int("STYRA_CHECK_MAX_LINE_CHARS", _CHECK.max_line_chars)
STYRA_CHECK_MAX_PAGES = env_int("STYRA_CHECK_MAX_PAGES", _CHECK.max_pages)
STYRA_CHECK_MAX_UNPACKED = env_int("STYRA_CHECK_MAX_UNPACKED", _CHECK.max_unpacked)
STYRA_CHECK_SECONDS = env_int("STYRA_CHECK_SECONDS", _CHECK.seconds)
STYRA_CHECK_MEMORY_MB = env_int("STYRA_CHECK_MEMORY_MB", _CHECK.memory_mb)

# Ledger uploads (styra.ledger.uploads): the largest file the web accepts, how long a
# checked file waits for "Spara", and the limits on Excel files (rows, unpacked size).
STYRA_LEDGER_UPLOAD_MAX_MB = env_int("STYRA_LEDGER_UPLOAD_MAX_MB", 512)
STYRA_LEDGER_PREVIEW_HOURS = env_int("STYRA_LEDGER_PREVIEW_HOURS", 24)
STYRA_XLSX_MAX_ROWS = env_int("STYRA_XLSX_MAX_ROWS", 1_048_576)
STYRA_XLSX_MAX_UNPACKED_MB = env_int("STYRA_XLSX_MAX_UNPACKED_MB", 400)

# Security headers (docs/install.md, "Säkerhet"). STYRA_ENV=production turns on HSTS and
# cookies only over HTTPS; each can still be set on its own.
STYRA_ENV = env_str("STYRA_ENV", "development")
if STYRA_ENV not in ("development", "production"):
    raise ImproperlyConfigured(f"STYRA_ENV={STYRA_ENV!r}: ska vara development eller production.")
PRODUCTION = STYRA_ENV == "production"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION or not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Behind a TLS proxy: the origins forms are posted from (https://styra.kommun.se) and the
# header by which the proxy says the request came over HTTPS ("X-Forwarded-Proto").
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
_proxy_header = env_str("SECURE_PROXY_SSL_HEADER", "")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _proxy_header.upper().replace("-", "_"),
        "https",
    )

# A strict Content-Security-Policy: scripts and styles only from Styra's own static files
# (no inline <script>, <style>, style="" or on…= handlers; htmx is configured by a meta
# tag). Stand-alone documents (report HTML, checker results) carry their own policy that
# allows exactly their embedded style sheet by hash (styra.web.csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# "Today" for the start pages' next steps (YYYY-MM-DD); empty = the real date. The demo
# serves with the demo's own date so that its 2020 meetings and deadlines are current.
STYRA_TODAY = env_str("STYRA_TODAY", "")

# Meetings (docs/meetings.md): notice days before a meeting, the delegation reporting
# deadline (day of the month after the decision month, hour), OParl paging and the public
# address used in OParl ids.
STYRA_NOTICE_DAYS = env_int("STYRA_NOTICE_DAYS", 7)
STYRA_DELEGATION_DEADLINE_DAY = env_int("STYRA_DELEGATION_DEADLINE_DAY", 2)
STYRA_DELEGATION_DEADLINE_HOUR = env_int("STYRA_DELEGATION_DEADLINE_HOUR", 12)
STYRA_OPARL_PAGE_SIZE = env_int("STYRA_OPARL_PAGE_SIZE", 20)
STYRA_PUBLIC_URL = env_str("STYRA_PUBLIC_URL", "http://127.0.0.1:8000")
# Diarienummer as the municipality writes them: 0 = AVUX/2020:37, 5 = AVUX/2020:00037.
# Input is accepted in either form and in the older "SN 2019:197".
STYRA_DIARIENUMMER_DIGITS = env_int("STYRA_DIARIENUMMER_DIGITS", 0)
# The largest document or attachment a secretary may upload to a case or a meeting (MB).
STYRA_UPLOAD_MAX_DOCUMENT_MB = env_int("STYRA_UPLOAD_MAX_DOCUMENT_MB", 50)
# State grants: a deadline is reminded of by e-mail this many days before it
# (`styra planning remind`, docs/planning.md).
STYRA_GRANT_REMINDER_DAYS = env_int("STYRA_GRANT_REMINDER_DAYS", 14)

# The municipality's own Word template for every Word file Styra writes (reports, papers,
# kallelse, protocol; styra.documents); empty = the shipped styra/documents/word/kommun.docx.
STYRA_DOCX_TEMPLATE = env_str("STYRA_DOCX_TEMPLATE", "")

# Mail (kallelse, protocol extracts, reminders): Django's mail framework over SMTP.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "styra@localhost")
# Kolada's API (styra kolada fetch); the tests point it at a local server.
KOLADA_BASE_URL = env_str("STYRA_KOLADA_URL", "")

# Investment project number series per kind ("annual=3,multi_year=6": annual projects are
# numbered 3xxx, multi-year 6xxx); empty = any number.
STYRA_PROJECT_SERIES = dict(
    item.split("=", 1) for item in env_list("STYRA_PROJECT_SERIES", ["annual=3", "multi_year=6"])
)
