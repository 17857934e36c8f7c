"""Django settings for HienMau.

Everything that differs between a laptop and production comes from environment
variables, parsed strictly (see `hienmau.env`). With no variables at all the app runs
locally on SQLite in `var/`.
"""

import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from hienmau.env import env_bool, env_int, env_list, env_proxies, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
# var/ holds everything a local run writes: database, secret key, collected static.
VAR_DIR = Path(env_str("HIENMAU_VAR_DIR", str(PACKAGE_DIR.parent.parent / "var")))


def _local_secret_key() -> str:
    """A random key kept in var/ so sessions survive restarts without a key in the code."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY") or _local_secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "treebeard",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "hienmau.accounts",
    "hienmau.orgs",
    "hienmau.plans",
    "hienmau.donors",
    "hienmau.drives",
    "hienmau.reports",
    "hienmau.honors",
    "hienmau.outreach",
    "hienmau.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hienmau.middleware.ContentSecurityPolicyMiddleware",
    "hienmau.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "hienmau.urls"
WSGI_APPLICATION = "hienmau.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hienmau.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hienmau.sqlite3'}"),
        # Persistent connections: measured ~10x more requests/s on PostgreSQL
        # (docs/architecture.md §6).
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers share one SQLite file: wait for locks instead of failing.
    # WAL lets readers go on while one writes; synchronous=NORMAL is durable under WAL
    # except for the last commits at a power cut; a 64 MB page cache keeps the indexes a
    # 100.000-row import writes into (random UUIDs and references) in memory.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20, "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                        "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"}

elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: PostgreSQL compiles a query when its estimated cost is high, and a report
    # summing JSON columns is estimated a hundred times too large (jsonb_each is assumed
    # to give 100 rows); compiling took 220 of its 500 ms (tests/bench/bench_reports.py).
    # The queries here are short; none gains from JIT.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["hienmau.accounts.backends.UsernameOrEmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed logins allowed per account, whether typed as its username or its e-mail (and,
# more loosely, per client address, see TRUSTED_PROXIES) before the login form refuses
# to check passwords for LOGIN_LOCKOUT_SECONDS.
LOGIN_FAILURES_PER_USERNAME = env_int("LOGIN_FAILURES_PER_USERNAME", 5)
LOGIN_FAILURES_PER_IP = env_int("LOGIN_FAILURES_PER_IP", 20)
# The public sign-up page: sign-ups per client IP per hour, per phone number per day.
PUBLIC_SIGNUPS_PER_IP_HOUR = env_int("PUBLIC_SIGNUPS_PER_IP_HOUR", 20)
PUBLIC_SIGNUPS_PER_PHONE_DAY = env_int("PUBLIC_SIGNUPS_PER_PHONE_DAY", 3)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)

# The login throttle needs a cache that all worker processes share; a file cache
# does that on one machine with nothing to install. Large deployments set REDIS_URL.
if env_str("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": env_str("REDIS_URL")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache")}}

# Vietnamese is the source language of every string; English is the translation.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
# Django's own `vi` formats leave DATE_INPUT_FORMATS unset, so "05/06/2025" would be
# read month-first. Our format modules fix that (tests/test_formats.py pins it).
FORMAT_MODULE_PATH = ["hienmau.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# HTTPS in production (`python -m hienmau check --deploy` is clean with them set); off by
# default so `./dev start` keeps working on http://127.0.0.1.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

# The reverse proxies in front of the app: a number (that many proxies, each appending to
# X-Forwarded-For) or their addresses/networks. None by default: the client is
# REMOTE_ADDR and X-Forwarded-For, which anyone can send, is ignored. Every rate limit and
# the login lockout count per client address (hienmau.ratelimit.client_ip).
TRUSTED_PROXIES = env_proxies("TRUSTED_PROXIES")
if TRUSTED_PROXIES:
    # The proxy terminates TLS and says so; only then is the header believed.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Background work (large imports): rows in the database, run by `python -m hienmau
# db_worker` (./dev start runs one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A registration list longer than this is checked and imported by the worker, with a
# progress bar; shorter ones within the request.
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 2000)

# E-mail: Django's backends. Locally the console; in production
# EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with the SMTP server's settings.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "HienMau <hienmau@localhost>")

# Messages to donors (hienmau.outreach). The address people's links point to.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# SMS through an HTTP gateway (outreach/channels/sms.py); without a URL, SMS are written
# to var/outbox/ instead of sent (local use).
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN")
SMS_SENDER = env_str("SMS_SENDER", "HIENMAU")
# The keyword people text back to stop SMS, and the number they text it to.
SMS_OPT_OUT_KEYWORD = env_str("SMS_OPT_OUT_KEYWORD", "TC")
SMS_OPT_OUT_NUMBER = env_str("SMS_OPT_OUT_NUMBER")
# Zalo Official Account (ZNS) messages by phone number (outreach/channels/zalo.py).
ZALO_API_URL = env_str("ZALO_API_URL")
ZALO_ACCESS_TOKEN = env_str("ZALO_ACCESS_TOKEN")
ZALO_TEMPLATE_ID = env_str("ZALO_TEMPLATE_ID")
# Delivery callbacks and inbound SMS must carry this token, in the X-Hienmau-Token header
# only (a query string ends up in access logs).
OUTREACH_CALLBACK_TOKEN = env_str("OUTREACH_CALLBACK_TOKEN")
# No message leaves between these hours (local time); it waits for the morning.
OUTREACH_QUIET_FROM_HOUR = env_int("OUTREACH_QUIET_FROM_HOUR", 21)
OUTREACH_QUIET_UNTIL_HOUR = env_int("OUTREACH_QUIET_UNTIL_HOUR", 7)
# At most this many messages to one donor in 7 days, whatever their kind.
OUTREACH_MAX_PER_WEEK = env_int("OUTREACH_MAX_PER_WEEK", 2)
OUTREACH_MAX_ATTEMPTS = env_int("OUTREACH_MAX_ATTEMPTS", 5)
# Invitations go out this many days before a drive; the daily job runs at this hour.
OUTREACH_INVITE_DAYS_AHEAD = env_int("OUTREACH_INVITE_DAYS_AHEAD", 14)
OUTREACH_DAILY_HOUR = env_int("OUTREACH_DAILY_HOUR", 8)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
