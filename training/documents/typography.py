"""French typography for printed documents: no-break spaces where French puts them.

« guillemets » take a no-break space inside; « : » takes a no-break space before it; « ; »,
« ! » and « ? » a narrow no-break space; « 15 000 € » and « art. L. 226-2-2 » never break
between their parts. Applied to text only, never inside tags, and never
to an address (``https://…``) or a time such as ``10:30``.
"""

from __future__ import annotations

import re

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

NBSP = "\u00a0"
NNBSP = "\u202f"

_RULES = [
    (re.compile(r"«[ \u00a0\u202f]*"), "«" + NBSP),
    (re.compile(r"[ \u00a0\u202f]*»"), NBSP + "»"),
    (re.compile(r"[ \u00a0\u202f]+:(?=\s|$|<)"), NBSP + ":"),
    (re.compile(r"[ \u00a0\u202f]+([;!?])"), NNBSP + r"\1"),
    # Numbers and their unit or article sign stay together: « 15 000 € », « art. 226-13 ».
    (re.compile(r"(\d) (€|%|h\b|heures?\b|min\b|p\.)"), r"\1" + NBSP + r"\2"),
    (re.compile(r"\b(n°|art\.|Art\.|p\.) (?=\w)"), r"\1" + NBSP),
    # A code's article number stays with its part letter: « L. 226-2-2 », « R. 1110-1 ».
    (re.compile(r"\b([LRD]\.) (?=\d)"), r"\1" + NBSP),
    # Thousands are never split across lines: « 15 000 € », « 300 000 € ».
    (re.compile(r"(?<=\d) (?=\d{3}\b)"), NBSP),
]
_TEXT = re.compile(r"(<[^>]*>)")
_ENTITIES = {"&nbsp;": NBSP, "&#160;": NBSP, "&#xa0;": NBSP, "&#8239;": NNBSP, "&#x202f;": NNBSP}
_ENTITY = re.compile("|".join(re.escape(e) for e in _ENTITIES), re.IGNORECASE)
# A field that ends with its own full stop, followed by the separator the citation adds.
_DOUBLE_STOP = re.compile(r"(?<=[\w)\]»])\.(?=[.,](?!\.))")
_ABBREVIATION = re.compile(r"(?:\b\w|\bp|\bn°|\bart|\bvol|\bed|\bdir|\bcoll)$", re.IGNORECASE)


def french_text(text: str) -> str:
    """Return plain text with French no-break spaces."""
    text = _ENTITY.sub(lambda match: _ENTITIES[match.group(0).lower()], text)
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def french(value) -> SafeString:
    """Escape a plain value (unless already safe) and apply French spacing to its text."""
    html = str(conditional_escape("" if value is None else value))
    return french_html(html)


def french_html(html: str) -> SafeString:
    """Apply French spacing to the text of trusted (sanitised) HTML, leaving tags alone."""
    parts = _TEXT.split(html or "")
    return mark_safe(  # noqa: S308 — only spaces are changed in already-safe HTML
        "".join(part if part.startswith("<") else french_text(part) for part in parts)
    )


def citation_punctuation(html: str) -> SafeString:
    """Drop the full stop a field ends with when the citation adds its own « , » or « . ».

    « Rapport, juin 2001., ENSP » becomes « Rapport, juin 2001, ENSP »; abbreviations such as
    « 140 p., Paris » keep their point.
    """

    def keep_or_drop(match: re.Match) -> str:
        before = match.string[max(0, match.start() - 6) : match.start()]
        return "." if _ABBREVIATION.search(before) else ""

    return mark_safe(_DOUBLE_STOP.sub(keep_or_drop, str(html)))  # noqa: S308
