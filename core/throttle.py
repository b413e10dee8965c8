"""Counters shared by every process: at most ``limit`` events per key in a sliding window.

Each event takes one of ``limit`` slots of its key; a slot is a cache entry that expires
``window`` seconds after it was taken. ``cache.add`` is atomic (the database cache relies on
the table's primary key), so two processes never take the same slot and the limit holds
under concurrent requests. Keys are hashed: an email address never lands in the cache table.
"""

from __future__ import annotations

import hashlib

from django.core.cache import caches


def _keys(scope: str, key: str, limit: int) -> list[str]:
    digest = hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()[:40]
    return [f"throttle:{scope}:{digest}:{slot}" for slot in range(limit)]


def throttle_take(*, scope: str, key: str, limit: int, window: int, cache: str) -> bool:
    """Take a slot for ``key`` (True), or return False when ``limit`` are taken already."""
    store = caches[cache]
    keys = _keys(scope, key, limit)
    taken = store.get_many(keys)
    # ``any`` stops at the first slot taken: one event takes one slot.
    return any(name not in taken and store.add(name, 1, timeout=window) for name in keys)


def throttle_count(*, scope: str, key: str, limit: int, cache: str) -> int:
    """Return how many slots of ``key`` are taken (for reports and tests)."""
    return len(caches[cache].get_many(_keys(scope, key, limit)))
