"""Fixtures of the operations tests."""

import pytest
from django.db import connection
from django.test import override_settings

from tests import concurrency
from tests.conftest import FAST_HASHERS
from thidua.home.demo import seed_demo
from thidua.orgs.models import Organisation


@pytest.fixture(scope="module")
def committed_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """For transactional tests, whose data other connections and processes must see.

    SQLite: a file of the module's own (the in-memory test database refuses a second writer at
    once, which is not how the product runs). PostgreSQL: the test database, seeded again at
    the end (a transactional test empties it) for the modules that run after this one."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with django_db_blocker.unblock():
            on_file = concurrency.SqliteOnAFile(tmp_path_factory.mktemp("ops") / "db.sqlite3")
        try:
            yield
        finally:
            with django_db_blocker.unblock():
                on_file.stop()
        return
    yield
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        if not Organisation.objects.filter(code="ubnd-tp-bac-kan").exists():
            seed_demo()
