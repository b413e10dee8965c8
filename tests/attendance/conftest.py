"""Fixtures of the attendance tests."""

from tests.full_disk import full_disk  # noqa: F401 - a fixture: a media volume with no space left
