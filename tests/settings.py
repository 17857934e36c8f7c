"""Settings for the test suite: the app's settings with fast, isolated parts.

DATABASE_URL still selects the database, so the same suite runs on SQLite and on
PostgreSQL (pytest-django creates and drops its own test database).
"""

import tempfile

from hienmau.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The login throttle needs a working cache; a per-process one keeps tests isolated.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = tempfile.mkdtemp(prefix="hienmau-static-")
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
