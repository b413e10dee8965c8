"""Names for the few plain SQL statements the busiest pages send instead of ORM queries.

Building a query with the ORM costs ten to thirty times running it, at every request; the
reads every page makes (the session, the user's role, a session with the reader's rights,
« is there anything? » checks) are written once as text from the models' own table and
column names. Only these quoted names go into the text; values are always parameters.
"""

from __future__ import annotations

from django.db import connection


def table(meta) -> str:
    """The quoted table of a model (its ``_meta``)."""
    return connection.ops.quote_name(meta.db_table)


def column(meta, field_name: str) -> str:
    """The quoted column of one of a model's fields (``meta``: the model's ``_meta``)."""
    return connection.ops.quote_name(meta.get_field(field_name).column)
