#!/usr/bin/env python
"""Fail when a UI string has no French translation or a French entry is fuzzy, when a plural
entry lacks one of its French forms, when a French sentence puts a count before a plural
word without going through ``ngettext``, or when two parts translate one string differently.

Runs makemessages first, so a string added to the code but absent from the catalogue shows up
as untranslated.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
FRENCH_PLURAL_FORMS = "nplurals=2; plural=(n > 1);"
# A placeholder followed by a word in the plural (« %(count)s présents », « %(n)s réponses »):
# the number decides the agreement, so the entry must be an ngettext one.
COUNTED_PLURAL = re.compile(
    r"%\((?P<name>\w+)\)[sd][\s\u00a0]+(?:\w+[\s\u00a0]+)?(?P<word>[a-zàâçéèêëîïôûù-]{2,}[sx])\b"
)
# Words ending in s or x that are not plurals, and placeholders that are not counts.
NOT_PLURALS = {
    "après",
    "dans",
    "sur",
    "sous",
    "vers",
    "depuis",
    "parcours",
    "fois",
    "plus",
    "moins",
}
NOT_COUNTS = {"number", "code", "name", "title", "date", "slot", "status", "email", "module"}
NOT_COUNTS |= {"max"}  # the limits of the code, constants far above one
ALWAYS_PLURAL = {"Only the first 300 of %(count)s lines are shown."}  # shown above 300 only


def _unquote(chunks: list[str]) -> str:
    return "".join(
        bytes(chunk, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
        for chunk in chunks
    )


def po_entries(text: str) -> list[dict]:
    """Parse a PO file into entries: ``msgid``, ``msgid_plural``, ``msgstr`` (a list of forms)
    and ``flags``; enough of the format for our catalogue (no obsolete or context entries)."""
    entries = []
    for block in re.split(r"\n\s*\n", text):
        entry = {"msgid": None, "msgid_plural": None, "msgstr": {}, "flags": set()}
        key = None
        parts: dict = {}
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
                continue
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$', line)
            if match:
                key = match[1]
                parts[key] = [match[3]]
            elif line.startswith('"') and key:
                parts[key].append(line[1:-1])
        if "msgid" not in parts:
            continue
        entry["msgid"] = _unquote(parts.pop("msgid"))
        if "msgid_plural" in parts:
            entry["msgid_plural"] = _unquote(parts.pop("msgid_plural"))
        for key, chunks in parts.items():
            index = int(key[7:-1]) if key.startswith("msgstr[") else 0
            entry["msgstr"][index] = _unquote(chunks)
        entries.append(entry)
    return entries


def plural_problems(text: str) -> list[str]:
    """Return the plural problems of a French catalogue's text (empty when it is right)."""
    entries = po_entries(text)
    problems = []
    header = next((e for e in entries if e["msgid"] == ""), None)
    if header is None or FRENCH_PLURAL_FORMS not in header["msgstr"].get(0, "").replace("\n", ""):
        problems.append(
            f"plural forms: the header must say « Plural-Forms: {FRENCH_PLURAL_FORMS} »"
        )
    for entry in entries:
        if not entry["msgid"] or entry["msgid"] in ALWAYS_PLURAL:
            continue
        if entry["msgid_plural"] is not None:
            forms = [entry["msgstr"].get(index, "") for index in (0, 1)]
            if not all(forms):
                problems.append(f"plural form missing: {entry['msgid']}")
            continue
        french = entry["msgstr"].get(0, "")
        for match in COUNTED_PLURAL.finditer(french):
            if match["word"] not in NOT_PLURALS and match["name"] not in NOT_COUNTS:
                problems.append(f"count without ngettext: {entry['msgid']} → {french}")
                break
    return problems


def part_conflicts(parts: dict[str, str]) -> list[str]:
    """Return the strings two parts (``locale/parts/*.po``) translate differently: the merge
    keeps one of them, so a page of the other feature would read the wrong French. A string
    that must read differently gets a context (``pgettext``)."""
    seen: dict[tuple, tuple[str, str]] = {}
    problems = []
    for name, text in sorted(parts.items()):
        for block in re.split(r"\n\s*\n", text):
            context = re.search(r'^msgctxt "(.*)"$', block, re.M)
            entries = po_entries(block)
            if not entries or not entries[0]["msgid"]:
                continue
            entry = entries[0]
            key = (context[1] if context else None, entry["msgid"], entry["msgid_plural"])
            french = " | ".join(entry["msgstr"][i] for i in sorted(entry["msgstr"]))
            if key in seen and seen[key][1] != french:
                problems.append(
                    f"translated twice: {entry['msgid']!r} is « {seen[key][1]} » in "
                    f"{seen[key][0]} but « {french} » in {name}"
                )
            seen.setdefault(key, (name, french))
    return problems


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
    problems += plural_problems(PO.read_text(encoding="utf-8"))
    problems += part_conflicts(
        {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "locale" / "parts").glob("*.po")}
    )
    if problems:
        print(f"{PO}: {len(problems)} French entries missing or fuzzy:")
        for problem in problems[:50]:
            print("  " + problem)
        return 1
    print(f"French catalogue complete ({PO.relative_to(ROOT)}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
