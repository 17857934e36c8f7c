"""Data loaded once for a whole test module instead of once per test.

Loading the demo takes seconds; a module of twenty tests that each load it spends most of
its time there. `once_per_module(load)` makes a module-scoped fixture that runs `load()`
inside a transaction opened before the module's first test and rolled back after its
last, as Django's `TestCase.setUpTestData` does for a class. Every test still runs in its
own savepoint (pytest-django's `db`), so what a test writes is undone before the next
one: the loaded rows are the same for every test, on SQLite and PostgreSQL, and with
pytest-xdist each worker loads them once for the tests it runs.

Not for modules with `transactional_db` tests (they flush the database, the loaded rows
with it) or tests that move the clock before loading (the demo's "today" drive is made
on the day it is loaded). Once set up, the rows are there for every later test of the
module, also those that do not ask for them.
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction


def once_per_module(load):
    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            # As TestCase marks its class-wide block: a durable block inside stays allowed.
            outer._from_testcase = True
            outer.__enter__()
            try:
                load()
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
        yield
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)

    return fixture


def load_demo():
    call_command("load_demo", stdout=io.StringIO())
