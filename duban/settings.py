"""The one settings module; every deployment difference comes from DUBAN_* variables.

Offices install duban on a single intranet machine and configure it through the environment
(documented in README.md and docs/configuration.md), never by editing this file.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
from contextlib import suppress
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from duban.core.server import make_private
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

# Everything the server writes is private to the account it runs as (等保: the database, the
# uploads, the secret key and the logs are nobody else's to read): files 0600 and folders 0700
# from here on (the umask), and what an earlier start left open is closed (duban/core/server.py).
os.umask(0o077)
DATA_DIR = Path(env_str("DUBAN_DATA_DIR", str(REPO_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str("DUBAN_SECRET_KEY", "") or load_or_create_secret(DATA_DIR / "secret_key")
# The key that signs the audit trail's archives (`duban audit export`, docs/audit.md); unset,
# the data directory's audit_key file (made on first use, mode 0600).
DUBAN_AUDIT_KEY = env_str("DUBAN_AUDIT_KEY", "")
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
    # The REST API (/api/v1/, docs/api.md), above every app whose data it serves.
    "duban.api",
    "duban.demo",
    # Background sending of notifications (duban.notify): the task framework and its database
    # backend, whose queue lives in duban's own database.
    "django_tasks",
    "django_tasks_db",
    # Two-factor sign-in (duban/accounts/twofactor): TOTP devices and static recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.admin",
    "django.contrib.auth",
    # Sign-in lockout after repeated failures (duban/accounts/lockout.py).
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First, so that every log line of a request names it (duban/core/logs.py).
    "duban.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (STORAGES below): answered here, before sessions and sign-in, compressed and
    # cached by their hashed names; the security headers above still apply.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The Content-Security-Policy header (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "duban.accounts.middleware.IdleTimeoutMiddleware",
    # What a signed-in session still owes: a second factor, a new password (accounts/signin.py).
    "duban.accounts.signin.SignInGateMiddleware",
    # Attributes every change a request makes to its user and address (the audit trail).
    "duban.audit.context.AuditContextMiddleware",
    # Every 403 answer is an event of the audit trail (access refused, with its path).
    "duban.audit.middleware.DeniedMiddleware",
    # Every view needs a signed-in user unless it is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a locked-out sign-in into duban's Chinese lockout page (duban/accounts/lockout.py).
    "axes.middleware.AxesMiddleware",
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
            # No JIT compilation: duban's queries are short, but the planner's estimates for
            # the permission rule's subqueries pass jit_above_cost, and compiling took 20-60 ms
            # a query on a plan of 20,000 tasks for a query that runs in 2 (bench/scale.py).
            "OPTIONS": {"options": "-c jit=off"},
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

# The password policy (等保 身份鉴别, duban/accounts/validators.py and passwords.py): at least
# PASSWORD_MIN_LENGTH characters of three of the four kinds (upper, lower, digit, symbol), not
# containing the user name, not common; changed after PASSWORD_MAX_AGE_DAYS (0: never expires),
# none of the last PASSWORD_HISTORY passwords again.
PASSWORD_MIN_LENGTH = env_int("DUBAN_PASSWORD_MIN_LENGTH", 8, minimum=8)
PASSWORD_MAX_AGE_DAYS = env_int("DUBAN_PASSWORD_MAX_AGE_DAYS", 90, minimum=0)
PASSWORD_HISTORY = env_int("DUBAN_PASSWORD_HISTORY", 5, minimum=1)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's rule with its message in duban's catalogue (duban/accounts/validators.py).
    {
        "NAME": "duban.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "duban.accounts.validators.CharacterClassesValidator"},
    {"NAME": "duban.accounts.validators.UsernameValidator"},
    # Also keeps the history: Django calls its password_changed() whenever a password is saved.
    {"NAME": "duban.accounts.validators.PasswordHistoryValidator"},
]
# django-axes checks the lockout before the password; Django's own backend checks the password.
AUTHENTICATION_BACKENDS = [
    "duban.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in failures (等保 登录失败处理, duban/accounts/lockout.py): LOCKOUT_FAILURES failed
# sign-ins on one account, each less than LOCKOUT_MINUTES after the one before, lock that
# account for LOCKOUT_MINUTES; as many failures from one address (on any accounts) lock that
# address. The security administrator may unlock early (user management).
LOCKOUT_FAILURES = env_int("DUBAN_LOCKOUT_FAILURES", 5, minimum=1)
LOCKOUT_MINUTES = env_int("DUBAN_LOCKOUT_MINUTES", 15, minimum=1)
AXES_FAILURE_LIMIT = LOCKOUT_FAILURES
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Tries while locked do not push the opening time further: the page can say when it opens.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success does not wipe the address's count (which holds other accounts' failures too).
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "duban.audit.context.client_address"
AXES_LOCKOUT_CALLABLE = "duban.accounts.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in duban's audit trail
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end when the browser closes and after a stretch of inactivity (等保 asks for an
# idle timeout); IdleTimeoutMiddleware enforces the latter, SESSION_COOKIE_AGE backs it up.
SESSION_IDLE_MINUTES = env_int("DUBAN_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# A session ends SESSION_MAX_HOURS after its sign-in however active it is, and (SINGLE_SESSION)
# a new sign-in of the account ends its older session (duban/accounts/sessions.py).
SESSION_MAX_HOURS = env_int("DUBAN_SESSION_MAX_HOURS", 12, minimum=1)
SINGLE_SESSION = env_bool("DUBAN_SINGLE_SESSION", True)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Many intranet installations are plain HTTP; with DUBAN_HTTPS (docs/deploy.md) the cookies are
# Secure, plain HTTP is redirected to HTTPS (but /healthz, for monitors on the machine), and
# browsers are told to use only HTTPS for HSTS_SECONDS (HSTS).
HTTPS = env_bool("DUBAN_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env_bool("DUBAN_SSL_REDIRECT", HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DUBAN_HSTS_SECONDS", 31536000, minimum=0) if HTTPS else 0
# Only where duban has a host name of its own (duban.example.gov.cn): every name under it too.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DUBAN_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DUBAN_HSTS_PRELOAD", False)
# Browsers' preload list takes only public domains submitted by their owners, never an intranet
# host: `check --deploy` need not ask for the preload flag (security.W021).
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Behind a reverse proxy (nginx, docs/deploy.md) that terminates HTTPS: trust its
# X-Forwarded-Proto (the request was HTTPS) and X-Forwarded-For (the client's address, read from
# the right past TRUSTED_PROXIES: duban/core/network.py). Never without such a proxy: a browser
# could then claim any address.
BEHIND_PROXY = env_bool("DUBAN_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Further proxies or load balancers in front of that one (addresses or networks, 10.0.0.0/8).
TRUSTED_PROXIES = env_list("DUBAN_TRUSTED_PROXIES", [])
# Origins other than the host itself whose forms may post here (https://duban.example.gov.cn
# when the proxy's name differs from DUBAN_ALLOWED_HOSTS, or a second port).
CSRF_TRUSTED_ORIGINS = env_list("DUBAN_CSRF_TRUSTED_ORIGINS", [])
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts only from duban's own static files, never inline
# code (no <script> blocks, no on…= handlers, no htmx hx-on: behaviours.js reads data
# attributes); styles likewise only from its files (no style attributes: the cockpit sets chart
# sizes and colours through the DOM, which the policy allows); images
# from duban and data: URLs (the printed charts); no plugins, no framing, forms post only here.
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
    }
}

# Two-factor sign-in (等保 level 3: a second factor), duban/accounts/twofactor. The roles that
# must set it up (the office and the three administrators); everyone else may. "none" = nobody.
TWOFACTOR_REQUIRED_ROLES = [
    role
    for role in env_list(
        "DUBAN_2FA_REQUIRED_ROLES",
        ["office", "system_admin", "security_admin", "audit_admin"],
        blank=[],  # set to nothing: nobody, as "none" (duban check --deploy warns of it)
    )
    if role != "none"
]
# Wrong codes in a row before the second step locks for TWOFACTOR_LOCK_MINUTES (its own limit,
# beside the password lockout); duban's limit replaces django-otp's growing delay.
TWOFACTOR_MAX_FAILURES = env_int("DUBAN_2FA_MAX_FAILURES", 5, minimum=1)
TWOFACTOR_LOCK_MINUTES = env_int("DUBAN_2FA_LOCK_MINUTES", 15, minimum=1)
OTP_TOTP_THROTTLE_FACTOR = OTP_STATIC_THROTTLE_FACTOR = 0
# The name an authenticator app shows beside the account.
OTP_TOTP_ISSUER = env_str("DUBAN_2FA_ISSUER", "督办")

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
# `duban collectstatic` (run by every `duban serve`) copies the files here with hashed names
# (duban.3f2a….css) and gzip and brotli copies; WhiteNoise serves them with a year's caching.
STATIC_ROOT = DATA_DIR / "static"
with suppress(OSError):  # an unwritable data directory is `duban check`'s to report
    STATIC_ROOT.mkdir(exist_ok=True)
# Only duban's own pages use its static files: no Access-Control-Allow-Origin: * on them.
WHITENOISE_ALLOW_ALL_ORIGINS = False
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_ROOT.mkdir(exist_ok=True)
# Errors and warnings go to standard error and to a rotating file here (LOGGING below).
LOG_DIR = Path(env_str("DUBAN_LOG_DIR", str(DATA_DIR / "logs"))).resolve()
# If it cannot be made, only standard error; `duban check` says why the data directory fails.
with suppress(OSError):
    LOG_DIR.mkdir(parents=True, exist_ok=True)
make_private(DATA_DIR, folders=(MEDIA_ROOT, LOG_DIR, DATA_DIR / "imports"))
# `duban check` fails and /healthz answers 503 below this much free space in the data directory
# (0: not checked); a disk that fills up anyway gets the 存储空间不足 page (507).
MIN_FREE_BYTES = env_int("DUBAN_MIN_FREE_MB", 200, minimum=0) * 1024 * 1024

# Uploaded notices and evidence files; forms check against this limit.
DUBAN_MAX_UPLOAD_BYTES = env_int("DUBAN_MAX_UPLOAD_MB", 20, minimum=1) * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Uploads are saved by a storage that removes its half-written file when the disk is full.
STORAGES = {
    "default": {"BACKEND": "duban.core.storage.SafeFileSystemStorage"},
    # Hashed names, compressed copies and a page that still renders when a file was not
    # collected (duban/core/server_static.py).
    "staticfiles": {"BACKEND": "duban.core.server_static.StaticFilesStorage"},
}
# `duban serve` (gunicorn, docs/deploy.md): worker processes (0: one per core) and threads in
# each (1: gunicorn's sync workers; 4 served 1.7 times their requests, bench/serve.py).
WEB_WORKERS = env_int("DUBAN_WEB_WORKERS", 0, minimum=0)
WEB_THREADS = env_int("DUBAN_WEB_THREADS", 4, minimum=1)

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
# Webhook addresses on loopback, link-local, private or other non-global networks are refused
# (SSRF), when a channel is saved and after DNS resolution when it sends, unless allowed all
# at once or network by network (10.20.0.5/32,172.16.8.0/24); duban/notify/channels.py.
NOTIFY_ALLOW_PRIVATE = env_bool("DUBAN_NOTIFY_ALLOW_PRIVATE", False)
NOTIFY_ALLOWED_NETWORKS = env_list("DUBAN_NOTIFY_ALLOWED_NETWORKS", [])
for _network in NOTIFY_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"DUBAN_NOTIFY_ALLOWED_NETWORKS: {_network!r} is not a network (10.20.0.0/16)."
        ) from None
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Errors and warnings (LOG_LEVEL and above) of every process (the web server, `duban worker`,
# cron's `duban remind`) go to standard error, where systemd's journal or `duban serve` keeps
# them, and to LOG_DIR/duban.log, rotated at LOG_MAX_MB under a lock shared by the processes,
# LOG_BACKUPS old files kept. Each line names the request: its id (shown on the 500 page too),
# the user, the address, the method and the path (duban/core/logs.py). A server error (the 500
# page says it "has been recorded") is written with its traceback: never silent.
LOG_LEVEL = env_choice("DUBAN_LOG_LEVEL", "WARNING", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOG_FILE = LOG_DIR / "duban.log"
_LOG_HANDLERS = ["stderr"]
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "duban.core.logs.RequestContextFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(user)s %(address)s "
            "%(method)s %(path)s] %(message)s"
        }
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "level": LOG_LEVEL,
            "filters": ["request"],
            "formatter": "line",
        }
    },
    "root": {"handlers": _LOG_HANDLERS, "level": LOG_LEVEL},
    # Django's own loggers hand their records to the root's handlers (not its console handler,
    # which writes only with DEBUG, nor mail to ADMINS, who are not configured).
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL, "propagate": True}},
}
if os.access(LOG_DIR, os.W_OK):
    _LOG_HANDLERS.append("file")
    LOGGING["handlers"]["file"] = {
        "class": "concurrent_log_handler.ConcurrentRotatingFileHandler",
        "level": LOG_LEVEL,
        "filters": ["request"],
        "formatter": "line",
        "filename": str(LOG_FILE),
        "maxBytes": env_int("DUBAN_LOG_MAX_MB", 10, minimum=1) * 1024 * 1024,
        "backupCount": env_int("DUBAN_LOG_BACKUPS", 10, minimum=1),
        "encoding": "utf-8",
    }
