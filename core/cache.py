"""Cached values that stay right with several workers: an entry and the version it was built from.

Pages that read data which rarely changes (the course outline, a lesson, a quiz's results
figures) keep what they computed in the ``shared`` cache (settings.CACHES: a table of the
database, so every gunicorn worker and every host sees the same entries). Each entry is stored
with the version of its data; ``versioned_get`` reads the current version and the entry in
one round trip and rebuilds the entry when they differ. Whatever changes the data calls
``version_bump`` (services, the admin through signals, ``load_course``): every worker rebuilds
at its next request, nothing needs deleting, and an entry can never outlive its data.

The version is bumped at once (so that the rest of the transaction, and the tests, read the
new data) and again after the commit: a worker that read the old version and then the data
just committed labels its entry with the old version, which the second bump retires.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction

SHARED = "shared"
T = TypeVar("T")

# The versions to bump at the end of a version_bumps_deferred() block (None outside one).
_deferred: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "versions_deferred", default=None
)


def _new_version() -> str:
    return secrets.token_hex(8)


# Folders of the project that hold no code whose objects are cached.
_NOT_CODE = {"tests", "node_modules", "staticfiles", "media", "fixtures", "locale", "docs"}


@functools.cache
def code_stamp() -> str:
    """A digest of the project's Python code: the first part of every entry's key.

    Entries are pickled objects of the code that built them. A deployment runs ``migrate``
    (which empties the shared cache) while the old workers still answer; what they store
    then would be read by the new code. Under the new code's stamp it never is.
    """
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    folders = [
        folder
        for folder in sorted(base.iterdir())
        if folder.is_dir() and not folder.name.startswith(".") and folder.name not in _NOT_CODE
    ]
    for path in sorted(path for folder in folders for path in folder.rglob("*.py")):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def version_bump(key: str) -> None:
    """Retire every entry built from the data that ``key`` versions, in every worker."""
    deferred = _deferred.get()
    if deferred is not None:
        deferred.add(key)
        return
    caches[SHARED].set(key, _new_version(), timeout=None)
    transaction.on_commit(lambda: caches[SHARED].set(key, _new_version(), timeout=None))


@contextmanager
def version_bumps_deferred() -> Iterator[None]:
    """Bump each version once, at the end of the block, however many rows it changes.

    For loaders that save hundreds of rows whose signals would each bump the version.
    """
    keys: set[str] = set()
    token = _deferred.set(keys)
    try:
        yield
    finally:
        _deferred.reset(token)
        for key in sorted(keys):
            version_bump(key)


def versioned_get(
    key: str, *, version_key: str | tuple[str, ...], build: Callable[[], T], timeout=None
) -> T:
    """Return the entry ``key`` if it was built from the current version, else build it.

    ``build`` reads the data after the version was read, so what it returns is at least as
    new as the version it is labelled with. ``version_key`` may name several versions (an
    entry built from two kinds of data). ``timeout`` defaults to the cache's (a day).
    """
    return versioned_get_many({key: (version_key, build)}, timeout=timeout)[key]


def versioned_get_many(
    entries: dict[str, tuple[str | tuple[str, ...], Callable[[], object]]], *, timeout=None
) -> dict[str, object]:
    """``versioned_get`` for several entries (key → (version key(s), build)), in one round trip."""
    cache = caches[SHARED]
    wanted = {
        key: (version_keys,) if isinstance(version_keys, str) else tuple(version_keys)
        for key, (version_keys, _build) in entries.items()
    }
    version_keys = {name for names in wanted.values() for name in names}
    stored = {key: f"{code_stamp()}:{key}" for key in entries}  # versions need no stamp
    found = cache.get_many([*version_keys, *stored.values()])
    found.update({key: found.pop(name) for key, name in stored.items() if name in found})
    for version_key in version_keys - found.keys():  # first use, or the cache was emptied
        cache.add(version_key, _new_version(), timeout=None)  # unless a worker just did
        found[version_key] = cache.get(version_key)
    values = {}
    for key, (_version_keys, build) in entries.items():
        version = tuple(found[name] for name in wanted[key])
        if len(version) == 1:
            version = version[0]
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            values[key] = entry[1]
            continue
        values[key] = build()
        if version is None or (isinstance(version, tuple) and None in version):
            continue  # the cache keeps nothing (a dummy cache): no entry either
        if timeout is None:
            cache.set(stored[key], (version, values[key]))
        else:
            cache.set(stored[key], (version, values[key]), timeout)
    return values


def version_current(*version_keys: str) -> str:
    """The current version of some data (of several, joined by « - »), in one small read:
    enough to name fragments rendered from it (``{% cache %}``) without reading the entries
    built from it."""
    cache = caches[SHARED]
    found = cache.get_many(version_keys)
    for version_key in set(version_keys) - found.keys():  # first use, or the cache was emptied
        cache.add(version_key, _new_version(), timeout=None)
        found[version_key] = cache.get(version_key)
    # A cache that keeps nothing (a dummy cache) names nothing twice: no fragment is shared.
    return "-".join(found[key] or _new_version() for key in version_keys)


def shared_cache_prepare(**kwargs) -> None:
    """Create the shared cache's table, or empty it (after ``migrate`` and ``flush``).

    Connected to ``post_migrate``: a new database gets the table with its migrations, and a
    database emptied by ``flush`` (tests) or changed by a deployment starts with no entry.
    """
    using = kwargs.get("using", "default")
    call_command("createcachetable", database=using, verbosity=0)
    caches[SHARED].clear()
