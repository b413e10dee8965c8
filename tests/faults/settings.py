"""Settings of the servers the fault tests start: production-like (DEBUG off, the site's own
URLs and error handlers) on a throwaway database, over plain HTTP on 127.0.0.1.

tests/faults/server.py sets SQLITE_PATH, DJANGO_MEDIA_ROOT and DJANGO_SECRET_KEY before
Django starts.
"""

import os
import warnings

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
if not os.environ.get("DJANGO_SECRET_KEY"):
    import secrets

    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)

from training.settings import *  # noqa: E402, F403

DEBUG = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
warnings.filterwarnings("ignore", message="No directory at")
# No collectstatic: plain storage, files served by WhiteNoise from the apps' folders.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
if os.environ.get("EMAIL_FILE_PATH"):  # the manual probes count the emails sent
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
