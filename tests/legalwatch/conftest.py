import shutil
from pathlib import Path

import pytest
from django.conf import settings

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture
def content_copy(tmp_path):
    """A copy of the real content folder, to change one file and load it."""
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, target)
    return target


def insert_line(path: Path, after: int, text: str) -> int:
    """Insert ``text`` as a new line after line ``after``; return its line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(after, text)
    path.write_text("\n".join(lines), encoding="utf-8")
    return after + 1
