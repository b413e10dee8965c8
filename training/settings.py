"""Settings for the training platform, read once from the environment.

Development defaults are safe for a laptop; production (DJANGO_DEBUG=0) refuses to start
without a secret key and turns on every transport-security setting.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on", "oui"}:
        return True
    if value in {"0", "false", "no", "off", "non"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}.")


def env_int(name: str, default: int) -> int:
    """Read an integer from the environment."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list from the environment."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_addresses(name: str) -> list[tuple[str, str]]:
    """Read comma-separated email addresses ("Nom <a@example.org>, b@example.org")."""
    value = os.environ.get(name, "").strip()
    if not value:
        return []
    addresses = getaddresses([value])
    for _name, address in addresses:
        if "@" not in address:
            raise ImproperlyConfigured(
                f"{name} must list email addresses (Nom <a@example.org>, …), got {value!r}."
            )
    return addresses


def env_float(name: str, default: float) -> float:
    """Read a decimal number from the environment."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, got {value!r}.") from exc


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. "
            'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not ALLOWED_HOSTS:
    # Django would start and then answer every request with 400 Bad Request.
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG is off: the site's host names, "
        "comma-separated (for example formation.example.org)."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# Without SITE_URL, links follow the development server's port (`PORT=8011 make run`).
SITE_URL = (
    os.environ.get("SITE_URL", "").strip() or f"http://127.0.0.1:{env_int('PORT', 8000)}"
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "training",
    "modules",
    "quizzes",
    "boussole",
]

MIDDLEWARE = [
    "training.operations.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "training.privacy.audit.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.csp.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "training.urls"
WSGI_APPLICATION = "training.wsgi.application"

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
                "csp.context_processors.nonce",
                "training.pages.context_processors.platform",
            ],
        },
    }
]

# Database: SQLite by default (WAL + IMMEDIATE transactions so concurrent read-then-write
# requests queue instead of failing with "database is locked"); PostgreSQL via DATABASE_URL.
# A request waits at most DATABASE_LOCK_TIMEOUT seconds for a lock, then answers 503 « try
# again » (training.pages.views.server_error): the longest write a request makes (a 10,000-
# line enrolment import) holds the lock about 2 s, and a longer wait would tie up the
# workers while the lock lasts (docs/operations.md).
DATABASE_LOCK_TIMEOUT = env_int("DATABASE_LOCK_TIMEOUT", 5)
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        if "lock_timeout" not in _options.get("options", ""):
            _options["options"] = (
                f"{_options.get('options', '')} -c lock_timeout={DATABASE_LOCK_TIMEOUT}s"
            ).strip()
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": DATABASE_LOCK_TIMEOUT,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    f"PRAGMA busy_timeout={DATABASE_LOCK_TIMEOUT * 1000};"
                ),
            },
            # Keep the connection between requests: opening one costs about 3 ms here (the
            # file, the PRAGMAs and reading the schema), twice a whole « hello » request.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    }
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "training.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "training.accounts.auth.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "training:dashboard"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 7  # invitations use the same link: one week

# Login throttling, for 15 minutes: an email from one address after 5 failures, and an
# address after 20 failures over any accounts (password spraying). The email is counted
# lower-cased (one account per email whatever its case). See docs/security.md.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "training.accounts.auth.LockoutHandler"
AXES_USERNAME_CALLABLE = "training.accounts.auth.login_username"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
# django-ipware is not installed, so axes would ignore the proxy count: our own reader.
AXES_CLIENT_IP_CALLABLE = "training.accounts.auth.client_ip_address"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Password reset: at most 3 emails per address per hour, and 20 requests per client address
# per hour; over either, the page answers the same and sends nothing.
PASSWORD_RESET_EMAILS_PER_HOUR = env_int("PASSWORD_RESET_EMAILS_PER_HOUR", 3)
PASSWORD_RESET_REQUESTS_PER_ADDRESS_PER_HOUR = env_int(
    "PASSWORD_RESET_REQUESTS_PER_ADDRESS_PER_HOUR", 20
)

# --- Caches (docs/performance.md) ----------------------------------------------------------
# "shared" and "throttle": tables of the database (created by `migrate`), so every gunicorn
# worker (and every host) sees the same entries, and an entry written in a transaction is seen
# with the data it was built from. The throttles' counters live in "throttle". What may go
# stale lives in "shared" under a version key bumped on change (core/cache.py): the course
# outline and lessons (bumped by load_course and the admin), session programmes, the quiz
# results figures (bumped by every submission). "template_fragments": the layout's {% cache %}
# fragments, in each process's memory, keyed by those versions (a restart empties it).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "template-fragments",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "training_shared_cache",
        "TIMEOUT": 60 * 60 * 24,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "training_throttle_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}

# Email: console in development; SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "formation@example.org")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Who receives an email for each server error (500) when debug is off.
ADMINS = env_addresses("DJANGO_ADMINS")
EMAIL_SUBJECT_PREFIX = "[Formation] "

# The training organisation's identity, printed on pages and documents.
ORGANISATION = {
    "name": os.environ.get("ORGANISATION_NAME", "Organisme de formation (démonstration)"),
    "address": os.environ.get("ORGANISATION_ADDRESS", "1 rue de l'Exemple, 75000 Paris"),
    "siret": os.environ.get("ORGANISATION_SIRET", "000 000 000 00000 (démonstration)"),
    "nda": os.environ.get("ORGANISATION_NDA", "00 00 00000 00 (démonstration)"),
    "email": os.environ.get("ORGANISATION_EMAIL", "contact@example.org"),
    "phone": os.environ.get("ORGANISATION_PHONE", "01 00 00 00 00"),
    "director": os.environ.get(
        "ORGANISATION_DIRECTOR", "Directrice de la publication (démonstration)"
    ),
    "representative": os.environ.get(
        "ORGANISATION_REPRESENTATIVE", "Représentante légale de l'organisme (démonstration)"
    ),
    "host": os.environ.get("ORGANISATION_HOST", "Hébergeur à renseigner (démonstration)"),
    "handicap_name": os.environ.get("REFERENT_HANDICAP_NAME", "Référente handicap (démonstration)"),
    "handicap_email": os.environ.get("REFERENT_HANDICAP_EMAIL", "handicap@example.org"),
    "handicap_phone": os.environ.get("REFERENT_HANDICAP_PHONE", "01 00 00 00 01"),
}

# --- Background work (training/background/, docs/operations.md « Background work ») -------
# Django's task framework (the django-tasks backport; django.tasks from Django 6). Default: the
# queue lives in the project's database (django-tasks-db), served by `manage.py tasks_worker`.
# TASKS_BACKEND=rq puts it on Redis (django-tasks-rq) for workers on several hosts.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip().lower() or "database"
if TASKS_BACKEND == "rq":
    REDIS_URL = os.environ.get("REDIS_URL", "").strip()
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL (redis://host:6379/0).")
    INSTALLED_APPS.append("django_rq")
    # A bundle of a large session prints for minutes: RQ's default job timeout (180 s) is short.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database or rq, got {TASKS_BACKEND!r}.")
# How often the worker's scheduler wakes up (periodic work, recovery of interrupted work).
TASKS_TICK_SECONDS = max(1, env_int("TASKS_TICK_SECONDS", 30))
# Periodic work, enqueued once per period by the worker's scheduler (no cron): see
# training/background/scheduler.py. Hours are Europe/Paris.
TASKS_PERIODIC = [
    {
        "name": "attendance.close_overdue",
        "task": "training.attendance.tasks.slots_close_overdue",
        "every": "hour",
    },
    {
        "name": "privacy.purge_expired",
        "task": "training.privacy.tasks.purge_expired",
        "every": "day",
        "at_hour": 3,
    },
    {
        "name": "surveys.send",
        "task": "training.surveys.tasks.survey_sends",
        "every": "quarter",
    },
    {
        "name": "legalwatch.remind",
        "task": "training.legalwatch.tasks.legal_watch_remind",
        "every": "day",
        "at_hour": 8,
    },
]
# Run at every tick: work left behind by a worker that died is taken up again.
TASKS_RECOVERY = [
    "training.background.services.deliveries_recover",
    "training.sessions.tasks.emails_requeue_lost",
    "training.documents.services.bundles_recover",
]
# The queue « does not move » when its oldest ready task waited this long (health check).
TASKS_STUCK_MINUTES = max(1, env_int("TASKS_STUCK_MINUTES", 10))
# Seconds before an email is tried again after a failure (one entry per retry).
EMAIL_RETRY_DELAYS = [
    int(value) for value in env_list("EMAIL_RETRY_DELAYS", ["60", "300", "900", "3600", "10800"])
]
# Processes on which the worker prints the PDFs of a bundle (« tout télécharger »,
# session_documents); 1 prints them one after the other. Requests never fork.
WORKER_PDF_PROCESSES = max(1, env_int("WORKER_PDF_PROCESSES", min(2, os.cpu_count() or 1)))
# A bundle whose worker gave no sign of life for this long is taken over by another worker.
BUNDLE_STALE_SECONDS = max(1, env_int("BUNDLE_STALE_SECONDS", 120))

# How long data is kept (years / months), stated on the privacy page.
RETENTION_EVIDENCE_YEARS = env_int("RETENTION_EVIDENCE_YEARS", 6)
RETENTION_INACTIVE_ACCOUNT_MONTHS = env_int("RETENTION_INACTIVE_ACCOUNT_MONTHS", 36)
RETENTION_LOGIN_RECORDS_MONTHS = env_int("RETENTION_LOGIN_RECORDS_MONTHS", 6)

# --- Legal watch and content versions (docs/operations.md) ----------------------------------
# A legal reference is due for verification this many months after its last one.
LEGAL_WATCH_MONTHS = env_int("LEGAL_WATCH_MONTHS", 6)
# Dotted path of a function called when a verification finds a text modified or repealed, to
# open an improvement action: by default the quality feature's (« Actions d'amélioration »).
LEGAL_WATCH_ACTION_HOOK = os.environ.get(
    "LEGAL_WATCH_ACTION_HOOK", "training.quality.services.action_from_legal_watch"
).strip()
# Where ``load_course`` writes the patch carrying the edits made in the admin into fixtures/.
CONTENT_PATCH_FILE = Path(os.environ.get("CONTENT_PATCH_FILE", BASE_DIR / "admin-edits.patch"))
# --- Proof packs and the BPF (training/proofs, training/bpf) ---------------------------------
# The organisation's Ed25519 key that signs the proof packs: a file OUTSIDE the database,
# created on first use with mode 0600 (its folder 0700). Never commit it; back it up with the
# database (docs/operations.md « The proof packs' signing key »). By default next to MEDIA_ROOT.
PROOF_SIGNING_KEY_FILE = Path(
    os.environ.get(
        "PROOF_SIGNING_KEY_FILE", MEDIA_ROOT.parent / "private" / "proof-signing-key.pem"
    )
)
# --- Appreciations and continuous improvement (training/surveys, training/quality) -----------


def _env_days(name: str, default: list[int]) -> list[int]:
    """Read a comma-separated list of whole numbers of days (e.g. « 3,7 »), sorted."""
    try:
        days = sorted({int(item) for item in env_list(name, [str(d) for d in default])})
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must list whole numbers of days, e.g. 3,7.") from exc
    if any(day <= 0 for day in days):
        raise ImproperlyConfigured(f"{name} must list positive numbers of days.")
    return days


# Questionnaires: when they go, how long a personal link works, when reminders follow.
SURVEY_COLD_DELAY_DAYS = env_int("SURVEY_COLD_DELAY_DAYS", 60)  # « à froid »: J+60
SURVEY_REMINDER_DAYS = _env_days("SURVEY_REMINDER_DAYS", [3, 7])  # after the invitation
SURVEY_LINK_VALID_DAYS = env_int("SURVEY_LINK_VALID_DAYS", 45)
SURVEY_SEND_HOUR = env_int("SURVEY_SEND_HOUR", 9)  # à froid and reminders go at 9:00
SURVEY_SEND_WINDOW_DAYS = env_int("SURVEY_SEND_WINDOW_DAYS", 14)  # never send older ones
# Trainers see a session's (or any) figures only from this many answers.
SURVEY_MIN_RESPONSES = env_int("SURVEY_MIN_RESPONSES", 5)
# Published results (programme page): the period covered and the minimum N of each figure.
PUBLISHED_RESULTS_MONTHS = env_int("PUBLISHED_RESULTS_MONTHS", 12)
PUBLISHED_RESULTS_MIN_N = env_int("PUBLISHED_RESULTS_MIN_N", 10)
COMPLAINT_RATE_LIMIT_PER_HOUR = env_int("COMPLAINT_RATE_LIMIT_PER_HOUR", 5)
RETENTION_SURVEY_YEARS = env_int("RETENTION_SURVEY_YEARS", 3)
RETENTION_COMPLAINT_YEARS = env_int("RETENTION_COMPLAINT_YEARS", 5)

# Content Security Policy: no inline script or style; everything from our own origin.
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
        "object-src": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
# Django's database sessions, read without the ORM at each request (docs/performance.md).
SESSION_ENGINE = "training.accounts.sessions"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # The load balancer probes the application server over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Operations (training/operations/, docs/operations.md) -----------------------------------
# The load balancer's probe (/sante/): each check is a function that raises when unhealthy.
HEALTH_CHECKS = [
    "training.operations.health.database_reachable",
    "training.operations.health.migrations_applied",
    "training.operations.health.media_writable",
    "training.operations.health.queue_moves",
]

# Logs on the console (journald under systemd): readable lines, or one JSON object per line
# with LOG_FORMAT=json. Django's own configuration stays underneath (disable_existing_loggers
# is off): with debug off, server errors are also emailed to ADMINS.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower() or "text"
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "training.operations.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "training.operations.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Error reporting to Sentry, off unless SENTRY_DSN is set (training/operations/sentry.py).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    from training.operations.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE", ""),
        traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0),
    )
