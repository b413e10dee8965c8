"""The layout and the import contract (pyproject.toml, ``lint-imports``) hold, and the contract
catches a forbidden import."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["core", "training", "modules", "quizzes", "boussole"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
SITE_FILES = {"__init__.py", "settings.py", "urls.py", "wsgi.py", "asgi.py", "apps.py", "admin.py"}
SITE_FILES |= {"models.py"}  # re-exports the feature packages' models for Django


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_the_import_contract_holds():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("file", "line", "culprit"),
    [
        # The course may use training.access, nothing else of training.
        ("modules/views.py", "from training.sessions import selectors", "modules.views"),
        # Quizzes and the guide do not know each other.
        ("quizzes/views.py", "from boussole import graph", "quizzes.views"),
        # The access layer imports no feature.
        (
            "training/access/permissions.py",
            "from training.pages import views",
            "training.access.permissions",
        ),
        # The shared helpers import nothing of the project.
        ("core/downloads.py", "from modules import selectors", "core.downloads"),
    ],
)
def test_the_contract_fails_when_a_forbidden_import_is_added(tmp_path, file, line, culprit):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / file
    target.write_text(target.read_text() + f"\n{line}  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and culprit in result.stdout


def test_training_holds_only_the_site_files_and_feature_packages():
    top = {p.name for p in (ROOT / "training").glob("*.py")}
    assert top <= SITE_FILES, f"move these into a feature package: {sorted(top - SITE_FILES)}"


def test_no_feature_suffix_files_remain():
    suffix = re.compile(r"^(models|views|forms|urls|services|selectors|exports)_\w+\.py$")
    found = [
        str(p.relative_to(ROOT))
        for package in PACKAGES
        for p in (ROOT / package).rglob("*.py")
        if suffix.match(p.name) and "migrations" not in p.parts
    ]
    assert found == []
