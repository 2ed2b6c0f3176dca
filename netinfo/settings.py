"""Settings for the NET patient-information site.

Everything that differs between a laptop and a server comes from the environment; the
defaults are safe for local use on SQLite. Every variable is listed in the README.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """Read a yes/no variable strictly, so a typo fails loudly instead of meaning 'off'."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# "production" switches on every protection that needs HTTPS; anything else is local use.
PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production")
    SECRET_KEY = "local-development-only-not-secret"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    # DEBUG shows settings and code to anyone who finds an error page.
    raise ImproperlyConfigured("DEBUG must be false when DJANGO_ENV=production")
if PRODUCTION and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured(
        "SECRET_KEY must be a random string of at least 50 characters when "
        'DJANGO_ENV=production, for example: python -c "import secrets; '
        'print(secrets.token_urlsafe(50))"'
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = "NET Patient Information"
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
HELPLINE = {
    # Cancer Research UK's nurse line, as its CALM-NET trial page gives it ("contact our cancer
    # information nurses, Freephone 0808 800 4040"). Its opening hours are not in any source we
    # have, so none are shown unless HELPLINE_HOURS is set.
    "name": os.environ.get("HELPLINE_NAME", "Cancer Research UK's cancer information nurses"),
    "phone": os.environ.get("HELPLINE_PHONE", "0808 800 4040"),
    "hours": os.environ.get("HELPLINE_HOURS", ""),
}

INSTALLED_APPS = [
    "netinfo.apps.NetinfoAdminConfig",  # Django's admin, with our site (titles, URLs)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "axes",
    "netinfo",
    "treatments",
    "trials",
    "sitesearch",
    "benchmarks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "netinfo.middleware.PermissionsPolicyMiddleware",  # before the page cache: on its pages too
    "netinfo.caching.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "netinfo.middleware.FixedCSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "netinfo.caching.http.RevalidateMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "netinfo.urls"
WSGI_APPLICATION = "netinfo.wsgi.application"

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
                "netinfo.context_processors.site",
                "netinfo.context_processors.glossary",
            ],
        },
    },
]

# How long a request waits for the database before the friendly error page, in seconds: to
# connect, and for one statement (on SQLite, for another save to finish). Below gunicorn's
# 30-second worker timeout, so a hung database fails a request cleanly instead of a worker.
DB_CONNECT_TIMEOUT = int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
DB_STATEMENT_TIMEOUT = int(os.environ.get("DB_STATEMENT_TIMEOUT", "20"))

# SQLite by default; DATABASE_URL=postgres://user:pass@host:5432/name for PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASE = DATABASES["default"]
if DATABASE["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite for a web app: a transaction takes the write lock when it begins (IMMEDIATE), so
    # a second save waits its turn (the busy timeout), then sees the first one and meets the
    # edit guard, instead of failing with "database is locked". WAL lets pages be read while
    # someone saves.
    DATABASE["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": DB_STATEMENT_TIMEOUT,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
elif DATABASE["ENGINE"] == "django.db.backends.postgresql":
    DATABASE.setdefault("OPTIONS", {})
    DATABASE["OPTIONS"].setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
    DATABASE["OPTIONS"].setdefault("options", f"-c statement_timeout={DB_STATEMENT_TIMEOUT * 1000}")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Local memory by default; CACHE_URL=redis://host:6379/0 shares one cache between servers.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # Redis answers in milliseconds: a Redis that does not is down, and a request
            # should say so in seconds rather than wait for ever.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured("CACHE_URL must be a redis:// or rediss:// URL")
else:
    # One per process. Room for every page of the site and the common searches (about 40 KB
    # each); the default of 300 entries would keep dropping pages.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

# Failed logins are counted per account and per client address (django-axes, in the
# database): after LOGIN_FAILURE_LIMIT failures in a row either is locked for
# LOGIN_LOCKOUT_MINUTES. An administrator unlocks sooner under "Access attempts" in the admin,
# or with `manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "netinfo.editorial.lockout.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # keep failures only, not a record of every login
AXES_LOCKOUT_CALLABLE = "netinfo.editorial.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "netinfo.clients.client_address"
# How many proxies in front of the app servers append to X-Forwarded-For: the per-client
# limits (logins, feedback) then count the visitor's address, not the proxy's.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

# Sessions live in the database, so they work across several app servers without a cache.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Staff messages ("was changed successfully") live in the session: nothing to sign or read
# for a visitor who has none.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365 if not DEBUG else 0

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
LOGIN_URL = "admin:login"

# Security headers on every response. CSP forbids inline scripts and styles on every page
# (netinfo.middleware.FixedCSPMiddleware builds the header once).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Features no page uses, for this site and anything it embeds: an empty list allows no origin.
PERMISSIONS_POLICY = {"camera": [], "microphone": [], "geolocation": [], "interest-cohort": []}
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

if PRODUCTION:
    # Behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER=true so Django trusts
    # X-Forwarded-Proto; SECURE_SSL_REDIRECT=false lets the proxy do the redirect instead.
    if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_ENV=production")

# Email: approvers are told of changes waiting for review, editors of the answer
# (netinfo.editorial.pending). With EMAIL_HOST set, mail goes out by SMTP; without it, to the
# console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "NET Patient Information <webmaster@localhost>"
)

# Feedback ("Was this page helpful?"): how many a client may send per hour.
FEEDBACK_RATE_PER_HOUR = int(os.environ.get("FEEDBACK_RATE_PER_HOUR", "10"))
# How long a shared HTTP cache in front of the site may keep a public page (netinfo.caching.http).
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "60"))

# A trial's "open" or "opening soon" is shown as fact only if a registry check confirmed it
# within this many days (trials.status); older or missing checks say "Status not confirmed".
TRIAL_STATUS_MAX_AGE_DAYS = int(os.environ.get("TRIAL_STATUS_MAX_AGE_DAYS", "90"))

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").upper()
# One handler for the site's log, on the root logger. Django's own loggers lose their console
# handler and propagate to it, so each line is printed once. runserver's request lines
# ("django.server") keep their own handler and format, as in Django's default.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"hostile_requests": {"()": "netinfo.log_filters.HostileRequestsAsWarnings"}},
    "formatters": {
        "plain": {"format": "%(levelname)s %(name)s: %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["hostile_requests"],
            "formatter": "plain",
        },
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# ClinicalTrials.gov: the registry sync (manage.py sync_ctgov) and the admin's single-trial
# check (trials/registry/sync.py). Countries are comma-separated, as the registry names them.
CTGOV_API_URL = os.environ.get("CTGOV_API_URL", "https://clinicaltrials.gov/api/v2")
CTGOV_SYNC_COUNTRIES = env_list("CTGOV_SYNC_COUNTRIES", "United Kingdom")
CTGOV_TIMEOUT = float(os.environ.get("CTGOV_TIMEOUT", "30"))
CTGOV_SYNC_DELAY = float(os.environ.get("CTGOV_SYNC_DELAY", "1"))
CTGOV_SYNC_MAX_PAGES = int(os.environ.get("CTGOV_SYNC_MAX_PAGES", "50"))
CTGOV_SYNC_PAGE_SIZE = int(os.environ.get("CTGOV_SYNC_PAGE_SIZE", "100"))
CTGOV_RETRIES = int(os.environ.get("CTGOV_RETRIES", "4"))
CTGOV_BACKOFF = float(os.environ.get("CTGOV_BACKOFF", "2"))
# False on a server that cannot reach the internet: the admin then offers only file uploads.
CTGOV_ONLINE = env_bool("CTGOV_ONLINE", default=True)
