"""One settings module for every environment.

Everything comes from the environment (django-environ). The defaults make the *embedded* set-up
work with no environment at all: SQLite, a Celery broker on the file system (no server), mail
written to files. Production differs only by environment values (see `.env.example`).
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("ROUTETOOL_VAR_DIR", default=str(BASE_DIR / "var")))

# The embedded default keeps its database, broker queue, mail and files here.
for sub in ("", "mail", "media", "static", "broker/queue", "broker/processed", "broker/control"):
    (VAR_DIR / sub).mkdir(parents=True, exist_ok=True)

env = environ.FileAwareEnv(
    DEBUG=(bool, False),
    MFA_REQUIRED=(bool, True),
)
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(env_file)

DEBUG = env("DEBUG")
# The embedded default needs a key to start; production must set SECRET_KEY (or SECRET_KEY_FILE).
SECRET_KEY = env.str("SECRET_KEY", default="embedded-only-insecure-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "config.admin.RoutetoolAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "import_export",
    "auditlog",
    "csp",
    "django_htmx",
    "coalitie",
    "plaatsingen",
    "routetool",
    "rapportage",
]

MIDDLEWARE = [
    "config.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "coalitie.middleware.MFARequiredMiddleware",
    "coalitie.middleware.DeelnemerPoortMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "coalitie.context_processors.navigatie",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'routetool.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and scheduler share the file: wait for locks instead of failing, and take the
    # write lock at the start of a transaction so select_for_update-style services serialise.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # PostgreSQL's JIT compiles any query whose cost estimate is high (the signal counts over
    # 100,000 placements): ~800 ms of compiling for ~300 ms of work. Our queries are short.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "coalitie.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "coalitie.wachtwoord.MinimaleLengte",  # Django's nl text for this one is English
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Login (django-allauth) -----------------------------------------------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "tedoen"  # every role starts on its Te doen page
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # a beheerder invites a known address; no self sign-up
ACCOUNT_ADAPTER = "coalitie.adapters.AccountAdapter"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Routetool] "
# Failed logins: the account is locked after a few (per e-mail address, "key"); the per-IP limit
# is far higher, because a whole school shares one NAT address and one colleague's typos must
# not lock out the others. Both lockouts are logged (coalitie.adapters).
LOGIN_LIMIET_ACCOUNT = env.str("LOGIN_LIMIET_ACCOUNT", default="5/5m")
LOGIN_LIMIET_IP = env.str("LOGIN_LIMIET_IP", default="300/5m")
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{LOGIN_LIMIET_ACCOUNT}/key,{LOGIN_LIMIET_IP}/ip",
    # All login attempts, also good ones: allauth's 30/m per IP would refuse a school's staff
    # arriving at 08:30 behind one address.
    "login": "1000/m/ip",
}
# allauth counts failed logins in the cache. With several web workers the count must be shared:
# production sets CACHE_URL (e.g. rediscache://redis:6379/1); the default counts per process.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
MFA_ADAPTER = "coalitie.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Routetool"
# Accept the code of the 30 s step before and after the current one (RFC 6238 §5.2): a code typed
# in its last seconds, or a phone clock a little off, is not refused. allauth refuses a code
# used once already, so the wider window gives no replay.
MFA_TOTP_TOLERANCE = 1
# Our own switch: every account must have TOTP before it can use the app (coalitie.middleware).
MFA_REQUIRED = env("MFA_REQUIRED")

# Idle timeout: the session lives 30 minutes and every request renews it.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# ROUTETOOL_ENV=production is production mode: it refuses to start without its required
# settings (end of this file) and turns HTTPS-only defaults on, so that `check --deploy` passes
# with nothing else set; each default can still be overridden on its own.
ROUTETOOL_ENV = env.str("ROUTETOOL_ENV", default="embedded")
PRODUCTIE = ROUTETOOL_ENV == "production" and not DEBUG
# Demo data, generator and benchmarks (`tools/`) are for development and the demo only.
if not PRODUCTIE:
    INSTALLED_APPS.append("tools")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTIE)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=PRODUCTIE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads the cookie; forms carry the token
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if PRODUCTIE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Strict CSP (django-csp 4): no inline scripts or styles anywhere, nothing from other origins.
# allauth's TOTP page shows its QR code as a data: URI <img>, hence `data:` for images only.
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
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Locale ---------------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
# allauth's Dutch in the "u" form, "tweestapsverificatie" (scripts/i18n/allauth-nl.sh).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "d-m-Y"
SHORT_DATE_FORMAT = "d-m-Y"
DATETIME_FORMAT = "d-m-Y H:i"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
DATE_INPUT_FORMATS = ["%d-%m-%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["config.formats"]

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media-niet-publiek/"  # files are served only through views that check access
FILE_STORAGE = env.str("FILE_STORAGE", default="django.core.files.storage.FileSystemStorage")
_file_options: dict = {}
if FILE_STORAGE == "storages.backends.s3.S3Storage":
    # Any S3-compatible store (MinIO, Ceph, a cloud's object storage): private objects,
    # signed short-lived URLs, never overwrite. Downloads still go through our views.
    _file_options = {
        "bucket_name": env.str("S3_BUCKET"),
        "endpoint_url": env.str("S3_ENDPOINT_URL", default=None),
        "access_key": env.str("S3_ACCESS_KEY", default=None),
        "secret_key": env.str("S3_SECRET_KEY", default=None),
        "region_name": env.str("S3_REGION", default=None),
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
    }
STORAGES = {
    "default": {"BACKEND": FILE_STORAGE, "OPTIONS": _file_options},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE", default="django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
UPLOAD_MAX_MB = env.int("UPLOAD_MAX_MB", default=20)
# Imports: at most this many rows per file, and an XLSX may unpack to at most this many MB
# (checked on the zip's directory before anything is read: a zip bomb never reaches memory).
IMPORT_MAX_RIJEN = env.int("IMPORT_MAX_RIJEN", default=300_000)
IMPORT_XLSX_MAX_UITGEPAKT_MB = env.int("IMPORT_XLSX_MAX_UITGEPAKT_MB", default=250)
# An import whose worker gave no sign of life for this long is marked failed (re-runnable).
IMPORT_VASTGELOPEN_MINUTEN = env.int("IMPORT_VASTGELOPEN_MINUTEN", default=30)
# An XLSX (a ZIP) may unpack to at most this much: refuses zip bombs before anything reads them.
UPLOAD_MAX_UITGEPAKT_MB = env.int("UPLOAD_MAX_UITGEPAKT_MB", default=200)
# Small uploads in memory; anything else to a temporary file holding at most UPLOAD_MAX_MB.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "coalitie.uploads.BegrensdeUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Routetool <noreply@routetool.localhost>"
)

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    # Embedded default: a broker that is just a folder, so the demo needs no server.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        # Broadcast/control messages; kombu's default is ./control in the working directory.
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
if REDIS_URL:
    # A retry waiting for its countdown is an unacknowledged message; Redis hands it to another
    # worker after this timeout. Longer than the longest mail retry wait (MAIL_HERHALEN_MAX).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
# Monthly-list mail with the SMTP server down: retries doubling from 1 minute to at most an hour
# apart for 24 hours, then the beheerders get a melding in the app (rapportage.tasks).
MAIL_HERHALEN_EERSTE = env.float("MAIL_HERHALEN_EERSTE", default=60.0)
MAIL_HERHALEN_MAX = env.float("MAIL_HERHALEN_MAX", default=3600.0)
MAIL_HERHALEN_TOTAAL = env.float("MAIL_HERHALEN_TOTAAL", default=24 * 3600.0)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 15 * 60
CELERY_TASK_TIME_LIMIT = 20 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    # Placeholder entries are added by the apps' issues; every periodic job lives here.
    # Weekly digest of open route signals to every procesregisseur: Monday 07:00, before the
    # working week starts. Counts and a link only, never names.
    "routetool-wekelijks-signalenoverzicht": {
        "task": "routetool.tasks.wekelijks_signalenoverzicht",
        "schedule": crontab(minute=0, hour=7, day_of_week=1),
    },
    # "Acties op tijd" counters (rapportage.actietellers): fold the day's delta rows into one
    # row per key at 03:10, before retention; the figures do not change, the table stays small.
    "rapportage-actietellers-samenvoegen": {
        "task": "rapportage.tasks.actietellers_samenvoegen",
        "schedule": crontab(minute=10, hour=3),
    },
    # Retention (AVG): anonymise pupils whose routes closed > RETENTIE_MAANDEN ago; 03:30 is
    # after the nightly imports and before anyone works. Idempotent, so a rerun is harmless.
    "retentie-uitvoeren": {
        "task": "coalitie.tasks.retentie_uitvoeren",
        "schedule": crontab(hour=3, minute=30),
    },
    # Maandlijsten: on the 1st of each month at 06:00 (CELERY_TIMEZONE, Europe/Amsterdam) every
    # SWV gets its list of the previous month; one task per SWV, each made and mailed once.
    # Imports whose worker was killed mid-way end failed (and re-runnable), never stuck.
    "import-vastgelopen-opruimen": {
        "task": "plaatsingen.tasks.import_vastgelopen_opruimen",
        "schedule": crontab(minute="*/5"),
    },
    "maandlijsten-vorige-maand": {
        "task": "rapportage.tasks.maandlijsten_vorige_maand",
        "schedule": crontab(minute=0, hour=6, day_of_month=1),
    },
    # Coalitiemonitor of the half year just ended, per coalition: 1 January and 1 July at
    # 05:00; one per coalition and period (a rerun finds it made), penvoerder told in the app.
    "coalitiemonitor-halfjaar": {
        "task": "rapportage.tasks.monitors_halfjaar",
        "schedule": crontab(minute=0, hour=5, day_of_month=1, month_of_year="1,7"),
    },
    # Meldingen "actie te laat": every morning at 06:30, before the working day; each action is
    # reported once (its sleutel), so a rerun or a missed day does no harm.
    "routetool-te-laat-melden": {
        "task": "routetool.tasks.te_laat_melden",
        "schedule": crontab(minute=30, hour=6),
    },
}

# --- Logging: JSON lines with a request id; no personal data, ever (ids only) ---------------
LOG_FORMAT = env.str("LOG_FORMAT", default="json")  # "json" or "plain"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "config.logs.RequestIdFilter"},
        # The guard: no exception message, Celery exception repr or query string in any line.
        "privacy": {"()": "config.logs.GeenPersoonsgegevensFilter"},
    },
    "formatters": {
        "json": {"()": "config.logs.JsonFormatter"},
        "plain": {
            "()": "config.logs.PlainFormatter",
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT if LOG_FORMAT in ("json", "plain") else "json",
            "filters": ["request_id", "privacy"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's request logger would put the full URL with query string in the message.
        "django.request": {"level": "ERROR"},
    },
}

# --- Domain settings ------------------------------------------------------------------------
RETENTIE_MAANDEN = env.int("RETENTIE_MAANDEN", default=24)

# --- Audit log (django-auditlog): every change old -> new, with actor and IP ----------------
# Password hashes and login times are not "changes to data" and must not be copied into a log.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    "plaatsingen.leerling",
    # gewijzigd_op changes on every save: logging it would turn every save into an entry. The
    # signal fields are derived from the actions (routetool.signaalvelden), not data of their own.
    {
        "model": "plaatsingen.plaatsing",
        "exclude_fields": [
            "gewijzigd_op",
            "termijn_fase",
            "termijn_bevestigen",
            "termijn_stamschool",
            "laatste_nazorg_antwoord",
            "perspectief_gedaan",
        ],
    },
    {"model": "coalitie.user", "exclude_fields": ["password", "last_login"]},
    "coalitie.lidmaatschap",
    "coalitie.coalitie",
    "coalitie.samenwerkingsverband",
    "coalitie.instellingsschool",
    "coalitie.locatie",
    "coalitie.school",
    # Who completed, skipped or reopened an action (a reopening keeps its reason in `notitie`).
    {"model": "routetool.actie", "include_fields": ["status", "gedaan_door", "notitie"]},
)
DEMO_MODE = env.bool("DEMO_MODE", default=False)

# --- Production mode refuses to start without its required settings (config/productie.py) ---
if ROUTETOOL_ENV == "production":
    from config.productie import controleer as _controleer_productie

    _controleer_productie(
        debug=DEBUG,
        secret_key=env.str("SECRET_KEY", default=None),
        allowed_hosts=env.list("ALLOWED_HOSTS", default=None),
        database_engine=DATABASES["default"]["ENGINE"],
        database_url_gezet=bool(env.str("DATABASE_URL", default="")),
        email_backend=EMAIL_BACKEND,
        email_host=env.str("EMAIL_HOST", default=None),
    )
