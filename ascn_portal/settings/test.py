"""Test settings: the same stack, made faster. Tests use their own Redis database."""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DJANGO_DEBUG", "0")  # whatever a local .env says; tests that need debug turn it on
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("EMAIL_URL", "memorymail://")

from .base import *  # noqa: E402,F403
from .base import REDIS_URL, STORAGES  # noqa: E402

TEST_REDIS_URL = urlunsplit(urlsplit(REDIS_URL)._replace(path="/15"))
CACHES["default"]["LOCATION"] = TEST_REDIS_URL  # noqa: F405
CELERY_BROKER_URL = TEST_REDIS_URL
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
AXES_ENABLED = True
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Tests run inside transactions whose commit hooks never fire, so a cached list page would outlive
# the test's own writes; the cache's tests turn it on and commit for real.
API_LIST_CACHE_SECONDS = 0
API_CATALOGUE_FACTS_SECONDS = 0  # tests that keep them turn it on (a test's transaction never commits)
MONITORING_CACHE_SECONDS = 0
