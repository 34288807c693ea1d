"""Settings from the environment; with none set, the embedded default (SQLite, no Redis)."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("POVERTYCASE_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env(
    DEBUG=(bool, True),
    SECRET_KEY=(str, "dev-only-insecure-key-change-me-in-production"),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "[::1]", "testserver"]),
    DATABASE_URL=(str, f"sqlite:///{VAR_DIR / 'povertycase.sqlite3'}"),
    REDIS_URL=(str, ""),
    EMAIL_URL=(str, "consolemail://"),
    IMPORT_MAX_UPLOAD_MB=(int, 20),
    IMPORT_SYNC_MAX_ROWS=(int, 2000),
    IMPORT_MAX_UNPACKED_MB=(int, 300),
    IMPORT_MAX_COMPRESSION_RATIO=(int, 200),
    IMPORT_MAX_ROWS=(int, 300_000),
    IMPORT_MAX_CELL_CHARS=(int, 32_767),
)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "povertycase.core",
    "povertycase.accounts",
    "households",
    "povertycase.notifications",
    "rectification",
    "petitions",
    "funds",  # before inspections: its demo funds exist when the demo's ranking weeks are computed
    "inspections",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "povertycase.core.middleware.RejectControlCharactersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "povertycase.urls"
WSGI_APPLICATION = "povertycase.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "povertycase.core.context_processors.navigation",
                "povertycase.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the worker and the web server share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failures (django-axes): 5 failures lock user+IP for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy the client address comes from the header the proxy sets (django-ipware),
# e.g. AXES_IPWARE_META_PRECEDENCE_ORDER=HTTP_X_FORWARDED_FOR,REMOTE_ADDR with nginx's
# `proxy_set_header X-Forwarded-For $remote_addr` (overwritten, so a client cannot forge it).
# AXES_IPWARE_PROXY_COUNT: how many proxy addresses follow the client's in that header, if any.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=None)
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list("AXES_IPWARE_META_PRECEDENCE_ORDER", default=["REMOTE_ADDR"])

SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)

# HTTPS behind the county's reverse proxy: on by default without DEBUG; the local smoke and
# bench runs over plain http turn SECURE_SSL_REDIRECT and the secure cookies off.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# The header the proxy sets to the scheme it was reached by, e.g. HTTP_X_FORWARDED_PROTO.
if env.str("PROXY_SSL_HEADER", default=""):
    SECURE_PROXY_SSL_HEADER = (env.str("PROXY_SSL_HEADER"), "https")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Content-Security-Policy (django-csp): scripts only from our static files, no inline script or
# handler. Inline style attributes stay allowed (templates and Bootstrap use them); images take
# data: URIs for Bootstrap's SVG icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = sorted(p for p in (BASE_DIR / "locale").iterdir() if p.is_dir())
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# The vendored Chart.js and Bootstrap files had their `sourceMappingURL` comments stripped: the
# .map files are not shipped, and the manifest storage fails on any reference it cannot resolve.
# Stripping them keeps the storage strict for our own files (a typo in site.css still fails).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_UPLOAD_BYTES = env("IMPORT_MAX_UPLOAD_MB") * 1024 * 1024
# Imports with more data rows than this run in the Celery worker with a progress bar.
IMPORT_SYNC_MAX_ROWS = env("IMPORT_SYNC_MAX_ROWS")
# What an uploaded workbook may unpack to, checked before any parser opens it
# (povertycase/core/uploads.py); 32,767 characters is Excel's own limit for a cell.
IMPORT_MAX_UNPACKED_MB = env("IMPORT_MAX_UNPACKED_MB")
IMPORT_MAX_COMPRESSION_RATIO = env("IMPORT_MAX_COMPRESSION_RATIO")
IMPORT_MAX_ROWS = env("IMPORT_MAX_ROWS")
IMPORT_MAX_CELL_CHARS = env("IMPORT_MAX_CELL_CHARS")

vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="povertycase@localhost")

# Filter selects read 全部 ("all"), not a row of dashes.
FILTERS_EMPTY_CHOICE_LABEL = _("All")
FILTERS_NULL_CHOICE_LABEL = _("Not filled")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport under var/.
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{BROKER_DIR / 'results'}"
    (BROKER_DIR / "results").mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "logic-checks-nightly": {
        "task": "households.checks.tasks.run_logic_checks_task",
        "schedule": crontab(hour=1, minute=30),
    },
    "purge-stale-import-files": {
        "task": "households.tasks.purge_stale_import_files_task",
        "schedule": crontab(hour=2, minute=30),
    },
    "rectification-deadline-alerts": {
        "task": "rectification.tasks.deadline_alerts_task",
        "schedule": crontab(hour=7, minute=0),
    },
    "purge-ledger-export-files": {
        "task": "rectification.tasks.purge_export_files_task",
        "schedule": crontab(hour=3, minute=0),
    },
    "petitions-deadline-alerts": {
        "task": "petitions.tasks.petition_alerts_task",
        "schedule": crontab(hour=7, minute=10),
    },
    "funds-daily-alerts": {
        "task": "funds.tasks.daily_alerts_task",
        "schedule": crontab(hour=7, minute=10),
    },
    "inspections-weekly-ranking": {
        "task": "inspections.tasks.weekly_ranking_task",
        "schedule": crontab(hour=6, minute=0, day_of_week="mon"),
    },
}
# Ledger exports with more rows than this run in the Celery worker with a progress bar.
RECTIFICATION_EXPORT_SYNC_MAX_ROWS = env.int("RECTIFICATION_EXPORT_SYNC_MAX_ROWS", default=2000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"povertycase": {"level": "INFO"}, "households": {"level": "INFO"}},
}
