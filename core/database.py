"""Which database errors mean « unavailable for now », as opposed to a bug.

A locked, read-only, full, unreachable or restarting database is a fault of the moment: the
request can be answered « 503, try again » and the connection that saw it must be dropped
(an SQLite connection opened while the file was read-only stays read-only for its whole
life). A missing table, a syntax error or a broken constraint is a bug: it stays a 500.
"""

from __future__ import annotations

from django.db import connections
from django.db.utils import DatabaseError, InterfaceError, OperationalError

# SQLite primary result codes (the low byte of an extended code).
SQLITE_UNAVAILABLE = {
    5: "SQLITE_BUSY",  # database is locked (busy timeout exceeded)
    6: "SQLITE_LOCKED",  # database table is locked
    8: "SQLITE_READONLY",  # attempt to write a readonly database
    10: "SQLITE_IOERR",  # disk I/O error
    13: "SQLITE_FULL",  # database or disk is full
    14: "SQLITE_CANTOPEN",  # unable to open database file
    15: "SQLITE_PROTOCOL",  # locking protocol
}
SQLITE_MESSAGES = (
    "database is locked",
    "database table is locked",
    "readonly database",
    "disk i/o error",
    "database or disk is full",
    "unable to open database file",
)
# PostgreSQL SQLSTATE codes and classes.
PG_UNAVAILABLE_CLASSES = ("08", "53", "57P", "58")  # connection, resources, shutdown, I/O
PG_UNAVAILABLE_STATES = {
    "25006",  # read_only_sql_transaction (a replica, or the database set read-only)
    "55P03",  # lock_not_available (lock_timeout)
    "57014",  # query_canceled (statement_timeout)
    "40001",  # serialization_failure
    "40P01",  # deadlock_detected
}


def database_unavailable(error: BaseException | None) -> bool:
    """Return whether ``error`` says the database is unavailable for now (retry later)."""
    if not isinstance(error, DatabaseError):
        return False
    driver = error.__cause__  # the driver's own exception, kept by Django's wrapper
    code = getattr(driver, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in SQLITE_UNAVAILABLE
    state = getattr(driver, "sqlstate", None)
    if state:
        return state in PG_UNAVAILABLE_STATES or state.startswith(PG_UNAVAILABLE_CLASSES)
    if isinstance(error, InterfaceError):
        return True  # the connection is gone
    if isinstance(error, OperationalError):
        if type(driver).__module__.startswith("sqlite3"):  # a driver without result codes
            return any(text in str(error).lower() for text in SQLITE_MESSAGES)
        return True  # no SQLSTATE: the server could not be reached
    return False


def connections_discard() -> None:
    """Close every open database connection; the next request opens a fresh one.

    Django keeps a connection for ``CONN_MAX_AGE`` seconds and its health check cannot see
    that an SQLite connection became read-only; after an unavailability error the connection
    is closed so that service returns as soon as the database does.
    """
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DatabaseError:
            connection.connection = None
