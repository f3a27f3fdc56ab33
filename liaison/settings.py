"""Settings, read from the environment.

With nothing set the product runs embedded: SQLite, no Redis (Celery tasks run
in-process), DEBUG off (``DEBUG=1`` asks for it) and a secret generated once into
``.secret_key``. ``DJANGO_ENV=production`` switches to the hardened mode that passes
``manage.py check --deploy`` and requires ``SECRET_KEY``, ``DATABASE_URL``, ``REDIS_URL``
(or ``REDIS_SENTINELS``) and ``ALLOWED_HOSTS``. A variable that is set but empty, or that
does not parse, stops the start with a message naming it (``ImproperlyConfigured``).
"""

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from liaison.environment import env, env_bool, env_list, env_number, env_required
from liaison.redis_target import redis_target

BASE_DIR = Path(__file__).resolve().parent.parent


# GENERAL
PRODUCTION = env("DJANGO_ENV") == "production"
if env("DJANGO_ENV") not in {"", "production", "development"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be production or unset: {env('DJANGO_ENV')!r}")
# Off unless asked for: a deployment that forgets DJANGO_ENV shows no tracebacks.
DEBUG = env_bool("DEBUG", default=False)
if DEBUG and PRODUCTION:
    raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")


def _secret_key() -> str:
    if key := env("SECRET_KEY"):
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
    # Generated once so that sessions survive a restart of the embedded server.
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# DATABASES
# Unset runs on SQLite (embedded); set, it must be a URL (production requires it).
_DATABASE_URL = env_required(
    "DATABASE_URL",
    None if PRODUCTION else f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    hint="a URL such as postgres://user:password@host:5432/name",
    production=PRODUCTION,
)
try:
    DATABASES = {
        "default": dj_database_url.parse(
            _DATABASE_URL,
            conn_max_age=env_number("CONN_MAX_AGE", "60"),
            conn_health_checks=True,
        )
    }
except ValueError as error:  # dj-database-url's UnknownSchemeError is a ValueError
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a database URL ({error}): use postgres://user:password@host/name"
    ) from None
# Bounded waits: a connection attempt gives up after DATABASE_CONNECT_TIMEOUT seconds and
# a statement after DATABASE_STATEMENT_TIMEOUT milliseconds (0: no limit, e.g. for a long
# migration), so that a stuck database frees the web workers instead of holding them.
DATABASE_CONNECT_TIMEOUT = env_number("DATABASE_CONNECT_TIMEOUT", "3")
DATABASE_STATEMENT_TIMEOUT = env_number("DATABASE_STATEMENT_TIMEOUT", "30000")
# Parameters bound by the server, and a statement a connection has run this many times
# prepared there (0: at once; "off": never, e.g. behind a pgbouncer older than 1.21 in
# transaction mode): a staff page runs the same few statements on every request, and
# PostgreSQL planned each afresh, a case page's six-table join 1.2 ms of its 1.5 ms.
DATABASE_PREPARE_THRESHOLD = (
    None
    if env("DATABASE_PREPARE_THRESHOLD").lower() == "off"
    else env_number("DATABASE_PREPARE_THRESHOLD", "5")
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": DATABASE_CONNECT_TIMEOUT,
            "options": f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT}",
            "server_side_binding": True,
            "prepare_threshold": DATABASE_PREPARE_THRESHOLD,
        }
    )
# A PostgreSQL streaming read replica, when DATABASE_REPLICA_URL names one: the public
# pages and the reports read from it, everything else (writes, reads in a transaction,
# reads after a write) from DATABASE_URL (liaison/base/replica.py, docs/scaling.md).
# Tests run on one database: the replica mirrors default there.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
DATABASE_REPLICA_ALIAS = "replica" if DATABASE_REPLICA_URL else ""
if DATABASE_REPLICA_URL:
    try:
        DATABASES["replica"] = dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        )
    except ValueError as error:
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URL is not a database URL ({error}): "
            "use postgres://user:password@replica-host/name"
        ) from None
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a replica of DATABASE_URL.")
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["liaison.base.replica.ReplicaRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row locks: IMMEDIATE takes the write lock when a transaction
    # starts, so the web server and the sweep loop of the embedded mode never
    # both claim one outbox row.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# APPS
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "liaison.base",
    "representatives",
    "stations",
    "suggestions",
    "duty",
    "projects",
    "figures",
    "workarea",
    "liaison.wiring",
]

# MIDDLEWARE
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CSP, Permissions-Policy, no-store on personal data (liaison/base/security_headers.py).
    "liaison.base.security_headers.SecurityHeadersMiddleware",
    # Serves the static files without DEBUG (gunicorn, or `make run`), before anything
    # that could need the database.
    "liaison.base.static.StaticFilesMiddleware",
    # The maintenance switch and the 503 page when the database is out (liaison/base/errors.py).
    "liaison.base.errors.ServiceUnavailableMiddleware",
    # Whole public pages for anonymous visitors, from the cache, before the session, locale
    # and auth middleware do any work (liaison/base/public_cache.py).
    "liaison.base.public_cache.PublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Control characters in the query, form fields, cookies or headers: a 400 before any view.
    "liaison.base.input_guard.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # With a read replica, the public pages' and the reports' reads go to it.
    "liaison.base.replica.ReplicaReadsMiddleware",
    # Administrators and committee staff enrol a second factor before anything else.
    "liaison.wiring.staff.two_factor.EnrolmentRequiredMiddleware",
    "liaison.base.idle.IdleLogoutMiddleware",
    # An expired password opens only the password change page.
    "liaison.base.passwords.PasswordExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # API writes with an Idempotency-Key and staff forms sent twice are made once.
    "liaison.base.idempotency.IdempotencyMiddleware",
]
# Outside production the files are served from the source folders, uncollected.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

ROOT_URLCONF = "liaison.wiring.urls"
WSGI_APPLICATION = "liaison.wsgi.application"

# TEMPLATES
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
            ],
        },
    },
    {
        # Compiled fragments (jinja2/): the frames of every page (liaison/base/frames.py)
        # and the long lists' rows (the ``compiled`` tag of liaison/wiring/templatetags/
        # staff.py). The pages themselves stay in the template language.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "liaison.base.jinja.environment"},
    },
]

# AUTHENTICATION
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# ModelBackend with the user of each request read by SQL built once (liaison/base/auth.py).
AUTHENTICATION_BACKENDS = ["liaison.base.auth.UserBackend"]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"

# THE PUBLIC SITE'S FOOTER: the congress that runs it, its phone, its ICP filing number.
SITE_CONGRESS_NAME = env("SITE_CONGRESS_NAME")
SITE_CONTACT_PHONE = env("SITE_CONTACT_PHONE")
SITE_ICP_NUMBER = env("SITE_ICP_NUMBER")

# STATIC AND MEDIA
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Files only staff in scope may read (activities' photos and documents): outside
# MEDIA_ROOT, so neither the proxy nor the development server ever serves them directly.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
# Behind nginx: the internal location that serves the private storage once a view has
# checked the user's scope (X-Accel-Redirect; deploy/nginx.conf): /_private/ for
# PRIVATE_MEDIA_ROOT, /_private_s3/ for a bucket (the proxy fetches the object with a
# short-lived signed URL). Unset: Django streams the file itself.
PRIVATE_MEDIA_INTERNAL_URL = env("PRIVATE_MEDIA_INTERNAL_URL")
# Or the private files in an S3-compatible object store (MinIO in docker-compose.yml)
# through django-storages, when PRIVATE_MEDIA_S3_BUCKET names its bucket:
#   PRIVATE_MEDIA_S3_ENDPOINT_URL    the store, e.g. http://minio:9000 (unset: AWS S3)
#   PRIVATE_MEDIA_S3_ACCESS_KEY_ID, PRIVATE_MEDIA_S3_SECRET_ACCESS_KEY
#                                    the app's keys (unset: boto3's own chain: AWS_*, a role)
#   PRIVATE_MEDIA_S3_REGION          the region the requests are signed for (us-east-1)
#   PRIVATE_MEDIA_S3_PREFIX          a folder inside the bucket (none)
#   PRIVATE_MEDIA_S3_URL_SECONDS     how long a signed URL handed to the proxy lives (60)
# Objects are written private and never overwritten; the bucket is never public: a file
# reaches a browser only through the view that checked scope.
PRIVATE_MEDIA_S3_BUCKET = env("PRIVATE_MEDIA_S3_BUCKET")
PRIVATE_MEDIA_S3_URL_SECONDS = env_number("PRIVATE_MEDIA_S3_URL_SECONDS", "60")
_PRIVATE_FILES = {"location": PRIVATE_MEDIA_ROOT, "base_url": None}
_PRIVATE_STORAGE = "django.core.files.storage.FileSystemStorage"
if PRIVATE_MEDIA_S3_BUCKET:
    _PRIVATE_STORAGE = "storages.backends.s3.S3Storage"
    _PRIVATE_FILES = {
        "bucket_name": PRIVATE_MEDIA_S3_BUCKET,
        "endpoint_url": env("PRIVATE_MEDIA_S3_ENDPOINT_URL") or None,
        "region_name": env("PRIVATE_MEDIA_S3_REGION", "us-east-1"),
        "location": env("PRIVATE_MEDIA_S3_PREFIX").strip("/"),
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": PRIVATE_MEDIA_S3_URL_SECONDS,
        "signature_version": "s3v4",
        # bucket/key in the path, not in the host name: MinIO's default, and the proxy's
        # internal location forwards a path to one fixed host.
        "addressing_style": "path",
        # Two ledgers of the same name must not replace each other.
        "file_overwrite": False,
    }
    if env("PRIVATE_MEDIA_S3_ACCESS_KEY_ID"):
        _PRIVATE_FILES["access_key"] = env("PRIVATE_MEDIA_S3_ACCESS_KEY_ID")
        _PRIVATE_FILES["secret_key"] = env_required(
            "PRIVATE_MEDIA_S3_SECRET_ACCESS_KEY",
            hint="the secret of PRIVATE_MEDIA_S3_ACCESS_KEY_ID",
        )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": _PRIVATE_STORAGE, "OPTIONS": _PRIVATE_FILES},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# FIGURES
# The yearly assessment of units (年度考核): weight of each rate, in points.
FIGURES_ASSESSMENT_WEIGHTS = {"on_time": 40, "satisfaction": 40, "completion": 20}
# A ledger of more rows than this is written in the background, with its progress shown.
FIGURES_LEDGER_INLINE_ROWS = 5000

# REDIS, CACHE AND CELERY
# One Redis at REDIS_URL, or (REDIS_SENTINELS, REDIS_SENTINEL_MASTER) the primary that
# Redis Sentinels name, followed through a failover: the cache, the broker and /healthz
# all reach Redis through this one REDIS (liaison/redis_target.py, docs/scaling.md).
REDIS = redis_target(production=PRODUCTION)
# The single URL, or "" with Sentinels or without Redis; ``REDIS`` is false without Redis.
REDIS_URL = REDIS.url
# Bounded waits on Redis, in seconds: a stopped or hung Redis costs a request at most
# this long, and then the cache and the publishing of tasks step aside for
# REDIS_RETRY_SECONDS (liaison/base/cache.py, liaison/base/tasks.py). With Sentinels they
# also bound each question to a Sentinel.
REDIS_CONNECT_TIMEOUT = env_number("REDIS_CONNECT_TIMEOUT", "1", float)
REDIS_SOCKET_TIMEOUT = env_number("REDIS_SOCKET_TIMEOUT", "1", float)
REDIS_RETRY_SECONDS = env_number("REDIS_RETRY_SECONDS", "3", float)
_REDIS_TIMEOUTS = {
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
}
if REDIS:
    # Fails open: while Redis is unreachable every cached read is computed, against a
    # local in-memory cache of this process (liaison/base/cache.py).
    CACHES = {"default": REDIS.cache("liaison.base.cache.FailOpenRedisCache", **_REDIS_TIMEOUTS)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# What the public rate limits do while the cache is down (liaison/base/ratelimit.py):
# "local" counts in each web process's memory (limits per process, not per site), "closed"
# refuses the rate-limited forms and API calls with a polite 503 until the cache is back.
RATELIMIT_WHEN_CACHE_DOWN = env("RATELIMIT_WHEN_CACHE_DOWN", "local")
if RATELIMIT_WHEN_CACHE_DOWN not in {"local", "closed"}:
    raise ImproperlyConfigured(
        f"RATELIMIT_WHEN_CACHE_DOWN must be local or closed: {RATELIMIT_WHEN_CACHE_DOWN!r}"
    )

# The in-memory transport named with a host: without one kombu warns on every start.
CELERY_BROKER_URL = REDIS.broker_url if REDIS else "memory://localhost/"
CELERY_RESULT_BACKEND = None
# Without a broker the embedded mode runs every task in-process, so nothing waits.
CELERY_TASK_ALWAYS_EAGER = not REDIS
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# At-least-once delivery: a task is acknowledged only after it ran, and tasks are idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
# Must exceed the longest task, or Redis hands an unacknowledged task to a second worker.
# The socket timeouts bound a publish to a stopped or hung Redis (see REDIS_* above).
# With Sentinels: the primary's name and how to ask them (REDIS.broker_transport_options).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 60 * 60,
    **_REDIS_TIMEOUTS,
    **REDIS.broker_transport_options(**_REDIS_TIMEOUTS),
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
# A request publishes once and moves on: the outbox's per-minute delivery catches up
# what a failed publish left pending (liaison/base/tasks.py, publish_after_commit).
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
# The daily sweeps and their times (Asia/Shanghai) are defined in liaison/celery.py.

# NOTIFICATIONS
# SMS_BACKEND: "console" (the log, or SMS_FILE_PATH as JSON lines), "http" (a gateway
# at SMS_GATEWAY_URL) or the dotted path of an SmsBackend subclass.
SMS_BACKEND = env("SMS_BACKEND", "console")
SMS_FILE_PATH = env("SMS_FILE_PATH")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN")
SMS_GATEWAY_TIMEOUT = env_number("SMS_GATEWAY_TIMEOUT", "10", float)
# One connection to the gateway for a delivery run's messages (sms.HttpGatewaySmsBackend);
# off: one per message, for a gateway that answers slowly on a kept connection.
SMS_GATEWAY_KEEP_ALIVE = env_bool("SMS_GATEWAY_KEEP_ALIVE", True)
# The public address the SMS to a constituent links to (their case's status page).
PUBLIC_SITE_URL = env("PUBLIC_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
NOTIFY_BATCH_SIZE = env_number("NOTIFY_BATCH_SIZE", "500")
NOTIFY_PARALLEL_TASKS = env_number("NOTIFY_PARALLEL_TASKS", "4")
# Workers the beat's escalation sweep may ask to sweep beside it when more than one batch
# is due (PostgreSQL: each claims its own batches with SKIP LOCKED); 1 sweeps alone.
SWEEP_PARALLEL_TASKS = env_number("SWEEP_PARALLEL_TASKS", "2")
# A delivery task stops claiming rows after this long, well inside its soft time limit.
NOTIFY_TASK_BUDGET_SECONDS = env_number("NOTIFY_TASK_BUDGET_SECONDS", "120")
NOTIFY_MAX_ATTEMPTS = env_number("NOTIFY_MAX_ATTEMPTS", "8")
NOTIFY_RETRY_BASE_SECONDS = env_number("NOTIFY_RETRY_BASE_SECONDS", "60")
NOTIFY_RETRY_MAX_SECONDS = env_number("NOTIFY_RETRY_MAX_SECONDS", str(6 * 60 * 60))
# A row whose worker died while sending is tried again after this long; keep it well
# above SMS_GATEWAY_TIMEOUT and EMAIL_TIMEOUT, so that a live send never outlasts it.
NOTIFY_LEASE_SECONDS = env_number("NOTIFY_LEASE_SECONDS", "300")
# Channels whose gateway does not deduplicate on the idempotency key (docs/reliability.md):
# a row is marked "sending" before the call and a row whose outcome is unknown (a timeout
# after the request went out, a worker killed while sending) is never sent again without
# an operator's look. E.g. "sms" for a gateway that does not honour Idempotency-Key.
NOTIFY_SEND_ONCE_CHANNELS = env_list("NOTIFY_SEND_ONCE_CHANNELS")
if set(NOTIFY_SEND_ONCE_CHANNELS) - {"sms", "email"}:
    raise ImproperlyConfigured(
        f"NOTIFY_SEND_ONCE_CHANNELS may hold sms and email: {NOTIFY_SEND_ONCE_CHANNELS!r}"
    )
# While the database is out, a delivery task tries again this often, this many times,
# so that delivery resumes within seconds of its return (then the per-minute beat does).
NOTIFY_DATABASE_RETRY_SECONDS = env_number("NOTIFY_DATABASE_RETRY_SECONDS", "1", float)
NOTIFY_DATABASE_RETRIES = env_number("NOTIFY_DATABASE_RETRIES", "120")

# PUBLIC SITE
# Behind a proxy, the header that carries the client's address (e.g. HTTP_X_REAL_IP);
# empty trusts REMOTE_ADDR. Rate limits count per client address, phone and tracking code.
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER")
SUBMIT_LIMIT_PER_IP_HOUR = env_number("SUBMIT_LIMIT_PER_IP_HOUR", "10")
SUBMIT_LIMIT_PER_PHONE_DAY = env_number("SUBMIT_LIMIT_PER_PHONE_DAY", "3")
STATUS_LIMIT_PER_IP_10MIN = env_number("STATUS_LIMIT_PER_IP_10MIN", "30")
STATUS_WRONG_CHECKS_PER_CODE_HOUR = env_number("STATUS_WRONG_CHECKS_PER_CODE_HOUR", "5")
PUBLIC_FIGURES_CACHE_SECONDS = env_number("PUBLIC_FIGURES_CACHE_SECONDS", "600")
# Whole public pages (home, directory, profiles, stations) for anonymous visitors, keyed by
# what they show and invalidated when it changes (liaison/base/public_cache.py): how long
# an entry is kept at most, and the max-age browsers and the proxy's micro-cache are given
# (a change reaches a visitor behind them within that many seconds).
PUBLIC_PAGE_CACHE_SECONDS = env_number("PUBLIC_PAGE_CACHE_SECONDS", "600")
PUBLIC_PAGE_MAX_AGE = env_number("PUBLIC_PAGE_MAX_AGE", "5")
# Pages with a query string (filters, searches, pages of a list): anyone can ask for endless
# distinct ones, so they are kept for less time (Redis holds at most the render rate times
# this many seconds of them); a query longer than 500 characters is never cached.
PUBLIC_PAGE_QUERY_CACHE_SECONDS = env_number("PUBLIC_PAGE_QUERY_CACHE_SECONDS", "60")
# The opinion form's place picker (counties, townships, stations) and its JSON answers.
PUBLIC_PLACES_CACHE_SECONDS = env_number("PUBLIC_PLACES_CACHE_SECONDS", "300")

# AVAILABILITY
# The maintenance switch: MAINTENANCE_MODE=1, or the file MAINTENANCE_FILE exists
# (`manage.py maintenance on`, no restart): every page answers the static 503 page,
# /healthz says so. The static error pages (no database, no template) live in ERROR_PAGES_DIR.
MAINTENANCE_MODE = env_bool("MAINTENANCE_MODE")
MAINTENANCE_FILE = Path(env("MAINTENANCE_FILE", str(BASE_DIR / "var" / "maintenance")))
ERROR_PAGES_DIR = BASE_DIR / "static" / "errors"
# How long a client waits before retrying an API write with the same Idempotency-Key
# (liaison/base/idempotency.py) and how long the answers are kept for a retry.
IDEMPOTENCY_KEEP_HOURS = env_number("IDEMPOTENCY_KEEP_HOURS", "24")

# IMPORTS
# The rosters' spreadsheets (liaison/wiring/imports/): the largest file accepted, in MB.
# A province's division-code list (about 30,000 townships and villages) is about 0.5 MB as
# .xlsx; the proxy's body limit for /staff/imports/ is set above this (deploy/nginx.conf).
IMPORT_MAX_MB = env_number("IMPORT_MAX_MB", "20")
# A zip of representatives' photos named by representative: the largest zip (under the
# proxy's 64 MB for /staff/imports/; a larger set goes in several zips) and photo.
IMPORT_PHOTOS_MAX_MB = env_number("IMPORT_PHOTOS_MAX_MB", "60")
IMPORT_PHOTO_MAX_MB = env_number("IMPORT_PHOTO_MAX_MB", "5")
# A check or an apply that reports no progress for this long is shown as stopped (its task
# died), and can be run again. Progress comes every 500 rows, seconds apart.
IMPORT_STALL_MINUTES = env_number("IMPORT_STALL_MINUTES", "10")

# BACKUPS
# `manage.py backup`: a pg_dump (custom format) of the database and a tar of the media
# folder into BACKUP_DIR, keeping BACKUP_KEEP days; the compose file's `backup` service
# runs it daily (docs/reliability.md has the restore procedure).
BACKUP_DIR = Path(env("BACKUP_DIR", str(BASE_DIR / "var" / "backups")))
BACKUP_KEEP = env_number("BACKUP_KEEP", "14")

# CALENDAR
# Deadlines in a year that neither chinese-calendar nor the administrators' table covers
# skip that year's statutory holidays computed by rule (the `holidays` package), marked
# provisional and counted again when the official arrangement is entered
# (liaison/base/calendar.py). Off: such years count Monday to Friday.
PROVISIONAL_HOLIDAYS = env_bool("PROVISIONAL_HOLIDAYS", default=True)

# REST FRAMEWORK
REST_FRAMEWORK = {
    # Token first, so that a request without credentials gets 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Hashed, expiring, revocable tokens (liaison/base/api_tokens.py).
        "liaison.base.api_tokens.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # django-filter's, skipping the filterset when the query names no filter.
    "DEFAULT_FILTER_BACKENDS": ["liaison.base.filtering.FilterBackend"],
    # DRF's JSON written by orjson (liaison/base/renderers.py), then the browsable API.
    "DEFAULT_RENDERER_CLASSES": [
        "liaison.base.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "liaison.base.api_errors.exception_handler",
    # JSON of bounded size and depth, no NaN, no control characters (liaison/base/input_guard.py).
    "DEFAULT_PARSER_CLASSES": [
        "liaison.base.input_guard.GuardedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # The public read-only API (anonymous, per client address).
    "DEFAULT_THROTTLE_RATES": {"public": "120/min", "public_case_status": "60/hour"},
}
# An API token issued by POST /api/v1/auth/token/ is good for this many days.
API_TOKEN_DAYS = env_number("API_TOKEN_DAYS", "30")
API_MAX_JSON_BYTES = env_number("API_MAX_JSON_BYTES", str(1024 * 1024))
API_MAX_JSON_DEPTH = env_number("API_MAX_JSON_DEPTH", "20")
SPECTACULAR_SETTINGS = {
    "TITLE": "Liaison station API",
    "DESCRIPTION": _("Representative liaison stations: stations, representatives and cases."),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Government intranets often have no internet: Swagger UI from our own static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "StepEnum": "suggestions.models.Step.choices",
        "SuggestionStepEnum": "suggestions.proposals.models.SuggestionStep.choices",
        "SatisfactionEnum": "suggestions.models.Satisfaction.choices",
        "ReturnReasonEnum": "suggestions.proposals.models.ReturnReason.choices",
        "ReplyCategoryEnum": "suggestions.proposals.models.ReplyCategory.choices",
        "ProjectStepEnum": "projects.models.Step.choices",
        "ProjectCategoryEnum": "projects.models.Category.choices",
        "ProjectSourceEnum": "projects.models.Source.choices",
        "SuggestionSourceEnum": "suggestions.proposals.models.suggestion.Source.choices",
    },
}

# EMAIL
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# SMTP waits forever by default; a delivery must end well inside NOTIFY_LEASE_SECONDS.
EMAIL_TIMEOUT = env_number("EMAIL_TIMEOUT", "30")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@liaison.invalid")

# LOGGING
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # Embedded, every task runs in-process: a line per task would bury the demo's logins.
    "loggers": {"celery.app.trace": {"level": "INFO" if REDIS else "WARNING"}},
}

# SECURITY
if PRODUCTION:
    # DATABASE_URL and REDIS_URL (or REDIS_SENTINELS) are required above (env_required).
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must be set when DJANGO_ENV=production: the site's host names, "
            "comma-separated (every request is refused otherwise)."
        )
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_number("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# PERSONAL DATA (PIPL)
# The version of the notice on personal data on the opinion form
# (templates/public/case_submit.html): change it whenever that notice's text changes, so
# that each visit records which text its constituent accepted.
PRIVACY_NOTICE_VERSION = "2026-12"
# A visit's personal data (name, phone, address, ID number, and the constituent's SMS
# addresses in the outbox) is erased this many days after the last of its cases is
# archived, or after the visit when it raised none (suggestions/cases/privacy.py; 0: never).
ANONYMISE_AFTER_DAYS = env_number("ANONYMISE_AFTER_DAYS", str(3 * 365))

# ACCOUNT SECURITY (MLPS level 3)
# Lockout: LOGIN_FAILURE_LIMIT failed logins lock the account, and the address, for
# LOGIN_LOCKOUT_SECONDS from the last failure (liaison/base/lockout.py).
LOGIN_FAILURE_LIMIT = env_number("LOGIN_FAILURE_LIMIT", "5")
LOGIN_LOCKOUT_SECONDS = env_number("LOGIN_LOCKOUT_SECONDS", str(30 * 60))
# Idle logout: a session ends SESSION_IDLE_SECONDS after its last request
# (liaison/base/idle.py); the cookie outlives it by a day at most.
SESSION_IDLE_SECONDS = env_number("SESSION_IDLE_SECONDS", str(30 * 60))
SESSION_COOKIE_AGE = 24 * 60 * 60
# Django's database sessions, read by plain SQL (liaison/base/sessions.py).
SESSION_ENGINE = "liaison.base.sessions"
AUTH_PASSWORD_VALIDATORS = [
    *AUTH_PASSWORD_VALIDATORS,
    {"NAME": "liaison.base.passwords.CharacterClassesValidator"},
    # Not a rule: records when each password was set, for its expiry.
    {"NAME": "liaison.base.passwords.PasswordAgeRecorder"},
]
# A password older than this many days must be changed at the next login (0: never).
PASSWORD_MAX_AGE_DAYS = env_number("PASSWORD_MAX_AGE_DAYS", "90")
# A password reset link (sent through the outbox) is good for this long.
PASSWORD_RESET_TIMEOUT = env_number("PASSWORD_RESET_SECONDS", str(60 * 60))
# The audit of reads of personal data and of security events (liaison/base/audit.py):
# kept at least this many days (never fewer than 180), pruned by `manage.py audit_prune`.
AUDIT_KEEP_DAYS = env_number("AUDIT_KEEP_DAYS", "180")
# Scripts and styles from our own files only; Swagger UI's page carries an inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
CSP_EXEMPT_PATHS = ["/api/docs/"]
