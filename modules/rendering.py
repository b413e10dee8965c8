"""The one Markdown render function: Markdown → HTML → nh3 allow-list.

Called when content is loaded or saved (load_course, the admin), never during a GET.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import markdown
import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "id"},
    "abbr": {"title"},
    "div": {"class"},
    "p": {"class"},
    "span": {"class"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "li": {"id"},
    "sup": {"id"},
    "th": {"scope"},
    "ol": {"start"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
ALLOWED_CLASSES_PREFIX = ("admonition", "cas", "retenir", "attention", "footnote", "glossary-link")

GLOSSARY_LINK = re.compile(r"\[\[([a-z0-9-]+)(?:\|([^\]\n]+))?\]\]")
NARROW_NBSP = "\u202f"
TABLE_OPEN = '<div class="table-scroll" tabindex="0" role="region" aria-label="Tableau"><table>'
NBSP = "\u00a0"


@dataclass
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)
    glossary_slugs: set[str] = field(default_factory=set)
    words: int = 0


# « art. 226-13 », « L. 1110-4 », « n° 2016-41 », « al. 2 », « § 15 »: the label stays with its number.
LEGAL_REFERENCE = re.compile(r"\b(art|Art|al|[LRD])\. (?=(?:[LRD]\. ?)?\d)|(n°|§) (?=\d)")
# « 15 000 € », « 20 M€ », « 2 % »: a number stays with its thousands and its unit.
NUMBER_SPACE = re.compile(r"(?<=\d) (?=\d{3}\b|€|M€|%)")
# « 226-13 », « 2016-994 »: a line never breaks after the hyphen of an article or text number.
HYPHENATED_NUMBER = re.compile(r"(?<![\w-])(\d+(?:-\d+)+)(?![\w-])")


def _bind_reference(match: re.Match) -> str:
    label = f"{match.group(1)}." if match.group(1) else match.group(2)
    return label + NBSP


def french_typography(text: str) -> str:
    """Put the non-breaking spaces French typography needs before « ; ! ? : » and inside « »."""
    text = re.sub(r"(?<=\S) ([;!?])(?=\s|$)", NARROW_NBSP + r"\1", text, flags=re.M)
    text = re.sub(r"(?<=\S) :(?=\s|$)", NBSP + ":", text, flags=re.M)
    text = re.sub(r"« ", "«" + NBSP, text)
    text = re.sub(r" »", NBSP + "»", text)
    return text


def bind_legal_references(text: str) -> str:
    """Keep « art. », « L. », « n° » with their number and amounts with their unit, so that a
    legal reference never splits across two lines on a phone."""
    text = LEGAL_REFERENCE.sub(_bind_reference, text)
    return NUMBER_SPACE.sub(NARROW_NBSP, text)


def _keep_numbers_whole(html: str) -> str:
    """Wrap hyphenated numbers of the text (never of tags or attributes) in a no-wrap span."""
    parts = re.split(r"(<[^>]*>)", html)
    return "".join(
        part
        if part.startswith("<")
        else HYPHENATED_NUMBER.sub(r'<span class="text-nowrap">\1</span>', part)
        for part in parts
    )


def _in_sentence(term: str) -> str:
    """Lower-case a term's capital for use inside a sentence, but keep acronyms (CNIL, RGPD)."""
    if len(term) > 1 and term[0].isupper() and term[1].islower():
        return term[0].lower() + term[1:]
    return term


def _glossary_links(source: str, glossary: dict[str, str], found: set[str]) -> str:
    def replace(match):
        slug, label = match.group(1), match.group(2)
        found.add(slug)
        text = (label or _in_sentence(glossary.get(slug) or slug)).strip()
        return f'<a class="glossary-link" href="{base}#{slug}">{text}</a>'

    from django.urls import reverse

    base = reverse("modules:glossary")

    return GLOSSARY_LINK.sub(replace, source)


def sanitise(html: str) -> str:
    """Keep only harmless tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _flatten_toc(tokens, depth=0):
    items = []
    for token in tokens:
        items.append({"id": token["id"], "name": token["name"], "level": token["level"]})
        items.extend(_flatten_toc(token.get("children", []), depth + 1))
    return items


def render_markdown(
    source: str, *, glossary: dict[str, str] | None = None, keep_references: bool = False
) -> Rendered:
    """Render Markdown source to sanitised HTML, with its table of contents.

    ``glossary`` maps glossary slugs to term names: ``[[slug]]`` and ``[[slug|text]]`` become
    links to the glossary page. Slugs used are returned so the caller can reject unknown ones.
    ``keep_references`` binds legal references and amounts (course texts read on phones).
    """
    found: set[str] = set()
    text = french_typography(source or "")
    if keep_references:
        text = bind_legal_references(text)
    text = _glossary_links(text, glossary or {}, found)
    md = markdown.Markdown(
        extensions=["extra", "admonition", "toc", "sane_lists"],
        extension_configs={
            "toc": {"toc_depth": "2-3", "permalink": False, "slugify": _slugify},
            "footnotes": {"BACKLINK_TEXT": "↩"},
        },
        output_format="html",
    )
    html = md.convert(text)
    toc = _flatten_toc(getattr(md, "toc_tokens", []))
    words = len(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", html)))
    html = sanitise(html)
    if keep_references:
        html = _keep_numbers_whole(html)
    # Wide tables scroll on phones: the scrolling region must be reachable from the keyboard.
    html = html.replace("<table>", TABLE_OPEN).replace("</table>", "</table></div>")
    return Rendered(html=html, toc=toc, glossary_slugs=found, words=words)


def _slugify(value: str, separator: str) -> str:
    import unicodedata

    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[\s_-]+", separator, value)
