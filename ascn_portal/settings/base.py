"""Settings for every environment. Production differs from a local run by environment values only.

Every variable is listed in `.env.example` and the README. Order of precedence: the process
environment, then `.env`, then `var/embedded.env` (written by `ascn_portal.embedded` when the
portal runs on its embedded PostgreSQL and Redis).
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# DJANGO_ENV_FILE names another file than .env (an empty value: none), e.g. to check how the
# portal starts with nothing but the process environment.
DOT_ENV = environ.Env().str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env"))
for env_file in [Path(DOT_ENV)] if DOT_ENV else []:
    if env_file.is_file():
        env.read_env(env_file, overwrite=False)
for env_file in (VAR_DIR / "embedded.env",):
    if env_file.exists():
        env.read_env(env_file, overwrite=False)

# `manage.py`, `manage.py help` and `manage.py <command> --help` answer in a fresh clone, before
# `make run` has written a secret key and the embedded services' addresses: they connect to nothing,
# so the settings they cannot have yet get placeholders (any other command still needs the real ones).
_ARGS = sys.argv[1:] if Path(sys.argv[0]).name == "manage.py" else None
ONLY_HELP = _ARGS is not None and (
    not _ARGS or _ARGS[0] in ("help", "-h", "--help") or bool({"-h", "--help"} & set(_ARGS))
)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="only-help" if ONLY_HELP else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Set it to a long random value "
        '(python -c "import secrets; print(secrets.token_urlsafe(50))"); '
        "`make run` generates one for local use under var/."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("DJANGO_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "rules",
    "simple_history",
    "axes",
    "csp",
    "ascn_portal.accounts",
    "ascn_portal.notifications",
    "ascn_portal.spreadsheets",
    "cities",
    "partners",
    "action_plans",
    "events",
    "catalogue",
    "monitoring",
    "opendata",
    "ascn_portal.api",
    "ascn_portal.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An ETag on every GET (a hash of the body) and 304 to a matching If-None-Match: API clients
    # polling an unchanged list or record download nothing.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ascn_portal.accounts.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "ascn_portal.middleware.ConflictMiddleware",
    "ascn_portal.middleware.ApiErrorsAsJsonMiddleware",
    "ascn_portal.middleware.ControlCharactersMiddleware",  # inside the JSON one: a 404 under /api/ is JSON
]

ROOT_URLCONF = "ascn_portal.urls"
FILTERS_EMPTY_CHOICE_LABEL = "Any"  # the empty choice of a list's filters, instead of "---------"
WSGI_APPLICATION = "ascn_portal.wsgi.application"

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
                "csp.context_processors.nonce",
                "ascn_portal.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Database: PostgreSQL only. Unset, the embedded server under var/ (see ascn_portal/embedded.py).
DATABASES = {"default": env.db("DATABASE_URL", **({"default": "postgres:///only-help"} if ONLY_HELP else {}))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", **({"default": "redis://127.0.0.1:1/0"} if ONLY_HELP else {}))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "ascn",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}

# People: email login, object rules first, lockout after repeated failures.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"  # what waits for the person, not the public home page
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = env.int("DJANGO_PASSWORD_RESET_TIMEOUT", default=3 * 24 * 3600)
INVITATION_TIMEOUT = env.int("DJANGO_INVITATION_TIMEOUT", default=7 * 24 * 3600)
AXES_FAILURE_LIMIT = env.int("DJANGO_AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Locked out: this account from this address, never a whole address (behind a proxy that would be
# everyone) nor an account from everywhere (anyone could lock a colleague out).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "ascn_portal.client_address.client_address"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_SECURE = not DEBUG and env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# Behind a proxy (load balancer, nginx): trust its X-Forwarded-Proto, and of X-Forwarded-For only
# the entries the proxies add, one per hop (ascn_portal/client_address.py).
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
PROXY_HOPS = env.int("DJANGO_PROXY_HOPS", default=1)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: the portal serves every asset itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

LANGUAGE_CODE = "en"
TIME_ZONE = "Asia/Singapore"
USE_I18N = True
USE_TZ = True
FORMS_URLFIELD_ASSUME_HTTPS = True  # the Django 6 default, adopted now

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Documents attached to plans; served only through the portal's permission checks, never as /media/.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Email: console in a local run; smtp+tls://user:pass@host:587 in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="ASCN Portal <no-reply@ascn.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ascn_portal.api.authentication.TrackedTokenAuthentication",  # first: its challenge makes a missing login a 401
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["ascn_portal.api.permissions.PolicyPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "ascn_portal.filtering.FilterBackend",
        "ascn_portal.filtering.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "ascn_portal.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # `anon` per address, `user` per account, counted in Redis at a constant cost per request
    "DEFAULT_THROTTLE_CLASSES": ["ascn_portal.api.throttling.RateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("DJANGO_API_ANON_RATE", default="60/min"),
        "user": env.str("DJANGO_API_USER_RATE", default="600/min"),
    },
    # JSON bodies only (as documented), of at most API_MAX_BODY_BYTES (413), nested at most 32 deep (400).
    "DEFAULT_PARSER_CLASSES": ["ascn_portal.api.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "ascn_portal.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "ascn_portal.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "ascn_portal.api.exceptions.exception_handler",
    "ORDERING_PARAM": "ordering",
    "SEARCH_PARAM": "q",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Pages of the project list are kept in Redis while the catalogue is unchanged, at most this long.
API_MAX_BODY_BYTES = env.int("DJANGO_API_MAX_BODY_BYTES", default=1024 * 1024)
API_LIST_CACHE_SECONDS = env.int("DJANGO_API_LIST_CACHE_SECONDS", default=600)
# What the project list derives from the whole catalogue (a filter's count, a partner's ranking), kept
# in Redis while the catalogue is unchanged (a write renews it at once), even with the page cache off.
API_CATALOGUE_FACTS_SECONDS = env.int("DJANGO_API_CATALOGUE_FACTS_SECONDS", default=3600)
# The monitoring roll-up of a year as the public sees it, kept in Redis while nothing it counts changes.
MONITORING_CACHE_SECONDS = env.int("DJANGO_MONITORING_CACHE_SECONDS", default=600)
# The network as it reports to IATI: the identifier IATI registers for the secretariat, and its name.
IATI_ORGANISATION_REF = env.str("DJANGO_IATI_ORGANISATION_REF", default="XI-IATI-ASCN")
IATI_ORGANISATION_NAME = env.str(
    "DJANGO_IATI_ORGANISATION_NAME", default="ASEAN Smart Cities Network (ASEAN Secretariat)"
)
KNOX_TOKEN_MODEL = "knox.AuthToken"  # named, so a migration of our own can point at it
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_TTL": timedelta(days=env.int("DJANGO_API_TOKEN_DAYS", default=90)),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ASCN Portal API",
    "DESCRIPTION": (
        "The ASEAN Smart Cities Network: member states, cities, the framework's focus areas and "
        "ASEAN's external partners. Read endpoints are public; send `Authorization: Token <key>` "
        "for what needs a network member."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # One name per choice set, whichever serializer uses it.
    "ENUM_NAME_OVERRIDES": {
        "CityKindEnum": "cities.choices.CityKind",
        "CityStatusEnum": "cities.choices.CityStatus",
        "AppointmentRoleEnum": "cities.choices.AppointmentRole",
        "EventKindEnum": "events.choices.EventKind",
        "EventFormatEnum": "events.choices.EventFormat",
        "EventAudienceEnum": "events.choices.Audience",
        "RegistrationStatusEnum": "events.choices.RegistrationStatus",
        "OutcomeKindEnum": "events.choices.OutcomeKind",
        "PlanStateEnum": "action_plans.choices.PlanState",
        "ProjectStageEnum": "action_plans.choices.ProjectStage",
        "SupportTypeEnum": "action_plans.choices.SupportType",
        "ProgressStatusEnum": "action_plans.choices.ProgressStatus",
        "PartnerKindEnum": "partners.choices.PartnerKind",
        "OrganisationTypeEnum": "partners.choices.OrganisationType",
        "TwinningStatusEnum": "partners.choices.TwinningStatus",
        "PartnershipStageEnum": "partners.choices.PartnershipStage",
    },
}

# Celery: Redis broker, no result backend (a down Redis must fail fast, not block for 20 s).
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True  # a task is acknowledged after it ran: a killed worker means redelivery
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # a dead pool child requeues at once
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,  # an unacknowledged task comes back after an hour; countdowns stay shorter
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    # How a publishing process (the web) connects: one quick retry, not kombu's 2-second back-off,
    # so a user's action never waits on a broker that is away.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Each entry expires before its next run, so a backlog never replays stale runs.
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {
        "task": "notifications.sweep_pending",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    "notifications-daily-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(minute=0, hour=7),
        "args": ["daily"],
        "options": {"expires": 3600},
    },
    "notifications-weekly-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
        "args": ["weekly"],
        "options": {"expires": 3600},
    },
    "reminders-daily": {
        "task": "notifications.run_reminders",
        "schedule": crontab(minute=30, hour=6),
        "args": ["daily"],
        "options": {"expires": 3600},
    },
    "api-expire-idempotency-keys": {
        "task": "api.expire_idempotency_keys",
        "schedule": crontab(minute=15, hour=3),
        "options": {"expires": 3600},
    },
    "api-expire-tombstones": {
        "task": "api.expire_tombstones",
        "schedule": crontab(minute=25, hour=3),
        "options": {"expires": 3600},
    },
    "api-delete-expired-tokens": {
        "task": "api.delete_expired_tokens",
        "schedule": crontab(minute=20, hour=3),
        "options": {"expires": 3600},
    },
    # Imports whose worker died or ran out of time end as failed, with the reason, within a minute or two.
    "spreadsheets-sweep": {
        "task": "spreadsheets.sweep",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    # Event reminders (7 days and 1 day before) are checked every hour, so each arrives within the hour.
    "reminders-hourly": {
        "task": "notifications.run_reminders",
        "schedule": crontab(minute=5),
        "args": ["hourly"],
        "options": {"expires": 3000},
    },
}

# Notifications (the outbox). Every tunable is read here once; the code has no defaults of its own.
# Retries with exponential backoff (seconds), then the record is marked failed.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("DJANGO_NOTIFICATIONS_MAX_ATTEMPTS", default=5)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.float("DJANGO_NOTIFICATIONS_RETRY_BASE_SECONDS", default=30)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.float("DJANGO_NOTIFICATIONS_RETRY_MAX_SECONDS", default=1800)
# A pending email enqueued this long ago (and not sent) is enqueued again by the sweep, which runs
# every minute: a worker that died mid-send or a broker that lost its queue delays mail by at most
# this plus a minute. A repeat sends nothing twice (the row lock).
NOTIFICATIONS_REENQUEUE_AFTER_SECONDS = env.int("DJANGO_NOTIFICATIONS_REENQUEUE_AFTER_SECONDS", default=60)
NOTIFICATIONS_SWEEP_LIMIT = env.int("DJANGO_NOTIFICATIONS_SWEEP_LIMIT", default=20000)  # rows per sweep
# Above this many recipients, a message's notifications are written after commit (decision 9).
NOTIFICATIONS_INLINE_LIMIT = env.int("DJANGO_NOTIFICATIONS_INLINE_LIMIT", default=500)
NOTIFICATIONS_BATCH_SIZE = env.int("DJANGO_NOTIFICATIONS_BATCH_SIZE", default=200)  # emails per delivery task
# After the broker refused a publish, a process stops trying for this long (the sweep catches up).
NOTIFICATIONS_BROKER_PAUSE_SECONDS = env.float("DJANGO_NOTIFICATIONS_BROKER_PAUSE_SECONDS", default=15)
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= NOTIFICATIONS_RETRY_MAX_SECONDS:
    raise ImproperlyConfigured(
        "DJANGO_NOTIFICATIONS_RETRY_MAX_SECONDS must stay under the broker's visibility timeout (3600 s)."
    )

ATTACHMENT_MAX_BYTES = env.int("DJANGO_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
# Spreadsheets imported in the admin: the largest file and row count taken, and up to how many rows
# a file is checked and written at once (larger files go to the worker, their progress shown).
SPREADSHEET_MAX_BYTES = env.int("DJANGO_SPREADSHEET_MAX_BYTES", default=10 * 1024 * 1024)
SPREADSHEET_MAX_ROWS = env.int("DJANGO_SPREADSHEET_MAX_ROWS", default=20000)
SPREADSHEET_INLINE_ROWS = env.int("DJANGO_SPREADSHEET_INLINE_ROWS", default=200)
# A check or an import in the background ends as failed past this (the worker interrupts it 15 s
# and kills it 45 s later).
# Sized for SPREADSHEET_MAX_ROWS on a busy two-core machine: see the README.
SPREADSHEET_TIME_LIMIT_SECONDS = env.int("DJANGO_SPREADSHEET_TIME_LIMIT_SECONDS", default=900)
# A job no worker has taken this long after it was queued ends as failed (the broker lost it).
SPREADSHEET_QUEUE_WAIT_SECONDS = env.int("DJANGO_SPREADSHEET_QUEUE_WAIT_SECONDS", default=1800)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields other than files

HEALTH_CHECK_WORKER_TIMEOUT = env.float("DJANGO_HEALTH_WORKER_TIMEOUT", default=1.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}, "axes": {"level": "WARNING"}, "mail.log": {"level": "WARNING"}},
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
    # With HSTS on, subdomains are HTTPS-only too and the site may join browsers' preload list: set
    # these off only if some subdomain of the portal's domain is still served over plain HTTP.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
