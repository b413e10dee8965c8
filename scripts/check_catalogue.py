#!/usr/bin/env python
"""Fail when a UI string has no French translation or a French entry is fuzzy.

Runs makemessages first, so a string added to the code but absent from the catalogue shows up
as untranslated.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def main() -> int:
    os.chdir(ROOT)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "fr",
            "--no-obsolete",
            "--ignore=.venv/*",
            "--ignore=tests/*",
            "--ignore=staticfiles/*",
            "--no-location",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    problems = []
    for flag, label in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
        out = subprocess.run(
            ["msgattrib", flag, "--no-wrap", str(PO)], check=True, capture_output=True, text=True
        ).stdout
        ids = [
            line[7:-1]
            for line in out.splitlines()
            if line.startswith('msgid "') and line != 'msgid ""'
        ]
        problems += [f"{label}: {msgid}" for msgid in ids]
    if problems:
        print(f"{PO}: {len(problems)} French entries missing or fuzzy:")
        for problem in problems[:50]:
            print("  " + problem)
        return 1
    print(f"French catalogue complete ({PO.relative_to(ROOT)}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
