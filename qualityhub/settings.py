"""QualityHub settings: everything that differs between machines comes from the environment.

Every variable read here is listed in docs/configuration.md.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.contrib.messages import constants as message_levels
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from qualityhub.env import env_bool, env_choice, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("QUALITYHUB_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "qualityhub.accounts",
    "qualityhub.ui",
    "qualityhub.inspections",
    "qualityhub.directory",
    "qualityhub.sync",
    "qualityhub.audit",
    "qualityhub.attachments",
    "qualityhub.exporting",
    "qualityhub.creation",
    "qualityhub.analytics",
    "qualityhub.savedviews",
    "qualityhub.preferences",
    "qualityhub.notifications",
    "qualityhub.notes",
    "qualityhub.assignment",
    "qualityhub.reports",
    "qualityhub.sandbox",
    "qualityhub.demo",
    "qualityhub.ops",
]

MIDDLEWARE = [
    "qualityhub.ops.middleware.RequestLogMiddleware",
    "qualityhub.ops.middleware.HealthzMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qualityhub.preferences.middleware.ChosenLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "qualityhub.accounts.middleware.SignInRequiredMiddleware",
    "qualityhub.accounts.middleware.AccessMiddleware",
    "qualityhub.ui.middleware.BrowserTimezoneMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qualityhub.urls"
WSGI_APPLICATION = "qualityhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qualityhub.ui.context_processors.sync_freshness",
                "qualityhub.accounts.context_processors.access",
            ],
        },
    },
    # The hottest fragments (the list's table, the detail page's lines), rendered by the views
    # into the Django pages above: qualityhub/ui/jinja.py says why.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "qualityhub.ui.jinja.environment",
            "context_processors": [
                "qualityhub.ui.jinja.reader_zone",
                "qualityhub.ui.jinja.csrf_once",
                "qualityhub.accounts.context_processors.access",
            ],
        },
    },
]


def _database_config() -> dict:
    url = env_str("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
        config["CONN_HEALTH_CHECKS"] = True
        return config
    # SQLite: WAL lets readers run beside the writer; IMMEDIATE takes the write lock when the
    # transaction starts, so a read-then-write transaction never fails half-way with
    # "database is locked" when the web app and the worker write at once.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "qualityhub.sqlite3",
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;"
            ),
        },
    }


DATABASES = {"default": _database_config()}

# A shared cache (Redis) in production; each process's memory otherwise.
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Sessions live where every web process sees the same ones, so signing out ends a session in all
# of them: read through the shared cache (no session query per page) when there is one, straight
# from the database otherwise (a process's own memory would keep a signed-out session alive).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHE_URL
    else "django.contrib.sessions.backends.db"
)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "overview"
LOGOUT_REDIRECT_URL = "login"
# A session lasts this long after signing in (a working day). With SESSION_SAVE_EVERY_REQUEST
# it is counted from the last request instead, at the cost of a session write per request.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
SESSION_SAVE_EVERY_REQUEST = env_bool("SESSION_SAVE_EVERY_REQUEST", False)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-ins while locked out
    # Django's, loading the user's access stamp with the user (qualityhub/accounts/access.py).
    "qualityhub.accounts.backends.StampedModelBackend",
]
# Sign-in throttling: 5 failures for one account from one address lock that pair out for the
# cool-off (axes' defaults would lock forever after 3). A success clears the count.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Password reset mails: printed on the console in development (DEBUG); otherwise sent by SMTP to
# EMAIL_HOST (localhost's mail server when unset).
EMAIL_HOST = env_str("EMAIL_HOST")
MAILERS = {
    "default": (
        {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
        if DEBUG and not EMAIL_HOST
        else {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST or "localhost",
                "port": env_int("EMAIL_PORT", 587 if EMAIL_HOST else 25),
                "username": env_str("EMAIL_HOST_USER") or None,
                "password": env_str("EMAIL_HOST_PASSWORD") or None,
                "use_tls": env_bool("EMAIL_USE_TLS", bool(EMAIL_HOST)),
            },
        }
    )
}
del EMAIL_HOST  # a deprecated setting name once MAILERS exists
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "qualityhub@localhost")
# Reset requests per email address, and per client address, within a window (counted in the
# database, so every web process counts the same ones): more send no mail and say so.
PASSWORD_RESET_LIMIT_PER_EMAIL = env_int("PASSWORD_RESET_LIMIT_PER_EMAIL", 3, minimum=1)
PASSWORD_RESET_LIMIT_PER_CLIENT = env_int("PASSWORD_RESET_LIMIT_PER_CLIENT", 10, minimum=1)
PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The UI's languages. Django's LocaleMiddleware picks one from the browser's Accept-Language;
# a language a person chose (preferences.language) wins over it. Coupa's own text is shown as is.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "qualityhub" / "locale"]
# Per-language date formats beside Django's own: English keeps ISO dates (2026-11-25).
FORMAT_MODULE_PATH = ["qualityhub.formats"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- HTTP security ---------------------------------------------------------------------------
# Content-Security-Policy on every response: scripts only from this site or with the response's
# nonce, no inline styles (htmx's indicator styles are off, see base.html), no eval anywhere.
# Bootstrap's CSS draws its form arrows and checkboxes as data: SVG images.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS: on by default unless DEBUG. Behind a proxy that terminates TLS, set
# SECURE_PROXY_SSL_HEADER=1 so Django believes its X-Forwarded-Proto (and only then: a client
# could send that header itself when nothing strips it).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_HTTPONLY = True  # pages hand the token to htmx themselves (hx-headers)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# base.html draws a message as Bootstrap's `alert-<tag>`: Bootstrap's red is "danger".
MESSAGE_TAGS = {message_levels.ERROR: "danger"}

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "staticfiles")
# Whitenoise serves static files from gunicorn (and warns when this folder does not exist yet).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# In production (STATIC_MANIFEST, on unless DEBUG) names carry a content hash and are cached
# forever: run `manage.py collectstatic` first (`make prod` does).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# How long after the last successful sync the pages warn that the cache is stale.
SYNC_STALE_AFTER_SECONDS = env_int("SYNC_STALE_AFTER_SECONDS", 900, minimum=60)
# How often an open page asks whether the cache changed (the freshness cue, the list's "N
# inspections changed", a changed detail page, the overview's figures): one small request each.
LIVE_POLL_SECONDS = env_int("LIVE_POLL_SECONDS", 30, minimum=1)

# --- Coupa --------------------------------------------------------------------------------
COUPA_BASE_URL = env_str("COUPA_BASE_URL", "http://127.0.0.1:8001").rstrip("/")
# The sandbox's published credentials are defaults only for a sandbox on this machine: a real
# Coupa must be given its own, rather than be sent "sandbox-secret" by a forgotten variable.
_SANDBOX_HERE = urlsplit(COUPA_BASE_URL).hostname in ("127.0.0.1", "localhost", "::1")
COUPA_CLIENT_ID = env_str("COUPA_CLIENT_ID", "sandbox" if _SANDBOX_HERE else "")
COUPA_CLIENT_SECRET = env_str("COUPA_CLIENT_SECRET", "sandbox-secret" if _SANDBOX_HERE else "")
for _name, _value in (
    ("COUPA_CLIENT_ID", COUPA_CLIENT_ID),
    ("COUPA_CLIENT_SECRET", COUPA_CLIENT_SECRET),
):
    if not _value:
        raise ImproperlyConfigured(f"{_name} must be set for COUPA_BASE_URL={COUPA_BASE_URL}")
COUPA_TOKEN_URL = env_str("COUPA_TOKEN_URL") or f"{COUPA_BASE_URL}/oauth2/token"
COUPA_API_STYLE = env_choice("COUPA_API_STYLE", "seed", ("seed", "v1"))
COUPA_CONNECT_TIMEOUT = env_float("COUPA_CONNECT_TIMEOUT", 5.0, minimum=0.1)
COUPA_READ_TIMEOUT = env_float("COUPA_READ_TIMEOUT", 30.0, minimum=0.1)
COUPA_MAX_ATTEMPTS = env_int("COUPA_MAX_ATTEMPTS", 4, minimum=1)
# Socket timeouts bound each read, not the answer: every call (retries and token included) ends
# within this many seconds however slowly Coupa sends. Below every sync task's soft time limit,
# so a task fails with this reason rather than with its time limit.
COUPA_TOTAL_TIMEOUT = env_float("COUPA_TOTAL_TIMEOUT", 45.0, minimum=1.0)
if COUPA_TOTAL_TIMEOUT < COUPA_CONNECT_TIMEOUT:
    raise ImproperlyConfigured("COUPA_TOTAL_TIMEOUT must be at least COUPA_CONNECT_TIMEOUT")
# The most any JSON answer may hold. The sandbox's largest page (50 inspections, up to 8 lines each)
# is 185 kB; 3 MB leaves ~90 lines per inspection on every record of a full page, and keeps the
# worst parse (the costliest JSON per byte: 0.8 M decimals) near 100 MB: a sync stays under 200 MB.
COUPA_MAX_RESPONSE_BYTES = env_int("COUPA_MAX_RESPONSE_BYTES", 3 * 1024 * 1024, minimum=1024)
# Coupa documents 25 requests/s; each process paces itself below that (0: no pacing).
COUPA_REQUESTS_PER_SECOND = env_float("COUPA_REQUESTS_PER_SECOND", 20.0, minimum=0)
# Names for Coupa's ids (suppliers, people, units) from Coupa's Core API: the token then also
# asks for core.supplier.read, core.user.read and core.common.read (docs/names.md).
COUPA_NAMES = env_bool("COUPA_NAMES", True)

# --- Celery -------------------------------------------------------------------------------
# Without CELERY_BROKER_URL the broker is kombu's filesystem transport under var/, so the demo
# needs no broker server; production sets redis:// or amqp://.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _celery_dir = VAR_DIR / "celery"
    (_celery_dir / "queue").mkdir(parents=True, exist_ok=True)
    (_celery_dir / "processed").mkdir(parents=True, exist_ok=True)
    (_celery_dir / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "control_folder": str(_celery_dir / "control"),
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_IGNORE_RESULT = True  # runs are rows (SyncRun); nobody asks the result backend
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A task is acknowledged only when it finished, and given back when its worker dies, so a
# killed worker never loses a sync; prefetch 1 keeps one worker from hoarding queued tasks.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers an unacknowledged task after this many seconds; it must exceed every task's
# hard time limit, or a long sync would be handed to a second worker while the first still runs.
# (The floor only catches typos: the fault tests start a worker with 10 s, so that the task of a
# killed worker comes back within a test's time.)
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3900, minimum=10)
if not CELERY_BROKER_URL.startswith("filesystem://"):
    # Kombu looks for such tasks every unacked_restore_interval × unacked_restore_throttle seconds,
    # 10 × 10 by default, which can add 100 s; every 5 s instead (one ZRANGE on Redis each time),
    # so a killed worker's task is back within the visibility timeout + 5 s.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        "unacked_restore_interval": 5,
        "unacked_restore_throttle": 1,
    }

# --- Sync ---------------------------------------------------------------------------------
SYNC_INTERVAL_SECONDS = env_int("SYNC_INTERVAL_SECONDS", 120, minimum=10)
SYNC_OVERLAP_SECONDS = env_int("SYNC_OVERLAP_SECONDS", 300, minimum=0)
SYNC_FULL_HOUR = env_int("SYNC_FULL_HOUR", 2, minimum=0)
# (soft, hard) time limits in seconds per kind of run; soft < hard < visibility timeout.
SYNC_TIME_LIMITS = {
    "incremental": (SYNC_INTERVAL_SECONDS * 5, SYNC_INTERVAL_SECONDS * 5 + 60),
    "full": (3300, 3600),
    "one": (60, 90),
    "attachments": (240, 300),
    "names": (600, 660),
}
if min(limits[0] for limits in SYNC_TIME_LIMITS.values()) <= COUPA_TOTAL_TIMEOUT:
    raise ImproperlyConfigured("COUPA_TOTAL_TIMEOUT must be below every sync task's time limit")
CELERY_BEAT_SCHEDULE = {
    "sync-incremental": {
        "task": "qualityhub.sync.tasks.sync_incremental",
        "schedule": SYNC_INTERVAL_SECONDS,
        # Expires just before the next one is due, so a backlog never runs stale copies.
        "options": {"expires": SYNC_INTERVAL_SECONDS - 5},
    },
    "sync-full-nightly": {
        "task": "qualityhub.sync.tasks.sync_full",
        "schedule": crontab(hour=SYNC_FULL_HOUR, minute=17),
        "options": {"expires": 23 * 3600},
    },
}
# Names from Coupa's Core API (qualityhub/directory/refresh.py): what changed, every 15 minutes,
# and everything nightly (after the full sync, which resolves the ids it meets itself).
NAMES_REFRESH_SECONDS = env_int("NAMES_REFRESH_SECONDS", 900, minimum=60)
CELERY_BEAT_SCHEDULE["names-refresh-changes"] = {
    "task": "qualityhub.directory.tasks.refresh_names_changes",
    "schedule": NAMES_REFRESH_SECONDS,
    "options": {"expires": NAMES_REFRESH_SECONDS - 5},
}
CELERY_BEAT_SCHEDULE["names-refresh-full"] = {
    "task": "qualityhub.directory.tasks.refresh_names_full",
    "schedule": crontab(hour=SYNC_FULL_HOUR, minute=47),
    "options": {"expires": 23 * 3600},
}
# The overview's figures (qualityhub/analytics/overview.py); also refreshed after a sync under
# Celery that changed something.
CELERY_BEAT_SCHEDULE["overview-refresh"] = {
    "task": "qualityhub.analytics.tasks.refresh_overview",
    "schedule": 300,
    "options": {"expires": 295},
}
# The trends picker's most measured pairs (qualityhub/analytics/trends.py).
CELERY_BEAT_SCHEDULE["trends-refresh"] = {
    "task": "qualityhub.analytics.tasks.refresh_trends",
    "schedule": 300,
    "options": {"expires": 295},
}
# The supplier scorecards of every period (qualityhub/analytics/scorecards/snapshot.py).
CELERY_BEAT_SCHEDULE["scorecards-refresh"] = {
    "task": "qualityhub.analytics.tasks.refresh_scorecards",
    "schedule": 900,
    "options": {"expires": 895},
}

# --- Notifications: the events of the sync, of time passing and of failed writes -----------
# (qualityhub/notifications/observe.py, scan.py, write_failed.py; docs/notifications-events.md)
# Only what happened (reviewed, modified, fell due, crossed the review wait) within this many
# days makes an event: a first sync of a big tenant tells nobody of years of history.
NOTIFY_LOOKBACK_DAYS = env_int("NOTIFY_LOOKBACK_DAYS", 3, minimum=1)
NOTIFY_DUE_SOON_DAYS = env_int("NOTIFY_DUE_SOON_DAYS", 3, minimum=1)
NOTIFY_REVIEW_WAITING_DAYS = env_int("NOTIFY_REVIEW_WAITING_DAYS", 3, minimum=1)
NOTIFY_SCAN_SECONDS = env_int("NOTIFY_SCAN_SECONDS", 900, minimum=60)
# Not a `tasks` module (autodiscovery finds only those): the worker imports it by name.
CELERY_IMPORTS = ["qualityhub.notifications.event_tasks"]
CELERY_BEAT_SCHEDULE["notifications-scan"] = {
    "task": "qualityhub.notifications.event_tasks.scan_time_events",
    "schedule": NOTIFY_SCAN_SECONDS,
    "options": {"expires": NOTIFY_SCAN_SECONDS - 5},
}

LOG_FORMAT = env_choice("LOG_FORMAT", "text", ("text", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "qualityhub.ops.logging.ContextFilter"},
        "permission_denied": {"()": "qualityhub.ops.logging.PermissionDeniedLine"},
    },
    "formatters": {
        "text": {
            "()": "qualityhub.ops.logging.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "qualityhub.ops.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        },
        "nowhere": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Lockouts are warnings; axes' line per successful sign-in is noise.
        "axes": {"level": "WARNING"},
        # qualityhub.request logs every request once; runserver's own line would repeat it (and
        # without a handler of its own it would reach Python's last-resort stderr).
        "django.server": {"handlers": ["nowhere"], "propagate": False},
        # Django's own console handler (DEBUG only) would print each of its lines a second time:
        # they reach the root's handler anyway.
        "django": {"handlers": []},
        "django.request": {"filters": ["permission_denied"]},
    },
}
# Errors go to Sentry when SENTRY_DSN is set and sentry-sdk is installed (pip install
# '.[sentry]'); nothing is sent otherwise.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    try:
        import sentry_sdk
    except ImportError as missing:
        raise ImproperlyConfigured("SENTRY_DSN is set but sentry-sdk is not installed") from missing
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0, minimum=0.0),
        send_default_pii=False,
    )
# /healthz answers 503 when the last successful sync is older than this (0: never for age).
HEALTHZ_MAX_SYNC_AGE_SECONDS = env_int("HEALTHZ_MAX_SYNC_AGE_SECONDS", 0, minimum=0)

# --- Attachments (written back to Coupa; see qualityhub/attachments) ----------------------
# Files wait under VAR_DIR/uploads (never served by a public path) until Coupa confirms them.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 25 * 1024 * 1024, minimum=1)
ATTACHMENT_MAX_FILES = env_int("ATTACHMENT_MAX_FILES", 10, minimum=1)  # per upload request
# The largest file passed on from Coupa (streamed, never held): by default what may be uploaded.
COUPA_MAX_DOWNLOAD_BYTES = env_int("COUPA_MAX_DOWNLOAD_BYTES", ATTACHMENT_MAX_BYTES, minimum=1)
ATTACHMENT_ALLOWED_EXTENSIONS = [
    extension.lower().lstrip(".")
    for extension in env_list(
        "ATTACHMENT_ALLOWED_EXTENSIONS",
        ["pdf", "png", "jpg", "jpeg", "gif", "tif", "tiff", "txt", "csv", "docx", "xlsx"],
    )
]
ATTACHMENT_KEEP_LOCAL_COPY = env_bool("ATTACHMENT_KEEP_LOCAL_COPY", False)
# Task retries while Coupa is unavailable: exponential from BACKOFF seconds, capped at
# BACKOFF_MAX (which must stay below the visibility timeout), then the row shows "failed".
ATTACHMENT_RETRY_BACKOFF = env_int("ATTACHMENT_RETRY_BACKOFF", 15, minimum=1)
ATTACHMENT_RETRY_BACKOFF_MAX = env_int("ATTACHMENT_RETRY_BACKOFF_MAX", 600, minimum=1)
ATTACHMENT_MAX_RETRIES = env_int("ATTACHMENT_MAX_RETRIES", 12, minimum=0)
# After a send that may have landed, wait this long before re-sending when Coupa's list does
# not show it yet (the first request may still be running there).
ATTACHMENT_SETTLE_SECONDS = env_int(
    "ATTACHMENT_SETTLE_SECONDS", int(COUPA_READ_TIMEOUT * 2) + 30, minimum=0
)
ATTACHMENT_TIME_LIMITS = (300, 360)  # (soft, hard) seconds for one send or delete
if ATTACHMENT_RETRY_BACKOFF_MAX >= CELERY_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured("ATTACHMENT_RETRY_BACKOFF_MAX must be below the visibility timeout")
CELERY_BEAT_SCHEDULE["attachments-resume-stalled"] = {
    "task": "qualityhub.attachments.tasks.resume_stalled_attachments",
    "schedule": 300,
    "options": {"expires": 295},
}

# --- Exported flags (qualityhub/exporting) --------------------------------------------------
EXPORT_RETRY_BACKOFF = env_int("EXPORT_RETRY_BACKOFF", 15, minimum=1)
EXPORT_RETRY_BACKOFF_MAX = env_int("EXPORT_RETRY_BACKOFF_MAX", 600, minimum=1)
EXPORT_MAX_RETRIES = env_int("EXPORT_MAX_RETRIES", 24, minimum=0)
CELERY_BEAT_SCHEDULE["exporting-resume-stalled"] = {
    "task": "qualityhub.exporting.tasks.resume_stalled_exports",
    "schedule": 300,
    "options": {"expires": 295},
}

# --- Creating inspections (qualityhub/creation) ---------------------------------------------
# Queued requests nobody has touched for this long are queued again (a broker out of reach at
# the confirm, a lost task or retry). Above the longest wait between two retries (5 min) plus
# a task's hard time limit, so a live task is left alone.
CREATION_STALLED_MINUTES = env_int("CREATION_STALLED_MINUTES", 15, minimum=10)
CELERY_BEAT_SCHEDULE["creation-resume-stalled"] = {
    "task": "qualityhub.creation.tasks.resume_stalled_creations",
    "schedule": 300,
    "options": {"expires": 295},
}

# --- Sign-ins (qualityhub/accounts) -----------------------------------------------------------
# Sessions live in the database: the expired ones are removed every night.
CELERY_BEAT_SCHEDULE["accounts-clear-expired-sessions"] = {
    "task": "qualityhub.accounts.tasks.clear_expired_sessions",
    "schedule": crontab(hour=3, minute=41),
    "options": {"expires": 3600},
}

# --- Notification mail (qualityhub/notifications; docs/notifications-mail.md) -----------------
# The site's address as people reach it: the mails' links (to an inspection, the notifications
# page, the one-click unsubscribe) are absolute.
# Unset in production: https:// and the first allowed host (the demo's address in DEBUG).
_first_host = next((h for h in ALLOWED_HOSTS if h and not h.startswith((".", "*"))), "")
QUALITYHUB_URL = env_str(
    "QUALITYHUB_URL",
    "http://127.0.0.1:8000" if DEBUG or not _first_host else f"https://{_first_host}",
).rstrip("/")
# Notifications go through their own mailer: the same SMTP server as the password resets, but
# in the demo (DEBUG without EMAIL_HOST) each mail is written as a file under var/mail/.
MAILERS["notifications"] = (
    {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
    }
    if MAILERS["default"]["BACKEND"].endswith("console.EmailBackend")
    else {
        "BACKEND": MAILERS["default"]["BACKEND"],
        "OPTIONS": {
            **MAILERS["default"]["OPTIONS"],
            "timeout": env_int("EMAIL_TIMEOUT", 30, minimum=1),
        },
    }
)
# A worker claims a mail for this long before talking SMTP; a mail whose worker died is claimed
# again after it. Above EMAIL_TIMEOUT, so a slow but living send keeps its claim.
NOTIFICATION_MAIL_LEASE_SECONDS = env_int("NOTIFICATION_MAIL_LEASE_SECONDS", 120, minimum=1)
NOTIFICATION_MAIL_MAX_ATTEMPTS = env_int("NOTIFICATION_MAIL_MAX_ATTEMPTS", 10, minimum=1)
NOTIFICATION_MAIL_BACKOFF_SECONDS = env_int("NOTIFICATION_MAIL_BACKOFF_SECONDS", 60, minimum=1)
NOTIFICATION_MAIL_BACKOFF_MAX_SECONDS = env_int(
    "NOTIFICATION_MAIL_BACKOFF_MAX_SECONDS", 3600, minimum=1
)
# The manager's weekly summary goes out on this day (0 Monday … 6 Sunday), local to each person,
# at their digest hour.
NOTIFICATION_SUMMARY_WEEKDAY = min(env_int("NOTIFICATION_SUMMARY_WEEKDAY", 0, minimum=0), 6)
CELERY_BEAT_SCHEDULE["notifications-mail"] = {
    "task": "qualityhub.notifications.tasks.send_notification_mail",
    "schedule": 60,
    "options": {"expires": 55},
}
# --- The supplier review pack by mail (qualityhub/reports/pack_mail.py; docs/review-pack.md) ---
# Last month's pack to each subscriber on the 1st at 06:05 (TIME_ZONE); once per subscriber,
# supplier and month however often it runs (a missed run is made up by running the task later).
CELERY_IMPORTS.append("qualityhub.reports.pack_tasks")
CELERY_BEAT_SCHEDULE["reports-monthly-packs"] = {
    "task": "qualityhub.reports.pack_tasks.send_monthly_packs",
    "schedule": crontab(day_of_month=1, hour=6, minute=5),
    "options": {"expires": 20 * 3600},
}

# --- Inspection reports (qualityhub/reports; docs/printing.md) --------------------------------
# The most inspections one bulk PDF holds. bench/reports.py on 2 busy CPUs (load 12): 200
# reports of 12 lines in 448 s (2.2 s each), 3.2 MB, +100 MB of peak memory: half the task's
# 15-minute soft limit at worst (docs/printing.md).
REPORT_BULK_LIMIT = env_int("REPORT_BULK_LIMIT", 200, minimum=1)
# A bulk PDF (and its job) is removed this long after it was made, by the hourly clean-up.
REPORT_KEEP_HOURS = env_int("REPORT_KEEP_HOURS", 24, minimum=1)
REPORTS_DIR = VAR_DIR / "reports"
CELERY_BEAT_SCHEDULE["reports-clean-old"] = {
    "task": "qualityhub.reports.tasks.clean_old_report_jobs",
    "schedule": crontab(minute=23),
    "options": {"expires": 3000},
}
