"""Reads of the legal watch: references with their due dates, where they are cited, the
content flagged « à revoir », the notices shown to trainers, a module's update history."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections, router
from django.db.models import Count, Max, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core.sql import column, table

from .models import ItemKind, LegalReference, ReferenceCitation, ReviewFlag, Verification


def months_after(day: datetime.date, months: int) -> datetime.date:
    """Return the same day ``months`` later (the last day of the month when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def watch_months() -> int:
    return max(1, int(settings.LEGAL_WATCH_MONTHS))


@dataclass
class ReferenceRow:
    """A reference with what the watch page shows about it."""

    reference: LegalReference
    last_verified: datetime.date | None
    last_outcome: str
    due_on: datetime.date | None
    is_overdue: bool
    citations: int
    open_flags: int

    @property
    def search_url(self) -> str:
        return legifrance_search_url(self.reference)


def legifrance_search_url(reference: LegalReference) -> str:
    """A Légifrance search for the reference (shown as a search, never as the text itself)."""
    from urllib.parse import urlencode

    query = (
        f"{reference.cite} {reference.source}" if reference.kind == "article" else reference.cite
    )
    return "https://www.legifrance.gouv.fr/search/all?" + urlencode(
        {"tab_selection": "all", "searchField": "ALL", "query": query}
    )


def reference_rows(*, today: datetime.date | None = None) -> list[ReferenceRow]:
    """Every active reference, those overdue first, then by date of last verification.

    A reference never verified is due at once. Three queries whatever the number of references.
    """
    today = today or timezone.localdate()
    references = list(
        LegalReference.objects.active().annotate(
            citation_count=Count("citations", distinct=True),
            open_flag_count=Count(
                "flags", filter=Q(flags__resolved_at__isnull=True), distinct=True
            ),
            last_checked=Max("verifications__checked_on"),
        )
    )
    outcomes = {}
    for reference_id, outcome in Verification.objects.order_by(
        "reference_id", "-checked_on", "-recorded_at"
    ).values_list("reference_id", "outcome"):
        outcomes.setdefault(reference_id, outcome)
    labels = dict(Verification.Outcome.choices)
    rows = []
    for reference in references:
        dates = [d for d in (reference.verified_on, reference.last_checked) if d]
        last = max(dates) if dates else None
        if last:
            due = months_after(last, watch_months())
        else:  # never verified: due from the day it entered the registry
            due = timezone.localdate(reference.created_at)
        rows.append(
            ReferenceRow(
                reference=reference,
                last_verified=last,
                last_outcome=str(labels.get(outcomes.get(reference.pk), "")),
                due_on=due,
                is_overdue=due <= today,
                citations=reference.citation_count,
                open_flags=reference.open_flag_count,
            )
        )
    rows.sort(
        key=lambda r: (
            not r.is_overdue,
            r.last_verified or datetime.date.min,
            r.reference.order,
        )
    )
    return rows


def watch_summary(rows: list[ReferenceRow]) -> dict:
    return {
        "total": len(rows),
        "verified": sum(1 for r in rows if r.reference.status == LegalReference.Status.VERIFIED),
        "to_check": sum(1 for r in rows if r.reference.status == LegalReference.Status.TO_CHECK),
        "overdue": sum(1 for r in rows if r.is_overdue),
        "open_flags": sum(r.open_flags for r in rows),
    }


def reference_get(*, key: str) -> LegalReference:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(LegalReference, key=key)


def reference_row(*, reference: LegalReference, today=None) -> ReferenceRow:
    return (
        next(r for r in reference_rows(today=today) if r.reference.pk == reference.pk)
        if (reference.is_active)
        else ReferenceRow(reference, None, "", None, False, 0, 0)
    )


def reference_citations(*, reference: LegalReference) -> list[ReferenceCitation]:
    citations = list(reference.citations.order_by("item_kind", "path", "pk"))
    links = item_links([(c.item_kind, c.item_key) for c in citations])
    for citation in citations:
        citation.page_url, citation.admin_url = links.get(
            (citation.item_kind, citation.item_key), ("", "")
        )
    return citations


def reference_verifications(*, reference: LegalReference):
    return reference.verifications.select_related("checked_by").order_by(
        "-checked_on", "-recorded_at"
    )


def flags_open(*, reference: LegalReference | None = None) -> list[ReviewFlag]:
    """Open flags with links to each item (its page and its admin change form)."""
    flags = ReviewFlag.objects.open().select_related("reference", "verification")
    if reference is not None:
        flags = flags.filter(reference=reference)
    flags = list(flags.order_by("reference__order", "item_kind", "item_key"))
    links = item_links([(f.item_kind, f.item_key) for f in flags])
    for flag in flags:
        flag.page_url, flag.admin_url = links.get((flag.item_kind, flag.item_key), ("", ""))
    return flags


KIND_ORDER = [
    ItemKind.LESSON,
    ItemKind.SLIDE,
    ItemKind.QUESTION,
    ItemKind.VERDICT,
    ItemKind.NODE,
    ItemKind.GLOSSARY,
    ItemKind.MODULE,
    ItemKind.TRAINER_NOTE,
    ItemKind.QUIZ,
    ItemKind.CASE,
    ItemKind.GUIDE,
    ItemKind.COURSE,
]


def _natural(item) -> list:
    """Sort « Diapositive 3.2 » before « Diapositive 3.12 »."""
    import re

    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", item.item_label)]


@dataclass
class Group:
    kind: str
    label: str
    items: list


def by_kind(items) -> list[Group]:
    """Group flags or citations by kind of content: lessons, slides, questions, verdicts…"""
    groups: dict[str, list] = defaultdict(list)
    for item in items:
        groups[item.item_kind].append(item)
    labels = dict(ItemKind.choices)
    return [
        Group(kind, str(labels[kind]), sorted(groups[kind], key=_natural))
        for kind in KIND_ORDER
        if groups.get(kind)
    ]


@dataclass
class ReferenceFlags:
    reference: LegalReference
    verification: Verification
    groups: list[Group]
    count: int


def flags_by_reference(flags: list[ReviewFlag]) -> list[ReferenceFlags]:
    """Open flags per reference (with the verification that raised them), grouped by kind."""
    per: dict[int, list[ReviewFlag]] = defaultdict(list)
    for flag in flags:
        per[flag.reference_id].append(flag)
    out = []
    for items in per.values():
        latest = max(items, key=lambda f: (f.verification.checked_on, f.verification_id))
        out.append(
            ReferenceFlags(items[0].reference, latest.verification, by_kind(items), len(items))
        )
    return out


def verifications_recent(*, limit: int = 20):
    return Verification.objects.select_related("reference", "checked_by").order_by("-recorded_at")[
        :limit
    ]


# --------------------------------------------------------------------------- links to items


def _reverse(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def item_links(items: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """Return (page URL, admin change URL) of each (kind, key) item, one query per kind."""
    from modules.models import Course, GlossaryTerm, Lesson, Module, Slide, TrainerNote
    from quizzes.models import Question, Quiz

    wanted: dict[str, set[str]] = defaultdict(set)
    for kind, key in items:
        wanted[kind].add(key)
    out: dict[tuple[str, str], tuple[str, str]] = {}
    if keys := wanted.get(ItemKind.LESSON):
        for pk, slug, module in Lesson.objects.filter(slug__in=keys).values_list(
            "pk", "slug", "module__slug"
        ):
            out[(ItemKind.LESSON, slug)] = (
                _reverse("modules:lesson_detail", module, slug),
                _reverse("admin:modules_lesson_change", pk),
            )
    if keys := wanted.get(ItemKind.SLIDE):
        modules = {k.split("/")[0] for k in keys}
        for pk, module, order in Slide.objects.filter(module__slug__in=modules).values_list(
            "pk", "module__slug", "order"
        ):
            key = f"{module}/{order}"
            if key in keys:
                out[(ItemKind.SLIDE, key)] = (
                    _reverse("modules:slides_present", module) + f"#{order}",
                    _reverse("admin:modules_slide_change", pk),
                )
    for kind, model, url_name, admin_name in (
        (ItemKind.MODULE, Module, "modules:module_detail", "admin:modules_module_change"),
    ):
        if keys := wanted.get(kind):
            for pk, slug in model.objects.filter(slug__in=keys).values_list("pk", "slug"):
                out[(kind, slug)] = (_reverse(url_name, slug), _reverse(admin_name, pk))
    if keys := wanted.get(ItemKind.TRAINER_NOTE):
        for pk, slug in TrainerNote.objects.filter(module__slug__in=keys).values_list(
            "pk", "module__slug"
        ):
            out[(ItemKind.TRAINER_NOTE, slug)] = (
                _reverse("modules:module_detail", slug),
                _reverse("admin:modules_trainernote_change", pk),
            )
    if keys := wanted.get(ItemKind.GLOSSARY):
        for pk, slug in GlossaryTerm.objects.filter(slug__in=keys).values_list("pk", "slug"):
            out[(ItemKind.GLOSSARY, slug)] = (
                _reverse("modules:glossary") + f"#{slug}",
                _reverse("admin:modules_glossaryterm_change", pk),
            )
    if keys := wanted.get(ItemKind.COURSE):
        for pk, slug in Course.objects.filter(slug__in=keys).values_list("pk", "slug"):
            out[(ItemKind.COURSE, slug)] = (
                _reverse("home"),
                _reverse("admin:modules_course_change", pk),
            )
    if keys := wanted.get(ItemKind.QUIZ):
        for pk, slug in Quiz.objects.filter(slug__in=keys).values_list("pk", "slug"):
            out[(ItemKind.QUIZ, slug)] = (
                _reverse("quizzes:quiz_results", slug),
                _reverse("admin:quizzes_quiz_change", pk),
            )
    if keys := wanted.get(ItemKind.QUESTION):
        quizzes = {k.split("/")[0] for k in keys}
        for pk, quiz, key in Question.objects.filter(quiz__slug__in=quizzes).values_list(
            "pk", "quiz__slug", "key"
        ):
            if f"{quiz}/{key}" in keys:
                out[(ItemKind.QUESTION, f"{quiz}/{key}")] = (
                    _reverse("quizzes:quiz_results", quiz) + f"#question-{key}",
                    _reverse("admin:quizzes_question_change", pk),
                )
    for key in wanted.get(ItemKind.GUIDE, ()):
        out[(ItemKind.GUIDE, key)] = (_reverse("boussole:home"), "")
    for kind, prefix in ((ItemKind.NODE, "node"), (ItemKind.VERDICT, "verdict")):
        for key in wanted.get(kind, ()):
            out[(kind, key)] = (_reverse("boussole:outline") + f"#{prefix}-{key}", "")
    for key in wanted.get(ItemKind.CASE, ()):
        out[(ItemKind.CASE, key)] = (_reverse("boussole:case_detail", key), "")
    return out


# --------------------------------------------------------------------------- notices


@dataclass
class Notice:
    """What a trainer reads on an item under review: the references and since when."""

    flags: list[ReviewFlag] = field(default_factory=list)

    @property
    def references(self) -> list[LegalReference]:
        seen, out = set(), []
        for flag in self.flags:
            if flag.reference_id not in seen:
                seen.add(flag.reference_id)
                out.append(flag.reference)
        return out

    @property
    def since(self):
        return min(flag.created_at for flag in self.flags)


def open_flags_exist(*, kind: str, prefix: str = "") -> bool:
    """Whether any item of ``kind`` whose key starts with ``prefix`` has an open flag.

    One plain query, sent on every page that may show a notice (the ORM would spend thirty
    times the query building it); the flags themselves are read only when there are some.
    Like Django's ``startswith`` (on SQLite, case-insensitive): at worst a needless read.
    """
    connection = connections[router.db_for_read(ReviewFlag)]
    meta = ReviewFlag._meta
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    sql = (
        f"SELECT 1 FROM {table(meta)} WHERE {column(meta, 'resolved_at')} IS NULL "  # noqa: S608
        f"AND {column(meta, 'item_kind')} = %s AND {column(meta, 'item_key')} LIKE %s ESCAPE '\\' "
        "LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [str(kind), pattern])
        return cursor.fetchone() is not None


def review_notices(*, items: list[tuple[str, str]]) -> dict[tuple[str, str], Notice]:
    """Return the notice of each item that has open flags (one query)."""
    if not items:
        return {}
    query = Q(pk__in=[])
    by_kind: dict[str, set[str]] = defaultdict(set)
    for kind, key in items:
        by_kind[kind].add(key)
    for kind, keys in by_kind.items():
        query |= Q(item_kind=kind, item_key__in=keys)
    notices: dict[tuple[str, str], Notice] = {}
    for flag in ReviewFlag.objects.open().filter(query).select_related("reference", "verification"):
        notices.setdefault((flag.item_kind, flag.item_key), Notice()).flags.append(flag)
    return notices


def module_review_flags(*, module_slug: str) -> list[ReviewFlag]:
    """Open flags of everything that belongs to a module (lessons, slides, notes, quiz…)."""
    flags = list(
        ReviewFlag.objects.open()
        .filter(Q(module_slug=module_slug) | Q(item_kind=ItemKind.MODULE, item_key=module_slug))
        .select_related("reference", "verification")
    )
    flags.sort(key=lambda f: (KIND_ORDER.index(f.item_kind), _natural(f)))
    links = item_links([(f.item_kind, f.item_key) for f in flags])
    for flag in flags:
        flag.page_url = links.get((flag.item_kind, flag.item_key), ("", ""))[0]
    return flags


def items_under_review(*, kind: str, keys) -> set[str]:
    """The keys of the items of one kind that have open flags (for documents)."""
    return set(
        ReviewFlag.objects.open()
        .filter(item_kind=kind, item_key__in=list(keys))
        .values_list("item_key", flat=True)
    )
