"""Logs an operator can search: a request id on every line, and JSON when asked.

``LOG_FORMAT=json`` (settings and deploy/gunicorn.conf.py) writes one JSON object per line
with the time, level, logger, message and, where known, the request id, method, path and
status; ``text`` (the default) keeps readable lines with the request id. This module is
imported by gunicorn's master process too, so it imports nothing of Django at load time.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
from collections.abc import Mapping

# The id of the request this thread is answering ("-" outside a request); set by
# training.operations.middleware.RequestIdMiddleware.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Give every record the current request id (``%(request_id)s`` in text formats)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


# Gunicorn's access log atoms (its record's args) that go into the JSON object, by name.
_ACCESS_FIELDS = {
    "remote_addr": "h",
    "forwarded_for": "{x-forwarded-for}i",
    "request_id": "{x-request-id}i",
    "method": "m",
    "path": "U",
    "status": "s",
    "bytes": "B",
    "duration_ms": "M",
    "user_agent": "a",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line; never raises on an odd record."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
        }
        args = record.args
        if record.name == "gunicorn.access" and isinstance(args, Mapping):
            # The access line's fields, typed, instead of the formatted Apache-style line.
            entry["message"] = "request"
            for field, atom in _ACCESS_FIELDS.items():
                value = args.get(atom)
                if value not in (None, "-"):
                    entry[field] = value
        else:
            entry["message"] = record.getMessage()
            request_id = getattr(record, "request_id", None) or request_id_var.get()
            if request_id != "-":
                entry["request_id"] = request_id
            request = getattr(record, "request", None)
            # django.request records carry the HttpRequest; django.server ones a socket.
            if request is not None and hasattr(request, "path") and hasattr(request, "method"):
                entry["method"] = request.method
                entry["path"] = request.path
            status = getattr(record, "status_code", None)
            if status is not None:
                entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
