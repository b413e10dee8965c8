"""The lock (requirements/*.txt, `make lock`) installs what pyproject.toml asks for."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pins(name):
    text = (ROOT / "requirements" / name).read_text()
    found = {}
    for block in re.split(r"\n(?=\S)", text):
        match = re.match(r"([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)", block)
        if match:
            hashes = re.findall(r"--hash=sha256:[0-9a-f]{64}", block)
            found[canonicalize_name(match.group(1).split("[")[0])] = (
                Version(match.group(2)),
                hashes,
            )
    return found


def test_every_dependency_is_pinned_with_hashes_within_its_floor():
    base, dev = pins("base.txt"), pins("dev.txt")
    for requirements, lock in (
        (PROJECT["dependencies"], base),
        (PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"], dev),
    ):
        for line in requirements:
            requirement = Requirement(line)
            name = canonicalize_name(requirement.name)
            assert name in lock, f"{name} is not in the lock: run `make lock`"
            version, hashes = lock[name]
            assert requirement.specifier.contains(version), f"{name} {version} ∉ {requirement}"
            assert hashes, name
    for lock in (base, dev):
        assert all(hashes for _version, hashes in lock.values())


def test_production_and_development_install_the_same_versions():
    base, dev = pins("base.txt"), pins("dev.txt")
    assert {name: base[name][0] for name in base} == {name: dev[name][0] for name in base}
