"""A database of its own for a benchmark run."""

import contextlib
import os
import shutil
import tempfile

from django.db import connection


@contextlib.contextmanager
def throwaway_database(label: str, keep: bool = False):
    """A temporary SQLite file (as deployed, not an in-memory database), or on PostgreSQL
    test_hienmau_bench_<label>_<pid>: two runs at once must not drop each other's.
    Dropped afterwards unless `keep`; yields its name."""
    test_settings = connection.settings_dict.setdefault("TEST", {})
    folder = None
    if connection.vendor == "sqlite":
        folder = tempfile.mkdtemp(prefix="hienmau-bench-")
        test_settings["NAME"] = os.path.join(folder, f"{label}.sqlite3")
    else:
        test_settings["NAME"] = f"test_hienmau_bench_{label}_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True,
                                                  serialize=False)
    try:
        yield test_settings["NAME"]
    finally:
        if keep:
            print(f"database kept: {test_settings['NAME']}")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            if folder:
                shutil.rmtree(folder, ignore_errors=True)
