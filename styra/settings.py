"""Styra settings: one file, everything that varies comes from the environment.

DATABASE_URL selects the database (SQLite file under var/ when unset; postgres://… for
PostgreSQL). Secrets come from the environment or from a file named by VAR_FILE.
"""

from __future__ import annotations

import os
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
DATABASE_URL = env_str("DATABASE_URL", DEFAULT_DATABASE_URL)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-131072; "
            "PRAGMA temp_store=MEMORY;"
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
    "styra.org",
    "styra.ledger",
    "styra.finance",
    "styra.goals",
    "styra.reports",
    "styra.meetings",
    "styra.checker",
    "styra.web",
    "styra.demo",
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
    "simple_history.middleware.HistoryRequestMiddleware",
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

# Production-safe defaults whenever DEBUG is off.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)

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
# address used in OParl ids, and the municipality's own Word template for papers.
STYRA_NOTICE_DAYS = env_int("STYRA_NOTICE_DAYS", 7)
STYRA_DELEGATION_DEADLINE_DAY = env_int("STYRA_DELEGATION_DEADLINE_DAY", 2)
STYRA_DELEGATION_DEADLINE_HOUR = env_int("STYRA_DELEGATION_DEADLINE_HOUR", 12)
STYRA_OPARL_PAGE_SIZE = env_int("STYRA_OPARL_PAGE_SIZE", 20)
STYRA_PUBLIC_URL = env_str("STYRA_PUBLIC_URL", "http://127.0.0.1:8000")
STYRA_DOCX_TEMPLATE = env_str("STYRA_DOCX_TEMPLATE", "")
# Kolada's API (styra kolada fetch); the tests point it at a local server.
KOLADA_BASE_URL = env_str("STYRA_KOLADA_URL", "")

# Investment project number series per kind ("annual=3,multi_year=6": annual projects are
# numbered 3xxx, multi-year 6xxx); empty = any number.
STYRA_PROJECT_SERIES = dict(
    item.split("=", 1) for item in env_list("STYRA_PROJECT_SERIES", ["annual=3", "multi_year=6"])
)
