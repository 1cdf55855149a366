"""A database that keeps a request waiting (hệ thống đang bận): the product's own answer.

PostgreSQL ends a statement at ``statement_timeout`` and a wait for a lock at ``lock_timeout``;
SQLite gives up a write after its busy timeout; a deadlock or a lost connection ends a
transaction too. All of them reach the request as ``django.db.OperationalError``, shorter than
the web server's own timeout (settings), and the 500 handler hands them here: a 503 page in
Vietnamese that says nothing was saved and to try again in a moment, with ``Retry-After``, and a
log line that says which wait ran out. An action run through ``core.feedback.perform`` never gets
this far: it shows its own message on the page it came from.
"""

import logging

from django.db import OperationalError
from django.shortcuts import render

logger = logging.getLogger("thidua.database")

RETRY_AFTER_SECONDS = 30

# PostgreSQL's SQLSTATE for each kind of wait that ran out.
_KINDS = {"57014": "statement_timeout", "55P03": "lock_timeout", "40P01": "deadlock",
          "40001": "serialization_failure"}


def kind_of(exc: OperationalError) -> str:
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate:
        return _KINDS.get(sqlstate, f"sqlstate {sqlstate}")
    if "locked" in str(exc):
        return "sqlite_busy_timeout"
    return "operational_error"


def busy_response(request, exc: OperationalError):
    kind = kind_of(exc)
    # The path only: queries and forms may carry personal data.
    logger.warning("Database busy (%s) on %s %s; answered 503.", kind, request.method,
                   request.path)
    response = render(request, "errors/503.html", {"retry_after": RETRY_AFTER_SECONDS},
                      status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
