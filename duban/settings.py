"""The one settings module; every deployment difference comes from DUBAN_* variables.

Offices install duban on a single intranet machine and configure it through the environment
(documented in README.md and docs/configuration.md), never by editing this file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from duban.env import (
    env_bool,
    env_choice,
    env_date,
    env_int,
    env_list,
    env_str,
    load_or_create_secret,
)

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent

DATA_DIR = Path(env_str("DUBAN_DATA_DIR", str(REPO_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str("DUBAN_SECRET_KEY", "") or load_or_create_secret(DATA_DIR / "secret_key")
DEBUG = env_bool("DUBAN_DEBUG", False)
ALLOWED_HOSTS = env_list("DUBAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Our apps come first so that their templates (registration/login.html) win.
    "duban.core",
    "duban.accounts",
    "duban.intake",
    "duban.directory",
    "duban.ledger",
    "duban.audit",
    "duban.reporting",
    "duban.lights",
    "duban.notify",
    "duban.supervision",
    "duban.inspections",
    "duban.assessment",
    "duban.dashboards",
    "duban.demo",
    # Background sending of notifications (duban.notify): the task framework and its database
    # backend, whose queue lives in duban's own database.
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "duban.accounts.middleware.IdleTimeoutMiddleware",
    # Attributes every change a request makes to its user and address (the audit trail).
    "duban.audit.context.AuditContextMiddleware",
    # Every view needs a signed-in user unless it is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "duban.urls"
# Django's own admin site (/admin/) bypasses duban's roles and 三权分立: off unless asked for,
# and then only for maintenance by the server's operator.
DJANGO_ADMIN = env_bool("DUBAN_DJANGO_ADMIN", False)
WSGI_APPLICATION = "duban.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "duban.reporting.context.todo_counts",
                "duban.notify.context.notifications",
                "duban.core.context.demo_clock",
            ],
        },
    },
]

DB_ENGINE = env_choice("DUBAN_DB_ENGINE", "sqlite", ("sqlite", "postgresql"))
DATABASES: dict[str, dict[str, Any]]
if DB_ENGINE == "postgresql":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": env_str("DUBAN_DB_NAME", "duban"),
            "USER": env_str("DUBAN_DB_USER", "duban"),
            "PASSWORD": env_str("DUBAN_DB_PASSWORD", ""),
            "HOST": env_str("DUBAN_DB_HOST", ""),
            "PORT": env_str("DUBAN_DB_PORT", ""),
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "duban.sqlite3",
            # WAL lets readers proceed while one writer commits; IMMEDIATE takes the write
            # lock at BEGIN so concurrent writers wait (busy timeout) instead of failing.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            },
            # A file, not the in-memory default, so tests run with the same journal mode.
            # One per process, so that two test runs in one tree never share a file.
            "TEST": {"NAME": DATA_DIR / f"test_duban_{os.getpid()}.sqlite3"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's rule with its message in duban's catalogue (duban/accounts/validators.py).
    {"NAME": "duban.accounts.validators.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end when the browser closes and after a stretch of inactivity (等保 asks for an
# idle timeout); IdleTimeoutMiddleware enforces the latter, SESSION_COOKIE_AGE backs it up.
SESSION_IDLE_MINUTES = env_int("DUBAN_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Many intranet installations are plain HTTP; behind HTTPS, mark the cookies Secure.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DUBAN_HTTPS", False)
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
# A training or demonstration clock: the date duban takes for today (duban.core.clock). Unset in
# production; `duban check` warns when it is set.
DUBAN_TODAY = env_date("DUBAN_TODAY")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_ROOT.mkdir(exist_ok=True)

# Uploaded notices and evidence files; forms check against this limit.
DUBAN_MAX_UPLOAD_BYTES = env_int("DUBAN_MAX_UPLOAD_MB", 20, minimum=1) * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Notifications and reminders (duban.notify, docs/notify.md). Email goes through this SMTP server.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("DUBAN_SMTP_HOST", "localhost")
EMAIL_PORT = env_int("DUBAN_SMTP_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("DUBAN_SMTP_USER", "")
EMAIL_HOST_PASSWORD = env_str("DUBAN_SMTP_PASSWORD", "")
DEFAULT_FROM_EMAIL = SERVER_EMAIL = env_str("DUBAN_SMTP_FROM", "duban@localhost")
EMAIL_USE_TLS = env_bool("DUBAN_SMTP_TLS", False)
# Remind of reports and milestones this many days before they are due.
NOTIFY_REMIND_DAYS = env_int("DUBAN_REMIND_DAYS", 3, minimum=0)
# A failed delivery is retried after RETRY_SECONDS, then twice as long each time (MAX_ATTEMPTS).
NOTIFY_MAX_ATTEMPTS = env_int("DUBAN_NOTIFY_MAX_ATTEMPTS", 5, minimum=1)
NOTIFY_RETRY_SECONDS = env_int("DUBAN_NOTIFY_RETRY_SECONDS", 60, minimum=1)
NOTIFY_TIMEOUT_SECONDS = env_int("DUBAN_NOTIFY_TIMEOUT_SECONDS", 10, minimum=1)
# The address users reach duban at (http://duban.example.gov.cn); links in emails and robot
# messages are absolute when it is set, paths otherwise.
NOTIFY_SITE_URL = env_str("DUBAN_SITE_URL", "")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# A server error (the 500 page says it "has been recorded") is written with its traceback to the
# server's standard error, where `duban serve`, systemd or the WSGI server keeps it. Django's
# default logging writes it only when DEBUG is on.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False}},
}
