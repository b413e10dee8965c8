"""Legal watch on the course pages, without the course apps knowing about it.

The course's templates (modules, quizzes, boussole) load this library, as they load
``quiz_tags`` (the site composes its pages; Python imports still follow the contract):

- trainers and administrators see a « contenu en cours de révision » notice on an item that
  cites a text found modified or repealed, until an administrator marks it reviewed;
- documents printed from such items (the boussole's reasoning sheet) carry the notice too;
- trainees see when a module was last updated and its short update history.
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from training.content import selectors as content_selectors
from training.legalwatch import permissions, selectors
from training.legalwatch.models import ItemKind, LegalReference, Verification

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


def _trainer(context) -> bool:
    user = _user(context)
    return user is not None and permissions.can_see_review_notices(user)


@register.inclusion_tag("training/includes/_legalwatch_notice.html", takes_context=True)
def review_notice(context, kind, key, *, document=False):
    """The notice of one item (a lesson, a verdict…) for trainers, or in a document."""
    if not document and not _trainer(context):
        return {"notice": None}
    notice = selectors.review_notices(items=[(str(kind), str(key))]).get((str(kind), str(key)))
    return {"notice": notice, "document": document}


@register.inclusion_tag("training/includes/_legalwatch_notice.html", takes_context=True)
def walk_review_notice(context, walk, *, document=False):
    """The notice of a boussole walk: its verdict or any question it went through."""
    if not document and not _trainer(context):
        return {"notice": None}
    verdict = getattr(walk, "verdict", None)
    items = [(ItemKind.VERDICT, verdict["id"])] if verdict else []
    items += [(ItemKind.NODE, step.node["id"]) for step in getattr(walk, "steps", [])]
    if not items:
        return {"notice": None}
    notices = selectors.review_notices(items=items)
    merged = None
    for notice in notices.values():
        if merged is None:
            merged = notice
        else:
            merged.flags.extend(notice.flags)
    return {"notice": merged, "document": document}


@register.inclusion_tag("training/includes/_legalwatch_module_notice.html", takes_context=True)
def module_review_notices(context, module):
    """Everything of a module under review (lessons, slides, notes, quiz questions, cases)."""
    if not _trainer(context):
        return {"flags": []}
    return {"flags": selectors.module_review_flags(module_slug=module.slug)}


def _open_flags(context, kind, prefix) -> list:
    """The open flags of the items of one kind whose key starts with ``prefix``, read once per
    request (a page's notice and its « under review » badges share them)."""
    from training.legalwatch.models import ReviewFlag

    request = context.get("request")
    memo = getattr(request, "_legalwatch_flags", None)
    if memo is None:
        memo = {}
        if request is not None:
            request._legalwatch_flags = memo
    if (kind, prefix) not in memo and not selectors.open_flags_exist(kind=kind, prefix=prefix):
        memo[kind, prefix] = []
    if (kind, prefix) not in memo:
        memo[kind, prefix] = list(
            ReviewFlag.objects.open()
            .filter(item_kind=kind, item_key__startswith=prefix)
            .select_related("reference", "verification")
            .order_by("item_key")
        )
    return memo[kind, prefix]


@register.simple_tag(takes_context=True)
def flagged_keys(context, kind, prefix=""):
    """The keys (without ``prefix``) of the items of one kind under review, for trainers.

    Sorted, so that a cached fragment can vary on them (``under_review|join:","``).
    """
    if not _trainer(context):
        return []
    return sorted({flag.item_key[len(prefix) :] for flag in _open_flags(context, kind, prefix)})


@register.inclusion_tag("training/includes/_legalwatch_module_history.html")
def module_update_info(module):
    """« Contenu à jour au … » and the short update history of a module (everyone)."""
    revisions = content_selectors.module_revisions(module_slug=module.slug, limit=5)
    entries = []
    for revision in revisions:
        counts, lessons = content_selectors.revision_counts(revision, module.slug)
        entries.append(
            {
                "kind": "revision",
                "date": revision.created_at,
                "number": revision.number,
                "phrases": revision_phrases(counts),
                "lessons": lessons[:3],
                "first": bool(counts.get("modules", {}).get("created")),
            }
        )
    references = LegalReference.objects.filter(citations__module_slug=module.slug).distinct()
    verifications = (
        Verification.objects.filter(reference__in=references)
        .select_related("reference")
        .order_by("-checked_on", "-recorded_at")[:5]
    )
    for verification in verifications:
        entries.append(
            {
                "kind": "verification",
                "date": verification.checked_on,
                "reference": verification.reference,
                "outcome": verification,
            }
        )
    entries.sort(key=lambda e: _as_date(e["date"]), reverse=True)
    return {
        "module": module,
        "updated_on": _as_date(revisions[0].created_at) if revisions else None,
        "entries": entries[:6],
    }


def revision_phrases(counts: dict) -> list[str]:
    """Say what a revision changed in a module, in a few words per kind of content."""
    phrases = []
    for kind, added_text, updated_text, removed_text in (
        (
            "lessons",
            lambda n: ngettext("%(count)s lesson added", "%(count)s lessons added", n),
            lambda n: ngettext("%(count)s lesson updated", "%(count)s lessons updated", n),
            lambda n: ngettext("%(count)s lesson removed", "%(count)s lessons removed", n),
        ),
        (
            "slides",
            lambda n: ngettext("%(count)s slide added", "%(count)s slides added", n),
            lambda n: ngettext("%(count)s slide updated", "%(count)s slides updated", n),
            lambda n: ngettext("%(count)s slide removed", "%(count)s slides removed", n),
        ),
    ):
        outcomes = counts.get(kind, {})
        for outcome, text in (
            ("created", added_text),
            ("updated", updated_text),
            ("removed", removed_text),
        ):
            if outcomes.get(outcome):
                phrases.append(text(outcomes[outcome]) % {"count": outcomes[outcome]})
    others = (
        (("quizzes", "questions", "choices"), _("quiz updated")),
        (("modules",), _("module presentation updated")),
        (("trainer notes",), _("trainer notes updated")),
        (("resources",), _("resources updated")),
        (("boussole cases",), _("practice cases updated")),
    )
    for kinds, text in others:
        if any(counts.get(kind) for kind in kinds):
            phrases.append(text)
    return phrases


def _as_date(value):
    from django.utils import timezone

    return (
        timezone.localdate(value) if hasattr(value, "tzinfo") and hasattr(value, "hour") else value
    )


@register.simple_tag
def module_updated_on(module):
    """The date of the last revision that changed the module (« Contenu à jour au … »)."""
    return content_selectors.module_updated_on(module_slug=module.slug)


@register.inclusion_tag("training/includes/_legalwatch_quiz_notice.html", takes_context=True)
def quiz_review_notices(context, quiz):
    """The questions of a quiz under review, for trainers (quiz results)."""
    if not _trainer(context):
        return {"flags": []}
    flags = _open_flags(context, ItemKind.QUESTION, f"{quiz.slug}/")
    for flag in flags:
        flag.question_key = flag.item_key.split("/", 1)[1]
    return {"flags": flags}


@register.inclusion_tag("training/includes/_legalwatch_dashboard.html", takes_context=True)
def legal_watch_dashboard_panel(context):
    """The administrators' panel: references due for verification, content to review."""
    user = _user(context)
    if user is None or not permissions.can_watch_legal_texts(user):
        return {"show": False}
    rows = selectors.reference_rows()
    return {"show": True, "summary": selectors.watch_summary(rows)}
