"""Settings for the test suite: the app's settings with fast, isolated parts.

DATABASE_URL still selects the database, so the same suite runs on SQLite and on
PostgreSQL (pytest-django creates and drops its own test database).
"""

import os
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, as deployed, not a shared-cache in-memory database: that one answers
    # "table is locked" to a second connection at once, where a file makes it wait
    # (tests of stations racing on one drive run threads). One file per process: two
    # runs at once (CI and a developer) must not share it; pytest-django drops it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": f"{tempfile.gettempdir()}/hienmau-test-{os.getpid()}.sqlite3"}
