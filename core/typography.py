"""French typography, one rule set for the screen and for print: no-break spaces where French
puts them.

« guillemets » take a no-break space inside and « : » one before it; « ; », « ! » and « ? » a
narrow one. A number never breaks from its thousands or its unit (« 15 000 € », « 4 % », « 2 h »)
and a label never from its number (« art. L. 226-13 », « al. 2 », « n° 2016-41 », « § 15 »), so a
legal reference stays on one line, on a phone as on paper. Only spaces change, so escaped text
stays escaped; an address (``https://…``) or a time (``10:30``) has no space before its colon
and is left alone. In HTML, tags and the content of ``code``, ``pre``, ``script`` and ``style``
are never touched.

Course texts (``modules.rendering``), quiz and guide texts, and the PDF documents
(``training.documents``) all use this module, so the same text is spaced the same everywhere.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

NBSP = "\u00a0"
NNBSP = "\u202f"

# Any space an author, Markdown or a template may leave, no-break ones included (the rules
# are idempotent: text already spaced comes out unchanged).
_GAP = "[ \t\r\n\u00a0\u202f]"
_RULES = [
    (re.compile(rf"«{_GAP}*"), "«" + NBSP),
    (re.compile(rf"{_GAP}*»"), NBSP + "»"),
    (re.compile(rf"{_GAP}+:(?=\s|$|<)"), NBSP + ":"),
    (re.compile(rf"{_GAP}+([;!?])"), NNBSP + r"\1"),
    # Thousands are never split across lines: « 15 000 », « 300 000 ».
    (re.compile(r"(?<=\d) (?=\d{3}\b)"), NNBSP),
    # A number stays with its unit symbol (narrow, like the thousands) or its unit word.
    (re.compile(r"(?<=\d) (?=M?€|%|h\b|min\b)"), NNBSP),
    (re.compile(r"(?<=\d) (?=heures?\b|p\.)"), NBSP),
    # A label stays with its number: « art. 226-13 », « L. 1110-4 », « n° 2016-41 », « p. 12 ».
    (re.compile(r"\b(art\.|Art\.|p\.|n°)[ \t\r\n]+(?=\w)"), r"\1" + NBSP),
    (re.compile(r"\b(al\.|[LRD]\.)[ \t\r\n]+(?=\d)"), r"\1" + NBSP),
    (re.compile(r"§[ \t\r\n]+(?=\d)"), "§" + NBSP),
]
_ENTITIES = {"&nbsp;": NBSP, "&#160;": NBSP, "&#xa0;": NBSP, "&#8239;": NNBSP, "&#x202f;": NNBSP}
_ENTITY = re.compile("|".join(re.escape(e) for e in _ENTITIES), re.IGNORECASE)
_TAG = re.compile(r"(<[^>]*>)")
# Elements whose text is code or machine text, never prose.
_VERBATIM = re.compile(r"<(/?)(code|pre|script|style)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=8192)
def french_text(text: str) -> str:
    """Return plain (or escaped) text with French no-break spaces.

    Remembered per process: a session's documents repeat the same paragraphs for every
    trainee (a bundle's fingerprint passes them here about 18,000 times).
    """
    text = _ENTITY.sub(lambda match: _ENTITIES[match.group(0).lower()], text or "")
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def on_text(html: str, change: Callable[[str], str]) -> str:
    """Apply ``change`` to the text of HTML only: never to tags or attributes, nor to code.

    Splitting on ``<…>`` is exact for sanitised or escaped HTML, where text holds no ``<`` or
    ``>``. On HTML not yet sanitised it can only change spaces, and the sanitiser runs after.
    """
    parts = _TAG.split(html or "")
    verbatim = 0
    out = []
    for part in parts:
        if part.startswith("<"):
            tag = _VERBATIM.match(part)
            if tag:
                verbatim = max(0, verbatim - 1) if tag.group(1) else verbatim + 1
            out.append(part)
        else:
            out.append(part if verbatim else change(part))
    return "".join(out)


def french_html(html: str) -> SafeString:
    """Apply French spacing to the text of trusted (sanitised) HTML, leaving tags alone."""
    return mark_safe(on_text(html, french_text))  # noqa: S308 — only spaces change in safe HTML


def french(value) -> SafeString:
    """Escape a plain value (unless already safe) and apply French spacing to its text."""
    return french_html(str(conditional_escape("" if value is None else value)))
