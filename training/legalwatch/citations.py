"""Find the legal citations in a text and map each one to a key of the references registry.

Pure functions, no database: the loader runs them over every content file
(``training.content.loader``), the tests over hundreds of real forms. The grammar is written
down for authors in ``fixtures/README.md`` (« Citer un texte »); in short:

- **articles** — ``art.``/``article(s)`` then one or more numbers (« 226-14 », « L. 1110-4 »,
  « R. 4127-35 », « 9 », « 1er ») joined by « , », « et », « à », « ou », each with optional
  sub-divisions that are ignored (« , 2° », « III », « al. 2 », « § 15 », « s. »), then
  optionally the code or text they belong to (« C. pén. », « du Code pénal », « CSP »,
  « CASF », « C. civ. », « CPP », « CGFP », « RGPD », « de la loi du 13 juillet 1983 »…),
  which may also come just before (« RGPD, art. 83 », « loi n° 78-17…, art. 6 »). Numbers
  starting with L., R. or D. are recognised without ``art.`` too (« L. 226-2-1 CASF »), and so
  are Code pénal numbers (« 226-13 et 226-14 »);
- **texts** — « loi », « décret », « ordonnance », « arrêté » with a number
  (« loi n° 2016-41 », « loi 2002-2 ») and/or a date (« loi du 4 mars 2002 »), the RGPD
  (« règlement (UE) 2016/679 »), « directive 95/46/CE », « décision n° 99-416 DC »;
- **decisions** — « Crim. 17 mai 1973 », « Cass. crim., … », « Civ. 1re, 23 avril 2003 »,
  « Cass. soc., 11 septembre 2024 », « CE, 28 juillet 1993 », « CAA de Lyon, 30 décembre
  1992 », « Chambre criminelle (…) du 8 juin 2021 »;
- **names** the registry declares (« Watelet »).

Granularity is the article: sub-divisions map to their article; the articles of a law or a
decree map to the law or decree itself. A citation whose code is not written takes the code
of the previous citation of the same paragraph when that article is in the registry, and is
otherwise looked up by its number alone, which must then be unique in the registry.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

MONTHS = {
    "janvier": 1,
    "février": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
}
S = r"[ \t\n\u00a0\u202f]"  # a space, a line break or a no-break space
DATE = rf"(?P<day>1er|\d{{1,2}}){S}+(?P<month>{'|'.join(MONTHS)}){S}+(?P<year>1[789]\d\d|20\d\d)"

# Codes and other containers of articles: the key prefix, then the ways they are written
# after the article number (longest first, so « Code pénal de 1810 » wins over « Code pénal »).
CODES: dict[str, tuple[str, ...]] = {
    "c-pen-1810": (r"Code{S}pénal{S}de{S}1810", r"code{S}pénal{S}de{S}1810"),
    "c-pen": (r"C\.{S}?pén\.", r"[Cc]ode{S}pénal"),
    "csp": (r"CSP", r"[Cc]ode{S}de{S}la{S}santé{S}publique"),
    "casf": (r"CASF", r"[Cc]ode{S}de{S}l['’]action{S}sociale{S}et{S}des{S}familles"),
    "c-civ": (r"C\.{S}?civ\.", r"[Cc]ode{S}civil"),
    "cpp": (r"CPP", r"C\.{S}?proc\.{S}?pén\.", r"[Cc]ode{S}de{S}procédure{S}pénale"),
    "cgfp": (r"CGFP", r"[Cc]ode{S}général{S}de{S}la{S}fonction{S}publique"),
    "cfas": (r"CFAS", r"[Cc]ode{S}de{S}la{S}famille{S}et{S}de{S}l['’]aide{S}sociale"),
    "rgpd": (
        r"RGPD",
        r"[Rr]èglement{S}\(UE\){S}(?:n°{S}?)?2016/679",
        r"[Rr]èglement{S}général{S}sur{S}la{S}protection{S}des{S}données",
    ),
    "ddhc": (r"DDHC", r"Déclaration{S}des{S}droits{S}de{S}l['’]homme{S}et{S}du{S}citoyen"),
    # The articles of the code of medical ethics are the articles R. 4127-N of the CSP.
    "deontologie": (r"[Cc]ode{S}de{S}déontologie{S}médicale",),
    # The charter of the rights of the person in care is the annex of an arrêté.
    "charte": (r"[Cc]harte{S}des{S}droits{S}et{S}libertés{S}de{S}la{S}personne{S}accueillie",),
}
# Containers whose articles stand for one text of the registry.
CONTAINER_TEXTS = {"charte": "arrete-2003-09-08"}
CODE_PATTERN = "|".join(
    f"(?P<code_{name.replace('-', '_')}>{'|'.join(forms)})".replace("{S}?", S + "?").replace(
        "{S}", S + "+"
    )
    for name, forms in CODES.items()
)
CODE_AFTER = re.compile(
    rf"{S}*,?{S}*(?:(?:du|de{S}la|de{S}l['’]|des){S}+)?(?:(?:nouveau|ancien){S}+)?(?:{CODE_PATTERN})"
    r"(?![\w])"
)
CODE_ANYWHERE = re.compile(rf"(?<![\w])(?:{CODE_PATTERN})(?![\w])")
CODE_BEFORE = re.compile(rf"(?:{CODE_PATTERN}){S}*,{S}*$")

TEXT_KINDS = {
    "loi": "loi",
    "lois": "loi",
    "décret": "decret",
    "décrets": "decret",
    "ordonnance": "ordonnance",
    "ordonnances": "ordonnance",
    "arrêté": "arrete",
    "arrêtés": "arrete",
}
TEXT = re.compile(
    rf"(?<![\w])(?P<kind>[Ll]ois?|[Dd]écrets?|[Oo]rdonnances?|[Aa]rrêtés?)"
    rf"(?:{S}+organique)?"
    rf"(?:{S}+(?:n°{S}*(?P<number>\d{{2,4}}-\d{{1,5}})|(?P<bare_number>(?:19|20)\d\d-\d{{1,5}}))(?![\w-]))?"
    rf"(?:{S}*,?{S}*du{S}+{DATE})?"
)
# « la loi de 1978 » names a text only as the owner of an article (« art. 6 de la loi de 1978 »).
TEXT_YEAR = re.compile(rf"(?<![\w])[Ll]oi{S}+de{S}+(?P<year>1[89]\d\d|20\d\d)(?![\w])")
REGULATION = re.compile(rf"[Rr]èglement{S}+\(UE\){S}+(?:n°{S}?)?2016/679")
DIRECTIVE = re.compile(rf"[Dd]irective{S}+95/46/CE")
CONSTITUTIONAL = re.compile(
    rf"[Dd]écision{S}+(?:du{S}+Conseil{S}+constitutionnel{S}+)?n°{S}*(?P<number>\d{{2,4}}-\d{{1,4}}){S}*DC"
)
COURTS = [
    ("crim", re.compile(rf"(?:Cass\.{S}*)?[Cc]rim\.{S}*,?{S}*{DATE}")),
    ("civ1", re.compile(rf"(?:Cass\.{S}*)?[Cc]iv\.{S}*1re{S}*,?{S}*{DATE}")),
    ("soc", re.compile(rf"Cass\.{S}*soc\.{S}*,?{S}*{DATE}")),
    ("ce", re.compile(rf"(?<![\w]){r'CE'}{S}*,{S}*(?:Sect\.{S}*,{S}*|Ass\.{S}*,{S}*)?{DATE}")),
    ("caa-lyon", re.compile(rf"CAA{S}+(?:de{S}+)?Lyon{S}*,?{S}*(?:le{S}+|du{S}+)?{DATE}")),
    (
        "crim",
        re.compile(
            rf"[Cc]hambre{S}+criminelle(?:{S}+de{S}+la{S}+Cour{S}+de{S}+cassation)?"
            rf"(?:{S}*\([^)]{{0,40}}\))?{S}*,?{S}*(?:le|du|a{S}+jugé{S}+le|,){S}+{DATE}"
        ),
    ),
]

ARTICLE_WORD = re.compile(rf"(?<![\w])(?:[Aa]rt\.|[Aa]rticles?|ARTICLES?){S}*")
NUMBER = re.compile(rf"(?:(?P<letter>[LRD])\.{S}?)?(?P<number>\d+(?:-\d+)*)(?P<first>er)?(?![\w/])")
LETTERED = re.compile(rf"(?<![\w.])(?P<letter>[LRD])\.{S}?(?P<number>\d{{2,4}}(?:-\d+)+)(?![\w/])")
PENAL_SHAPE = re.compile(r"^[1-7]\d\d-\d{1,2}(?:-\d+)?$")
PENAL_BARE = re.compile(
    rf"(?<![\w./°§-])(?<!p\.{S})(?<!n°{S})(?<!n°)(?P<number>[1-7]\d\d-\d{{1,2}}(?:-\d+)?)(?![\w/-]|\.\d)"
)
SUBDIVISION = re.compile(
    rf"(?:{S}*,?{S}*(?:(?:et|à|ou){S}+(?=I|V|X|\d+°|al\.))?(?:"
    rf"(?:I{{1,3}}|IV|V|VI{{1,3}}|IX|X)(?![\w])"
    rf"|\d+°"
    rf"|(?:al\.|alinéa){S}*\d+"
    rf"|(?:premier|dernier|deuxième|second){S}+alinéa"
    rf"|§{S}*\d+"
    rf"|(?:et{S}+)?(?:s\.|suiv\.|suivants)(?![\w])"
    rf"|(?:bis|ter)(?![\w])"
    rf"|\((?:\d+°|I{{1,3}}|IV|V|al\.{S}*\d+)(?:{S}*(?:et|à|,){S}*(?:\d+°|I{{1,3}}|IV|V))*\)"
    rf"))"
)
JOINER = re.compile(rf"{S}*(?:,{S}*et|,|et|à|ou){S}+(?:(?:l['’])?(?:[Aa]rt\.|[Aa]rticles?){S}*)?")
URL = re.compile(r"https?://\S+|\]\([^)]*\)")
PARAGRAPH = re.compile(r"\n[ \t]*\n")


def date_of(match: re.Match) -> datetime.date | None:
    """Return the date matched by ``DATE`` in ``match`` (None if it does not exist)."""
    day = match.group("day")
    if not day:
        return None
    try:
        return datetime.date(
            int(match.group("year")), MONTHS[match.group("month")], 1 if day == "1er" else int(day)
        )
    except ValueError:
        return None


def _number_key(letter: str | None, number: str) -> str:
    return f"{letter.lower()}-{number}" if letter else number


@dataclass(frozen=True)
class Found:
    """One citation as written: where it is and what it names.

    ``key`` is set when the grammar alone decides (« art. 226-14 C. pén. » →
    ``c-pen-226-14``). Otherwise ``lookup`` says what to look up in the registry:
    ``("article", "l-121-7")`` for an article whose code is not written, or
    ``("text", "loi", date)`` for a text cited by its date only.
    """

    start: int
    end: int
    text: str
    key: str | None = None
    lookup: tuple | None = None

    @property
    def definition_key(self) -> str | None:
        """The key a registry entry written this way stands for."""
        if self.key:
            return self.key
        if self.lookup and self.lookup[0] == "text":
            return f"{self.lookup[1]}-{self.lookup[2].isoformat()}"
        return None


def text_key(kind: str, number: str) -> str:
    return f"{TEXT_KINDS.get(kind.lower(), kind)}-{number}"


def _container(match: re.Match) -> str | None:
    for name in CODES:
        if match.group(f"code_{name.replace('-', '_')}"):
            return name
    return None


def _article_key(container: str, letter: str | None, number: str) -> str:
    if container == "deontologie":
        return f"csp-r-4127-{number}"
    if container in CONTAINER_TEXTS:
        return CONTAINER_TEXTS[container]
    return f"{container}-{_number_key(letter, number)}"


@dataclass
class _Texts:
    """Text citations (laws, decrees…) found first: articles may belong to them."""

    spans: list[tuple[int, int, str | None]] = field(default_factory=list)

    def ending_at(self, position: int, text: str) -> tuple[int, int, str | None] | None:
        for start, end, key in self.spans:
            between = text[end:position]
            if end <= position and re.fullmatch(
                rf"[\]\)*]?{S}*[,(]?{S}*(?:son{S}+|l['’])?", between
            ):
                return start, end, key
        return None

    def after(self, position: int, text: str) -> tuple[int, int, str | None] | None:
        rest = text[position:]
        match = re.match(rf"{S}*,?{S}*(?:de{S}+la|du|de{S}+l['’]){S}+", rest)
        if not match:
            return None
        for start, end, key in self.spans:
            if start == position + match.end():
                return start, end, key
        return None


def _text_citations(text: str) -> list[Found]:
    found = []
    for match in TEXT.finditer(text):
        number = match.group("number") or match.group("bare_number")
        date = date_of(match)
        if not number and not date:
            continue
        kind = TEXT_KINDS[match.group("kind").lower()]
        if number:
            found.append(Found(match.start(), match.end(), match.group(0), key=f"{kind}-{number}"))
        else:
            found.append(
                Found(match.start(), match.end(), match.group(0), lookup=("text", kind, date))
            )
    for match in REGULATION.finditer(text):
        found.append(Found(match.start(), match.end(), match.group(0), key="reglement-ue-2016-679"))
    for match in DIRECTIVE.finditer(text):
        found.append(Found(match.start(), match.end(), match.group(0), key="directive-95-46-ce"))
    for match in CONSTITUTIONAL.finditer(text):
        found.append(
            Found(match.start(), match.end(), match.group(0), key=f"cc-{match['number']}-dc")
        )
    for court, pattern in COURTS:
        for match in pattern.finditer(text):
            date = date_of(match)
            if date:
                found.append(
                    Found(
                        match.start(),
                        match.end(),
                        match.group(0),
                        key=f"{court}-{date.isoformat()}",
                    )
                )
    return found


TEXT_PREFIXES = ("loi-", "decret-", "ordonnance-", "arrete-", "reglement-", "directive-")


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < t_end and t_start < end for t_start, t_end in taken)


def _article_run(text: str, position: int, *, penal_default: bool):
    """Parse numbers joined by « , », « et », « à » from ``position``.

    Return (end, [(letter, number, start, end)]) or None when no number follows.
    """
    numbers = []
    cursor = position
    while True:
        match = NUMBER.match(text, cursor)
        if not match:
            break
        lone = not match.group("letter") and "-" not in match.group("number")
        if lone and numbers and numbers[-1][0]:
            # « L. 226-2-1 et 2 » is not a citation of article 2: stop at a lone small number.
            break
        numbers.append((match.group("letter"), match.group("number"), match.start(), match.end()))
        cursor = match.end()
        sub = SUBDIVISION.match(text, cursor)
        while sub and sub.end() > cursor:
            cursor = sub.end()
            sub = SUBDIVISION.match(text, cursor)
        joiner = JOINER.match(text, cursor)
        if not joiner or not NUMBER.match(text, joiner.end()):
            break
        if re.search(r"[Aa]rt", joiner.group(0)):
            # « art. 226-14, 1° et l'art. L. 411-3 CASF »: a new « art. » starts a new citation.
            break
        following = NUMBER.match(text, joiner.end())
        plain = not following.group("letter") and "-" not in following.group("number")
        if plain and (numbers[-1][0] or "-" in numbers[-1][1]):
            # « art. 9 et 1240 C. civ. » continues; « 226-14, 2° et 3° » does not reach here.
            break
        cursor = joiner.end()
    if not numbers:
        return None
    end = numbers[-1][3]
    sub = SUBDIVISION.match(text, end)
    while sub and sub.end() > end:
        end = sub.end()
        sub = SUBDIVISION.match(text, end)
    return end, numbers


def citations_find(text: str, *, names: Iterable[tuple[str, str]] = ()) -> list[Found]:
    """Return every citation of ``text`` in order of appearance.

    ``names`` are (name, key) pairs declared by the registry (« Watelet »): each occurrence
    of the name as a whole word is a citation of that key.
    """
    # URLs and link targets hold numbers that are not citations: blank them, keep offsets.
    text = URL.sub(lambda m: " " * len(m.group(0)), text)
    texts = _text_citations(text)
    found: list[Found] = list(texts)
    taken: list[tuple[int, int]] = []
    owners = [f for f in texts if f.lookup or f.key.startswith(TEXT_PREFIXES)]
    for match in TEXT_YEAR.finditer(text):
        owners.append(
            Found(
                match.start(),
                match.end(),
                match.group(0),
                lookup=("year", "loi", int(match["year"])),
            )
        )
    text_spans = _Texts([(f.start, f.end, f.key) for f in owners])
    lookups = {(f.start, f.end): f for f in owners}

    def add_articles(start, run_end, numbers, container, container_found=None, end=None):
        for letter, number, n_start, n_end in numbers:
            raw = text[n_start:n_end]
            if container is not None:
                own = container
                penal = container != "c-pen" and not letter and PENAL_SHAPE.match(number)
                if penal and any(other[0] for other in numbers):
                    # « 226-13, L. 1110-4 et L. 1111-7 CSP »: the Code pénal number stays so.
                    own = "c-pen"
                key = _article_key(own, letter, number)
                found.append(Found(n_start, n_end, raw, key=key))
            elif container_found is not None:
                # An article of a law or decree stands for the text itself.
                if container_found.key:
                    found.append(Found(n_start, n_end, raw, key=container_found.key))
                else:
                    found.append(Found(n_start, n_end, raw, lookup=container_found.lookup))
            elif not letter and PENAL_SHAPE.match(number):
                found.append(Found(n_start, n_end, raw, key=_article_key("c-pen", None, number)))
            else:
                found.append(
                    Found(n_start, n_end, raw, lookup=("article", _number_key(letter, number)))
                )
        taken.append((start, end if end is not None else run_end))

    for word in ARTICLE_WORD.finditer(text):
        if _overlaps(word.start(), word.end(), taken):
            continue
        run = _article_run(text, word.end(), penal_default=True)
        if run is None:
            continue
        run_end, numbers = run
        code = CODE_AFTER.match(text, run_end)
        if code:
            add_articles(word.start(), run_end, numbers, _container(code), end=code.end())
            continue
        owner = text_spans.after(run_end, text)
        if owner:
            add_articles(word.start(), run_end, numbers, None, lookups[(owner[0], owner[1])])
            continue
        before = CODE_BEFORE.search(text[max(0, word.start() - 80) : word.start()])
        if before:
            add_articles(word.start(), run_end, numbers, _container(before))
            continue
        owner = text_spans.ending_at(word.start(), text)
        if owner:
            add_articles(word.start(), run_end, numbers, None, lookups[(owner[0], owner[1])])
            continue
        add_articles(word.start(), run_end, numbers, None)

    for match in LETTERED.finditer(text):
        if _overlaps(match.start(), match.end(), taken):
            continue
        run = _article_run(text, match.start(), penal_default=False)
        run_end, numbers = run
        code = CODE_AFTER.match(text, run_end)
        before = CODE_BEFORE.search(text[max(0, match.start() - 80) : match.start()])
        container = _container(code) if code else (_container(before) if before else None)
        add_articles(match.start(), run_end, numbers, container, end=code.end() if code else None)

    for match in PENAL_BARE.finditer(text):
        if _overlaps(match.start(), match.end(), taken):
            continue
        run = _article_run(text, match.start(), penal_default=True)
        run_end, numbers = run
        code = CODE_AFTER.match(text, run_end)
        container = _container(code) if code else None
        if container is None and not all(
            not letter and PENAL_SHAPE.match(number) for letter, number, *_ in numbers
        ):
            numbers = [n for n in numbers if not n[0] and PENAL_SHAPE.match(n[1])]
        add_articles(match.start(), run_end, numbers, container, end=code.end() if code else None)

    for name, key in names:
        for match in re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", text):
            found.append(Found(match.start(), match.end(), match.group(0), key=key))

    found.sort(key=lambda f: (f.start, f.end))
    return found


# --------------------------------------------------------------------------- resolution


class CitationError(ValueError):
    """A citation that names no reference of the registry (or several)."""

    def __init__(self, found: Found, message: str):
        super().__init__(message)
        self.found = found


@dataclass
class Index:
    """What resolution needs from the registry: its keys, and how to find a key from a
    number or a date."""

    keys: set[str] = field(default_factory=set)
    by_number: dict[str, list[str]] = field(default_factory=dict)
    by_date: dict[tuple[str, datetime.date], list[str]] = field(default_factory=dict)
    names: list[tuple[str, str]] = field(default_factory=list)

    def add(self, key: str, *, numbers: Iterable[str] = (), dates: Iterable[tuple] = ()) -> None:
        self.keys.add(key)
        for number in numbers:
            self.by_number.setdefault(number, [])
            if key not in self.by_number[number]:
                self.by_number[number].append(key)
        for kind_date in dates:
            self.by_date.setdefault(kind_date, [])
            if key not in self.by_date[kind_date]:
                self.by_date[kind_date].append(key)


def article_number(key: str) -> str | None:
    """Return the number part of an article key (« csp-l-1110-4 » → « l-1110-4 »)."""
    match = re.match(r"^(?:c-pen-1810|c-pen|csp|casf|c-civ|cpp|cgfp|cfas|rgpd|ddhc)-(.+)$", key)
    return match.group(1) if match else None


def article_container(key: str) -> str | None:
    number = article_number(key)
    return key[: -len(number) - 1] if number else None


def paragraphs(text: str) -> list[int]:
    """Return the offsets where each paragraph of ``text`` starts."""
    return [0] + [m.end() for m in PARAGRAPH.finditer(text)]


def citations_resolve(
    text: str, found: list[Found], index: Index, *, breaks: Iterable[int] = ()
) -> list[tuple[Found, list[str]]]:
    """Return each citation with the registry keys it names; raise CitationError otherwise.

    ``breaks`` are extra offsets where the previous citation's code stops applying (the
    start of each YAML field); paragraphs always stop it.
    """
    starts = sorted({*paragraphs(text), *breaks})
    resolved: list[tuple[Found, list[str]]] = []
    recent: list[str] = []
    block = 0
    for item in found:
        current = max((i for i, s in enumerate(starts) if s <= item.start), default=0)
        if current != block:
            block, recent = current, []
        if item.key:
            if item.key not in index.keys:
                raise CitationError(item, f"« {item.text} » ({item.key}) is not in the registry")
            resolved.append((item, [item.key]))
            recent.append(item.key)
            continue
        kind = item.lookup[0]
        if kind in ("text", "year"):
            keys = index.by_date.get((item.lookup[1], item.lookup[2]), [])
            if not keys:
                raise CitationError(
                    item, f"« {item.text} »: no {item.lookup[1]} of that date in the registry"
                )
            if kind == "year" and len(keys) > 1:
                raise CitationError(
                    item,
                    f"« {item.text} »: several texts of that year in the registry "
                    f"({', '.join(sorted(keys))}); write the number or the date",
                )
            resolved.append((item, list(keys)))
            recent.extend(keys)
            continue
        number = item.lookup[1]
        keys = index.by_number.get(number, [])
        # The code of the nearest earlier citation of the block that has this article.
        for earlier in reversed(recent):
            container = article_container(earlier)
            if container and f"{container}-{number}" in index.keys:
                keys = [f"{container}-{number}"]
                break
            if earlier in keys:
                keys = [earlier]
                break
        if len(keys) > 1:
            # « introduit dans le Code civil un article 9 »: a code named earlier in the sentence.
            sentence = re.split(r"[.;:!?]\s", text[starts[block] : item.start])[-1]
            codes = [_container(m) for m in CODE_ANYWHERE.finditer(sentence)]
            if codes and f"{codes[-1]}-{number}" in index.keys:
                keys = [f"{codes[-1]}-{number}"]
        if len(keys) == 1:
            resolved.append((item, keys))
            recent.append(keys[0])
            continue
        if not keys:
            raise CitationError(
                item,
                f"« {item.text} »: article without a code, and no such article in the registry",
            )
        raise CitationError(
            item,
            f"« {item.text} »: article without a code, found in several texts of the registry "
            f"({', '.join(sorted(keys))}); write the code (C. civ., RGPD…)",
        )
    return resolved
