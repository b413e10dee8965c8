"""Versioned entries of the shared cache (core/cache.py): right with several workers."""

import pytest
from django.core.cache import caches
from django.db import connection, transaction

from core.cache import (
    SHARED,
    code_stamp,
    shared_cache_prepare,
    version_bump,
    version_bumps_deferred,
    version_current,
    versioned_get,
)

pytestmark = pytest.mark.django_db


def _get(builds, value="A"):
    def build():
        builds.append(value)
        return value

    return versioned_get("test:entry", version_key="test:version", build=build)


def test_an_entry_is_built_once_then_read_until_its_version_is_bumped():
    builds = []
    assert _get(builds) == "A"
    assert _get(builds, "B") == "A"
    assert builds == ["A"]
    version_bump("test:version")
    assert _get(builds, "B") == "B"
    assert _get(builds, "C") == "B"
    assert builds == ["A", "B"]


def test_the_entries_live_in_a_table_every_worker_reads():
    """Another worker bumps the version: this one sees it at its next read, in the table."""
    builds = []
    _get(builds)
    with connection.cursor() as cursor:  # what another process's version_bump writes
        cursor.execute(
            "UPDATE training_shared_cache SET value = %s WHERE cache_key LIKE %s",
            ["gASVCAAAAAAAAACMBG5ldzKULg==", "%test:version"],  # pickle of "new2"
        )
    assert caches[SHARED].get("test:version") == "new2"
    assert _get(builds, "B") == "B"


def test_an_entry_built_from_data_read_before_a_commit_is_not_kept():
    """The bump after the commit retires what a worker built while the change was pending."""
    builds = []
    key = f"{code_stamp()}:test:entry"
    with transaction.atomic():
        _get(builds, "old")
        stale = caches[SHARED].get(key)
        version_bump("test:version")
    # A worker that had read the old version stores its entry after the first bump.
    caches[SHARED].set(key, stale)
    assert _get(builds, "new") == "new"


def test_many_changes_in_a_loader_bump_once():
    writes = []
    real_set = caches[SHARED].set

    def counting_set(key, *args, **kwargs):
        writes.append(key)
        return real_set(key, *args, **kwargs)

    caches[SHARED].set = counting_set
    try:
        with version_bumps_deferred():
            for _ in range(50):
                version_bump("test:version")
    finally:
        del caches[SHARED].set
    assert writes == ["test:version"]  # once (and once more after the commit)


def test_migrate_and_flush_empty_the_shared_cache():
    caches[SHARED].set("test:left-over", "x")
    shared_cache_prepare(using="default")
    assert caches[SHARED].get("test:left-over") is None


def test_entries_stored_by_other_code_are_not_read(settings, tmp_path):
    """A deployment's new code never reads what the old one stored (its stamp differs)."""
    builds = []
    _get(builds, "built by this code")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "models.py").write_text("x = 1\n")
    settings.BASE_DIR = tmp_path
    code_stamp.cache_clear()
    try:
        assert _get(builds, "built by the new code") == "built by the new code"
    finally:
        code_stamp.cache_clear()


def test_the_current_version_names_the_data_until_it_changes():
    first = version_current("test:version")
    assert first and version_current("test:version") == first
    version_bump("test:version")
    assert version_current("test:version") not in ("", first)


def test_a_cache_that_keeps_nothing_never_names_two_readers_alike(settings):
    """With a dummy cache no version is kept: each read names something new, so a fragment
    rendered for one reader is never shown to another."""
    settings.CACHES = {
        **settings.CACHES,
        SHARED: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    assert version_current("test:a", "test:b") != version_current("test:a", "test:b")
