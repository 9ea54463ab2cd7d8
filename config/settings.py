"""Settings for the renovation consultation app.

One module, driven by environment variables, so the same code runs on a laptop with
SQLite and in a community office server with PostgreSQL.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)

# The test runner is a development context too: it may use the throwaway key.
TESTING = "pytest" in sys.modules

# Commands that neither serve requests nor write anything derived from the key (sessions,
# household-code hashes) may run without one, so `manage.py check` works on a fresh checkout.
KEYLESS_COMMANDS = {"check", "makemigrations", "showmigrations", "makemessages", "compilemessages", "help", "version"}
_command = sys.argv[1] if len(sys.argv) > 1 and os.path.basename(sys.argv[0]) == "manage.py" else None

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING or _command in KEYLESS_COMMANDS):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. "
            "Set DEBUG=1 for local development, or export a long random SECRET_KEY."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h.strip()]
# An expired form gets a Chinese page that says what to do, not Django's English one.
CSRF_FAILURE_VIEW = "projects.views.errors.csrf_failure"
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

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
    "django_htmx",
    "js_lib_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "projects",
    "consult",
    "notify",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses the response last, after every middleware below has written it; anonymous
    # visitors only (BREACH, see the class).
    "projects.middleware.PublicGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "projects.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "projects.middleware.StripNulFromQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "projects.middleware.HouseholdMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "projects.middleware.NoStoreForSignedInMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "projects.context_processors.interface",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Row locks do not exist in SQLite; an immediate transaction serialises writers instead,
    # so "lock then check then insert" services stay correct on the zero-setup engine.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account is refused before its password is even checked.
    "projects.lockout.ThrottledLoginBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Staff and admin logins (/accounts/login/, /admin/login/) are throttled by django-axes:
# 10 failures lock the account and, separately, the address that tried, for 15 minutes
# after the last failure (a failure during the lockout restarts it). Counted in the
# database, so every app process sees the same count. A community admin unlocks their own
# members on the members page; `manage.py axes_reset_username <name>` does it from a shell.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "projects.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "projects.ratelimit.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # the lockout itself is logged by projects.lockout, once, as one line

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects:home"
LOGOUT_REDIRECT_URL = "projects:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
# Uploaded photos: served by django.views.static.serve only with DEBUG on; in production
# the proxy serves MEDIA_ROOT (see README). Signed consent forms are outside MEDIA_ROOT and
# go through a staff-only view either way.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Uploads: spreadsheets and photos are checked by the forms against these limits too.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ROSTER_UPLOAD_MAX_BYTES = int(os.environ.get("ROSTER_UPLOAD_MAX_BYTES", 5 * 1024 * 1024))
PHOTO_UPLOAD_MAX_BYTES = int(os.environ.get("PHOTO_UPLOAD_MAX_BYTES", 8 * 1024 * 1024))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True

# --- HTTPS (HTTPS=1 behind TLS) -------------------------------------------------------
# Redirect plain HTTP, send cookies only over TLS, and tell browsers to come back over
# HTTPS only (HSTS). HSTS starts short (one hour, HSTS_SECONDS): a mistake in the TLS set-up
# then locks visitors out for an hour, not a year. Once the site has run on HTTPS for a
# while, raise it step by step (86400, 2592000, then 31536000); preload is declared only
# at a year or more, the minimum the browsers' preload list accepts.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "3600"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS >= 31536000
    if not SECURE_HSTS_PRELOAD:
        # check --deploy asks for preload whatever the max-age; below a year it cannot apply.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
# The TLS proxy names the original scheme in a header, e.g. PROXY_SSL_HEADER=X-Forwarded-Proto
# (nginx: proxy_set_header X-Forwarded-Proto $scheme;). Without it the app behind the proxy
# thinks every request is plain HTTP and the SSL redirect would loop. Set it only when the
# proxy always sets (overwrites) that header, or a client could claim HTTPS.
PROXY_SSL_HEADER = os.environ.get("PROXY_SSL_HEADER", "").strip()
# Behind a reverse proxy every request comes from the proxy's address, so the per-address
# limits (household codes, staff logins) would count everyone together. Name the header the
# proxy sets to the visitor's address, e.g. CLIENT_IP_HEADER=X-Real-IP (nginx:
# proxy_set_header X-Real-IP $remote_addr;). Only with a proxy that always overwrites it.
_client_ip_header = os.environ.get("CLIENT_IP_HEADER", "").strip()
CLIENT_IP_HEADER = "HTTP_" + _client_ip_header.upper().replace("-", "_") if _client_ip_header else ""
if PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + PROXY_SSL_HEADER.upper().replace("-", "_"), "https")

# --- Content-Security-Policy (django-csp) ----------------------------------------------
# Scripts and styles only from this site's static files: no inline <script>, <style>,
# style="" or onclick="" anywhere (templates say what they want with data attributes, read
# by static/js/app.js). Bootstrap's form controls draw their icons as data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"permission_denied_one_line": {"()": "projects.log_filters.PermissionDeniedOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # A 403 is one warning line, not a traceback (see projects.log_filters).
    "loggers": {"django.request": {"filters": ["permission_denied_one_line"]}},
}

# --- Background jobs and messages to residents (notify/) ---------------------------------
# Jobs go through Django's tasks API into a queue table in the same database, so the web
# process and any number of `manage.py db_worker` processes (on any machine that reaches the
# database) share one queue; `dev.py serve` starts one worker. Tests use the dummy backend:
# nothing runs behind a test's back, tests run the jobs they mean to.
TASKS = {
    "default": {
        "BACKEND": ("django_tasks.backends.dummy.DummyBackend" if TESTING else "django_tasks_db.DatabaseBackend")
    }
}
# Where SMS go, chosen like EMAIL_BACKEND: "notify.backends.console.ConsoleBackend" (prints),
# "notify.backends.file.FileBackend" (one JSON line per message in NOTIFY_FILE_PATH, the
# default) or "notify.backends.sms.HttpSmsBackend" (a generic HTTP SMS provider, below).
NOTIFY_SMS_BACKEND = os.environ.get("NOTIFY_SMS_BACKEND", "notify.backends.file.FileBackend")
# Group messages (企业微信群机器人) go to the webhook URL configured per community; the
# backend can be swapped for the console or file one on a laptop.
NOTIFY_GROUP_BACKEND = os.environ.get("NOTIFY_GROUP_BACKEND", "notify.backends.file.FileBackend")
NOTIFY_FILE_PATH = Path(os.environ.get("NOTIFY_FILE_PATH", BASE_DIR / "var" / "outbox.jsonl"))
NOTIFY_SMS_URL = os.environ.get("NOTIFY_SMS_URL", "")
NOTIFY_SMS_SIGNATURE = os.environ.get("NOTIFY_SMS_SIGNATURE", "")  # the 【签名】 the provider approved
NOTIFY_SMS_TEMPLATE = os.environ.get("NOTIFY_SMS_TEMPLATE", "")  # the provider's template code
NOTIFY_SMS_API_KEY = os.environ.get("NOTIFY_SMS_API_KEY", "")
NOTIFY_HTTP_TIMEOUT = float(os.environ.get("NOTIFY_HTTP_TIMEOUT", "10"))
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "5"))
NOTIFY_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFY_RETRY_BASE_SECONDS", "60"))
# Quiet hours (local time): nothing is sent from 21:00 to 08:00; messages wait in the queue.
NOTIFY_QUIET_START = int(os.environ.get("NOTIFY_QUIET_START", "21"))
NOTIFY_QUIET_END = int(os.environ.get("NOTIFY_QUIET_END", "8"))
NOTIFY_DAILY_LIMIT = int(os.environ.get("NOTIFY_DAILY_LIMIT", "3"))  # SMS per household per day
# Files that jobs produce (notices to print): staff download them through a checked view.
JOB_FILES_ROOT = Path(os.environ.get("JOB_FILES_ROOT", BASE_DIR / "var" / "jobs"))

# Public-facing site address, printed on QR posters and household code letters. Unset,
# the address the staff member's browser used is printed (see projects/site_address.py).
SITE_URL = os.environ.get("SITE_URL", "")

TEXT_SIZE_COOKIE = "text_size"

if TESTING:
    # Hashing a password properly takes ~0.3 s; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
