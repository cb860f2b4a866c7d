"""Settings shared by every environment. Differences come from environment variables (config/env.py)."""

from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, DATA_DIR, env

DEBUG = env.bool("ILP_DEBUG", default=False)

# Without an explicit key, one is generated once per data directory and kept there, so a fresh
# clone runs safely and sessions survive restarts; production sets ILP_SECRET_KEY.
_secret_file = DATA_DIR / "secret_key.txt"
if env.str("ILP_SECRET_KEY", default=""):
    SECRET_KEY = env.str("ILP_SECRET_KEY")
else:
    from django.core.management.utils import get_random_secret_key

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if not _secret_file.exists():
        _secret_file.write_text(get_random_secret_key())
    SECRET_KEY = _secret_file.read_text().strip()

ALLOWED_HOSTS = env.list("ILP_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("ILP_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the Swagger UI of /api/docs from its own static files, not a CDN
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ilp.core",
    "ilp.regions",
    "ilp.facilities",
    "ilp.accounts",
    "ilp.people",
    "ilp.lifecycle",
    "ilp.indicators",
    "ilp.planning",
    "ilp.interop",
    "ilp.api",
    "ilp.web",
    "ilp.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ilp.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ilp.core.middleware.RequestContextMiddleware",
    "ilp.accounts.middleware.ScopeMiddleware",
    # AxesMiddleware last: it turns a lockout raised by the backend into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "ilp.web.context_processors.ilp",
            ],
        },
    },
]

# SQLite (WAL) is the embedded default; production sets DATABASE_URL to PostgreSQL.
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'ilp.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web workers read while a loader writes; IMMEDIATE avoids lock upgrades.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username/IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("ILP_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("ILP_LOGIN_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/lockout.html"
AXES_VERBOSE = False

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = env.bool("ILP_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "ilp" / "locale"]
TIME_ZONE = env.str("ILP_TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request without it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("ILP_LOG_LEVEL", default="WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50

# Background work (imports, exports) is queued in the database and run by `db_worker`, which `ilp serve`
# starts next to gunicorn: no broker to install.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The task that consumes change marks (`ilp.core.changes`): the incremental indicator refresh.
# Empty: no automatic refresh (run `ilp indicators refresh --stale` instead).
ILP_CHANGE_CONSUMER = env.str("ILP_CHANGE_CONSUMER", default="ilp.indicators.tasks.refresh_stale_task")

# The DHIS2 mapping file (JSON: data elements per indicator, org units per area; see
# docs/dhis2-mapping.example.json) the PWS DHIS2 export uses. Empty: the export says it is not set up.
ILP_DHIS2_MAPPING = env.str("ILP_DHIS2_MAPPING", default="")
