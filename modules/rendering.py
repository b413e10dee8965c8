"""The one Markdown render function: Markdown → HTML → French spacing → nh3 allow-list.

Called when content is loaded or saved (load_course, the admin), never during a GET.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import markdown
import nh3

from core.typography import french_text, on_text

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
TABLE_OPEN = '<div class="table-scroll" tabindex="0" role="region" aria-label="Tableau"><table>'
# « 226-13 », « 2016-994 »: a line never breaks after the hyphen of an article or text number.
HYPHENATED_NUMBER = re.compile(r"(?<![\w-])(\d+(?:-\d+)+)(?![\w-])")


@dataclass
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)
    glossary_slugs: set[str] = field(default_factory=set)
    words: int = 0


def _keep_numbers_whole(text: str) -> str:
    """Wrap the hyphenated numbers of a text in a no-wrap span.

    A screen-only step: browsers break after a hyphen, which a no-break space cannot prevent,
    and the span only means something in the HTML of a page (print has its own line breaking).
    """
    return HYPHENATED_NUMBER.sub(r'<span class="text-nowrap">\1</span>', text)


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
        name = french_text(token["name"])
        items.append({"id": token["id"], "name": name, "level": token["level"]})
        items.extend(_flatten_toc(token.get("children", []), depth + 1))
    return items


def render_markdown(source: str, *, glossary: dict[str, str] | None = None) -> Rendered:
    """Render Markdown source to sanitised HTML, with its table of contents.

    ``glossary`` maps glossary slugs to term names: ``[[slug]]`` and ``[[slug|text]]`` become
    links to the glossary page. Slugs used are returned so the caller can reject unknown ones.

    French spacing (``core.typography``) is applied to the text of the rendered HTML, not to
    the source: Markdown syntax (a definition list's « : », a table's « | », code, link
    addresses) is never altered, and every course text, quiz, slide and guide gets the same
    spacing as the printed documents. It runs before the sanitiser, which therefore sees and
    cleans the final HTML.
    """
    found: set[str] = set()
    text = _glossary_links(source or "", glossary or {}, found)
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
    html = sanitise(on_text(html, french_text))
    html = on_text(html, _keep_numbers_whole)
    # Wide tables scroll on phones: the scrolling region must be reachable from the keyboard.
    html = html.replace("<table>", TABLE_OPEN).replace("</table>", "</table></div>")
    return Rendered(html=html, toc=toc, glossary_slugs=found, words=words)


def _slugify(value: str, separator: str) -> str:
    import unicodedata

    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[\s_-]+", separator, value)
