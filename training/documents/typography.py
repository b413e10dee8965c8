"""Typography specific to printed documents: the punctuation of citations.

French spacing is not here: it is one rule set shared with the screen, ``core.typography``.
"""

from __future__ import annotations

import re

from django.utils.safestring import SafeString, mark_safe

# A field that ends with its own full stop, followed by the separator the citation adds.
_DOUBLE_STOP = re.compile(r"(?<=[\w)\]»])\.(?=[.,](?!\.))")
_ABBREVIATION = re.compile(r"(?:\b\w|\bp|\bn°|\bart|\bvol|\bed|\bdir|\bcoll)$", re.IGNORECASE)


def citation_punctuation(html: str) -> SafeString:
    """Drop the full stop a field ends with when the citation adds its own « , » or « . ».

    « Rapport, juin 2001., ENSP » becomes « Rapport, juin 2001, ENSP »; abbreviations such as
    « 140 p., Paris » keep their point.
    """

    def keep_or_drop(match: re.Match) -> str:
        before = match.string[max(0, match.start() - 6) : match.start()]
        return "." if _ABBREVIATION.search(before) else ""

    return mark_safe(_DOUBLE_STOP.sub(keep_or_drop, str(html)))  # noqa: S308
