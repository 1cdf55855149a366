"""A locked table: every database wait ends before the web server's request timeout, and the
person gets the product's own Vietnamese "busy, try again" page (503, Retry-After), logged."""

import contextlib
import logging
import sqlite3

import psycopg
import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections
from django.test import Client

from thidua.core import views
from thidua.orgs.models import User

pytestmark = pytest.mark.django_db


def test_every_database_wait_is_shorter_than_the_request_timeout():
    request = settings.THIDUA_REQUEST_TIMEOUT
    assert request > settings.THIDUA_DB_STATEMENT_TIMEOUT
    assert settings.THIDUA_DB_LOCK_TIMEOUT < settings.THIDUA_DB_STATEMENT_TIMEOUT
    assert request > settings.THIDUA_DB_BUSY_TIMEOUT
    if connection.vendor == "postgresql":
        # What a new connection really runs with, as the settings asked.
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == f"{settings.THIDUA_DB_STATEMENT_TIMEOUT}s"
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] == f"{settings.THIDUA_DB_LOCK_TIMEOUT}s"
    else:
        assert connection.settings_dict["OPTIONS"]["timeout"] == settings.THIDUA_DB_BUSY_TIMEOUT


@contextlib.contextmanager
def short_busy_timeout():
    """SQLite: wait one second for the write lock instead of the product's twenty."""
    if connection.vendor != "sqlite":
        yield
        return
    before = connections.settings["default"]
    connections.settings["default"] = {**before, "OPTIONS": {**before["OPTIONS"], "timeout": 1}}
    del connections["default"]
    try:
        yield
    finally:
        connections["default"].close()
        connections.settings["default"] = before
        del connections["default"]


@contextlib.contextmanager
def table_locked_elsewhere(table):
    """Another session holds ``table`` (PostgreSQL) or the write lock (SQLite) meanwhile."""
    if connection.vendor == "sqlite":
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    params = connection.get_connection_params()
    other = psycopg.connect(dbname=params["dbname"], user=params.get("user"),
                            host=params.get("host"), port=params.get("port"))
    try:
        other.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        yield
    finally:
        other.rollback()
        other.close()


@contextlib.contextmanager
def shorter_waits(**waits):
    """On PostgreSQL, shorter waits for this connection until the end of the block."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        for name, value in waits.items():
            cursor.execute(f"SET {name} = '{value}'")
    try:
        yield
    finally:
        connection.close()  # the next connection starts with the configured waits again


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("wait", ["lock_timeout", "statement_timeout"])
def test_a_locked_table_answers_with_the_busy_page(wait, committed_database, caplog):
    with short_busy_timeout():
        user = User.objects.create_user("canbo.cho", password="Mot-mat-khau-dai-2021")
        client = Client(raise_request_exception=False)
        client.force_login(user)
        waits = ({"lock_timeout": "300ms", "statement_timeout": "0"} if wait == "lock_timeout"
                 else {"lock_timeout": "0", "statement_timeout": "300ms"})
        with shorter_waits(**waits), table_locked_elsewhere("core_notice"), \
                caplog.at_level(logging.WARNING):
            response = client.post("/thong-bao/da-doc/")
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Hệ thống đang bận" in page
    assert "Chưa có gì được lưu" in page and "Hãy thử lại sau khoảng 30 giây." in page
    assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store")
    logged = [r.getMessage() for r in caplog.records if r.name == "thidua.database"]
    kind = {"postgresql": wait, "sqlite": "sqlite_busy_timeout"}[connection.vendor]
    assert logged == [f"Database busy ({kind}) on POST /thong-bao/da-doc/; answered 503."]


def test_only_database_waits_get_the_busy_page(rf):
    request = rf.get("/")
    try:
        raise RuntimeError("a fault of ours")
    except RuntimeError:
        response = views.server_error(request)
    assert response.status_code == 500 and "Hệ thống gặp sự cố" in response.content.decode()
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = views.server_error(request)
    assert response.status_code == 503 and "Hệ thống đang bận" in response.content.decode()
