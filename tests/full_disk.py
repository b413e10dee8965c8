"""A media volume with no space left, for the disk-full tests.

As root (the CI and the developers' machines), a real 1 MB tmpfs is mounted as MEDIA_ROOT and
filled: creating a file works, writing to it fails with ENOSPC, exactly like the 2 MB volume
of the fault-injection run. Where mounting is not allowed, a storage that behaves the same
way (it creates the file, then fails with ENOSPC) stands in; ``full_disk.real`` says which.
"""

from __future__ import annotations

import errno
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage


class FullDiskStorage(FileSystemStorage):
    """Creates the file, then runs out of space on the first write (the fallback)."""

    def _save(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.open("xb").close()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


@dataclass
class FullDisk:
    root: Path
    real: bool

    def files(self) -> list[Path]:
        """Every file under the media root except the filler."""
        return sorted(p for p in self.root.rglob("*") if p.is_file() and p.name != ".filler")


def _mount(root: Path) -> bool:
    if os.geteuid() != 0:
        return False
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(root)],
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def _fill(root: Path) -> None:
    with (root / ".filler").open("wb") as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    # Smaller writes until not even a byte fits.
    with (root / ".filler").open("ab", buffering=0) as filler:
        for size in (4096, 512, 1):
            try:
                while True:
                    filler.write(b"\0" * size)
            except OSError:
                continue


@pytest.fixture
def full_disk(settings, tmp_path):
    root = tmp_path / "full-media"
    root.mkdir()
    real = _mount(root)
    settings.MEDIA_ROOT = root
    if real:
        _fill(root)
    else:
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "tests.full_disk.FullDiskStorage"},
        }
    try:
        yield FullDisk(root=root, real=real)
    finally:
        if real:
            subprocess.run(["umount", "-l", str(root)], check=False)
