"""Django settings: nothing here but the translation of nuso.config into Django's names.

All values come from the environment through nuso.config, which validates them; this module
has no side effects (the `nuso` command prepares the embedded data directory before Django
starts).
"""

from __future__ import annotations

from pathlib import Path

import django_stubs_ext

from nuso import config

# Lets admin classes be written ModelAdmin[Model] for the type checker.
django_stubs_ext.monkeypatch()

CONFIG = config.load()
NUSO_DATA_DIR = CONFIG.data_dir
NUSO_PSEUDONYM_KEY = CONFIG.pseudonym_key
NUSO_MIN_CELL_COUNT = CONFIG.min_cell_count
NUSO_IMPORT_WORKERS = CONFIG.import_workers
NUSO_IMPORT_LIMITS = CONFIG.import_limits
NUSO_API_CALLS_PER_MINUTE = CONFIG.api_calls_per_minute
BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "nuso.web",  # before two_factor: our templates replace its Bootstrap/CDN base
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    "nuso.accounts",
    "nuso.units",
    "nuso.studies",
    "nuso.intake",
    "nuso.collection",
    "nuso.api",
    "nuso.audit",
    "nuso.portal",
    "nuso.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "nuso.web.sessions.ActivitySessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "nuso.web.security.PortalLanguageMiddleware",  # after auth: a user's country decides
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "nuso.web.security.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out users before checking
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "portal:start"
LOGOUT_REDIRECT_URL = "two_factor:login"
TWO_FACTOR_PATCH_ADMIN = False  # the admin is wrapped in OTP below (nuso.urls)
# Lockout (django-axes): five failures for the same user name from the same address lock that
# combination for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False

ROOT_URLCONF = "nuso.urls"
WSGI_APPLICATION = "nuso.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

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
            ],
        },
    },
]


def database_settings(database: dict[str, object]) -> dict[str, object]:
    """Engine-specific tuning on top of what DATABASE_URL says."""
    tuned = dict(database)
    options = dict(tuned.get("OPTIONS") or {})  # type: ignore[call-overload]
    if config.is_sqlite(tuned):
        # WAL lets the web app read while an import writes; IMMEDIATE avoids lock upgrades
        # failing mid-transaction; the timeout waits out a writer instead of erroring.
        options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", 30)
    else:
        tuned["CONN_MAX_AGE"] = 60
        tuned["CONN_HEALTH_CHECKS"] = True
    tuned["OPTIONS"] = options
    return tuned


DATABASES = {"default": database_settings(CONFIG.database)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("sv", "Svenska"), ("en", "English"), ("nb", "Norsk bokmål")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT: Path | None = NUSO_DATA_DIR / "static"
if STATIC_ROOT is not None and STATIC_ROOT.is_dir():
    # A server ran `nuso manage collectstatic`: hashed, compressed, cached-forever files.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
else:
    # A laptop: serve the files straight from the packages, no build step.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = DEBUG
    STATIC_ROOT = None

# After new data the portal shows the earlier tables while the current ones are computed in
# a background thread (nuso.analysis.service.portal_tables); the tests compute them at once.
NUSO_TABLES_IN_BACKGROUND = True

# A row download in Excel or SPSS of more rows than this is prepared in the background, with a
# page that offers the file when it is ready (nuso.portal.prepared): written within a request
# it would hold a web worker (the nation's 440 000 referral rows take seconds). 20 000 rows of
# Excel are written in about half a second. Prepared files are kept an hour.
NUSO_ROWS_AT_ONCE = 20_000
NUSO_PREPARED_DOWNLOADS_KEEP = 60 * 60

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60  # an hour without activity logs the user out
SESSION_SAVE_EVERY_REQUEST = False  # ... counted from the last request, to the minute:
# nuso.web.sessions.ActivitySessionMiddleware saves the session once per minute of activity
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
if CONFIG.https:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True  # allows the domain's owner to submit it to browsers' list
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": CONFIG.log_level},
    "loggers": {"django": {"level": "WARNING" if CONFIG.log_level != "DEBUG" else "DEBUG"}},
}
