"""A stock Django project, for ``make bench`` only: the fair floor of a logged-in page.

What ``django-admin startproject`` writes (its INSTALLED_APPS, MIDDLEWARE and TEMPLATES,
database sessions, Django's own user model), with DEBUG off and the platform's SQLite tuning
(WAL, IMMEDIATE transactions, connections kept between requests), on its own throwaway
database (``STOCK_SQLITE_PATH``, migrated by tests/bench/run.py with one user and one
session). Its only page, ``/bench/stock-user/``, reads ``request.user``: what any logged-in
Django page pays before its own work. The platform's pages are reported as ratios to it.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,testserver")

from training.settings import DATABASES as PLATFORM_DATABASES  # noqa: E402

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tests.bench.stock_urls"

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

# The platform's SQLite engine, options and connection reuse, on the stock database's file.
DATABASES = {"default": {**PLATFORM_DATABASES["default"], "NAME": os.environ["STOCK_SQLITE_PATH"]}}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
