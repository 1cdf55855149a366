"""What an installation holds, to compare two; and a fresh, empty installation to restore into."""

import contextlib
import hashlib

import psycopg
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.test import override_settings

from thidua.core import backup


def snapshot() -> dict[str, list]:
    """Every row of every table, in an order that does not depend on the engine's."""
    def plain(value):
        return bytes(value) if isinstance(value, memoryview) else value

    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted((tuple(plain(v) for v in row) for row in cursor.fetchall()),
                                 key=repr)
    return rows


def file_hashes() -> dict[str, str]:
    hashes = {}
    for name in backup.stored_files():
        with default_storage.open(name, "rb") as f:
            hashes[name] = hashlib.sha256(f.read()).hexdigest()
    return hashes


@contextlib.contextmanager
def fresh_installation(tmp_path, storages=None):
    """An empty database of the same engine, an empty media folder (or the ``storages``
    given: an empty bucket) and var folder, in place of the test's own until the block ends."""
    alias = "default"
    before, current = connections.settings[alias], connections[alias]
    if connection.vendor == "sqlite":
        name = str(tmp_path / "restored.sqlite3")
    else:
        name = f"{before['NAME']}_restored"
        with psycopg.connect(host=before["HOST"] or None, port=before["PORT"] or None,
                             user=before["USER"] or None, dbname="postgres",
                             autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    connections.settings[alias] = {**before, "NAME": name, "TEST": {**before["TEST"], "NAME": name}}
    del connections[alias]
    (tmp_path / "var").mkdir()
    try:
        with override_settings(MEDIA_ROOT=tmp_path / "restored-media", VAR_DIR=tmp_path / "var",
                               **({"STORAGES": storages} if storages else {})):
            yield
    finally:
        connections[alias].close()
        connections.settings[alias] = before
        connections[alias] = current
        if connection.vendor == "postgresql":
            with psycopg.connect(host=before["HOST"] or None, port=before["PORT"] or None,
                                 user=before["USER"] or None, dbname="postgres",
                                 autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
