"""Django's database sessions, read with one plain query instead of the ORM's.

Every logged-in request reads its session first. Django's store builds that query with the
ORM (``Session.objects.get(...)``) at every request, which costs several times the query
itself; this store sends the same SELECT as text. Everything else (the table, writing,
``clearsessions``, the cookie) is Django's. ``SESSION_ENGINE`` names this module.
"""

from __future__ import annotations

import functools

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


@functools.cache
def _load_sql(vendor: str, table: str, quote) -> str:
    return (
        f"SELECT {quote('session_data')} FROM {quote(table)} "  # noqa: S608 (names only)
        f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s"
    )


class SessionStore(db.SessionStore):
    """Django's database session store; only the read at each request is different."""

    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        sql = _load_sql(connection.vendor, model._meta.db_table, connection.ops.quote_name)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:  # unknown or expired: a new session, as Django's store does
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
