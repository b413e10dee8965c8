"""Settings for ``make bench`` only: production-like (DEBUG off) on a throwaway database.

tests/bench/run.py sets DJANGO_SECRET_KEY (random, per run), SQLITE_PATH (a temporary file)
and DJANGO_MEDIA_ROOT before Django starts. The bare « hello » view exists only here.
"""

import os
import warnings

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,testserver")
if not os.environ.get("DJANGO_SECRET_KEY"):
    import secrets

    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)

from training.settings import *  # noqa: E402, F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ROOT_URLCONF = "tests.bench.urls"
# No collected static files either: silence WhiteNoise's "No directory at" warning.
warnings.filterwarnings("ignore", message="No directory at")
# No collectstatic in a benchmark run: plain storage, the pages only need the URLs.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
