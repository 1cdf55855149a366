"""Releasing several requests at the same instant, each on its own database connection.

:func:`race` starts one thread per act, holds them at a :class:`threading.Barrier` and lets them
go together; each thread works through its own ``django.test.Client`` (so its own connection,
closed at the end) and comes back with a :class:`Seen`: the status, the page the person ends
on (redirects followed) and the messages on it, or the traceback of anything that escaped.

On SQLite the test database is normally in memory with a shared cache, where a second writer is
refused at once with "database table is locked" whatever the busy timeout: that is not how the
product runs. :class:`SqliteOnAFile` moves the default database onto a file with the
product's own options (WAL, ``BEGIN IMMEDIATE``, the busy timeout) until it is stopped.

:class:`Rendezvous` lets a test hold racers at one point of their work, to drive a race into
the one order that shows a fault.
"""

import contextlib
import html
import re
import sqlite3
import threading
import traceback
from dataclasses import dataclass, field

from django.core.signals import got_request_exception
from django.db import connections
from django.test import Client

from tests.signin import verified_login

ALERT = re.compile(r'<div class="alert alert-(\w+)" role="status">(.*?)</div>', re.S)
FIELD_ERROR = re.compile(r'<div class="invalid-feedback[^"]*">(.*?)</div>', re.S)
RACE_TIMEOUT = 60  # seconds: far above the busy timeout of one request


@dataclass
class Seen:
    """What one person saw: ``status`` of the final response, ``page`` its text, ``errors`` and
    ``notes`` the red messages (and form errors) and the other messages on it, ``url`` the
    path it ends on; ``escaped`` the traceback of an exception that left the request (a 500 in
    production); ``value`` what a non-HTTP act returned."""

    who: str
    status: int | None = None
    url: str = ""
    page: str = ""
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    escaped: str = ""
    value: object = None

    def __str__(self):
        if self.escaped:
            return f"{self.who}: EXCEPTION\n{self.escaped}"
        return f"{self.who}: {self.status} errors={self.errors} notes={self.notes}"


# Django's test client listens for failed requests on a signal every client shares: in threads,
# one client would re-raise another's exception. Each thread keeps its own here instead, and
# the clients answer a failure with the 500 page as a server would.
_failure = threading.local()


def _keep_failure(sender, request=None, **kwargs):
    _failure.traceback = traceback.format_exc()


got_request_exception.connect(_keep_failure, dispatch_uid="tests.concurrency")


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def read_page(who: str, response) -> Seen:
    text = response.content.decode() if not getattr(response, "streaming", False) else ""
    chain = getattr(response, "redirect_chain", [])
    seen = Seen(who=who, status=response.status_code, page=text,
                url=chain[-1][0] if chain else response.request["PATH_INFO"])
    for tag, message in ALERT.findall(text):
        (seen.errors if tag == "danger" else seen.notes).append(_text(message))
    seen.errors += [_text(message) for message in FIELD_ERROR.findall(text)]
    if response.status_code >= 500:
        seen.escaped = getattr(_failure, "traceback", "") or f"status {response.status_code}"
    return seen


class Person:
    """A signed-in browser of its own (a session and, in a race, a connection of its own)."""

    def __init__(self, user, label: str = ""):
        self.user = user
        self.label = label or user.username
        self.client = Client(raise_request_exception=False)
        verified_login(self.client, user)  # the second factor too, for those who need it

    def post(self, path: str, data=None, **extra) -> "Act":
        """An act: POST ``path`` and follow the redirects to the page the person ends on."""
        return Act(self.label, lambda: read_page(
            self.label, self.client.post(path, data or {}, follow=True, **extra)))


@dataclass
class Act:
    """Something one person (or the worker) does in a race: ``work()`` returns a Seen."""

    label: str
    work: object

    def __call__(self) -> Seen:
        return self.work()


def act(label: str, function, *args, **kwargs) -> Act:
    """A non-HTTP act (the worker, a command): its return value, or what escaped it."""
    return Act(label, lambda: Seen(who=label, value=function(*args, **kwargs)))


def race(*acts) -> list[Seen]:
    """Run the acts in threads released together by one barrier; every thread closes its
    connections when it ends. Returns what each act saw, in order."""
    barrier = threading.Barrier(len(acts))
    results: list[Seen | None] = [None] * len(acts)

    def run(index, work):
        _failure.traceback = ""
        try:
            barrier.wait(RACE_TIMEOUT)
            results[index] = work()
        except BaseException:  # noqa: BLE001 - whatever escapes is the finding
            results[index] = Seen(who=getattr(work, "label", f"act {index}"),
                                  escaped=traceback.format_exc())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, work), daemon=True)
               for i, work in enumerate(acts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(RACE_TIMEOUT * 2)
    if any(thread.is_alive() for thread in threads):
        raise AssertionError("a request of the race never finished (a deadlock?)")
    return results


def no_escape(seen: list[Seen]) -> None:
    """Nothing but the product's own refusals: no exception left any request, no 500."""
    broken = [s for s in seen if s.escaped or (s.status is not None and s.status >= 500)]
    assert not broken, "\n\n".join(str(s) for s in broken)


# --- the SQLite database on a file --------------------------------------------------------------

class SqliteOnAFile:
    """Copy the in-memory test database (demo data included) to ``path`` and make every new
    connection of every thread use the file, with the product's OPTIONS, until :meth:`stop`;
    then the in-memory database is the default again, as it was."""

    alias = "default"

    def __init__(self, path):
        self.before = connections.settings[self.alias]
        self.memory = connections[self.alias]
        self.memory.ensure_connection()
        target = sqlite3.connect(path)
        try:
            self.memory.connection.backup(target)
        finally:
            target.close()
        connections.settings[self.alias] = {
            **self.before, "NAME": str(path),
            "TEST": {**self.before.get("TEST", {}), "NAME": str(path)}}
        del connections[self.alias]

    def stop(self):
        connections[self.alias].close()
        connections.settings[self.alias] = self.before
        connections[self.alias] = self.memory


# --- forcing the worst interleaving ------------------------------------------------------------

class Rendezvous:
    """A point where each racer waits until every other has reached it too, so that all of them
    have read before any of them writes. A racer that cannot come (it waits for a lock the
    first one holds, as it should) lets the others go on after ``timeout`` seconds."""

    def __init__(self, parties: int, timeout: float = 0.3):
        self.barrier = threading.Barrier(parties)
        self.timeout = timeout

    def wait(self) -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            self.barrier.wait(self.timeout)

    def reset(self) -> None:
        """Ready for the next race (a barrier that timed out stays broken until reset)."""
        self.barrier.reset()
