"""The « fiche de raisonnement »: the path walked and its verdict, as a PDF."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import render_pdf

from .graph import Walk
from .models import Case, Guide


def fiche_context(*, guide: Guide, walk: Walk, case: Case | None, choice: str | None) -> dict:
    """Return what the reasoning sheet shows (shared by the verdict page and the PDF)."""
    verdicts = guide.verdicts
    expected = verdicts.get(case.expected_verdict) if case else None
    return {
        "guide": guide,
        "walk": walk,
        "verdict": walk.verdict,
        "to_check": walk.to_check,
        # The deciding texts first, then the general ones (boussole/README.md, « Bases »).
        "deciding_bases": walk.deciding_bases,
        "general_bases": walk.general_bases,
        "case": case,
        "expected": expected,
        "matches_expected": bool(expected) and expected["id"] == walk.verdict["id"],
        "choice": verdicts.get(choice) if choice else None,
    }


def fiche_render(
    *, guide: Guide, walk: Walk, case: Case | None, choice: str | None, author: str
) -> bytes:
    """Return the reasoning sheet of a finished walk as PDF bytes."""
    context = fiche_context(guide=guide, walk=walk, case=case, choice=choice)
    context.update(
        {
            "generated_at": timezone.localtime(),
            "author": author,
            "ORGANISATION": settings.ORGANISATION,
        }
    )
    title = _("Reasoning sheet — %(guide)s") % {"guide": guide.title}
    return render_pdf("boussole/pdf/fiche.html", context, title=title, author=author, lang="fr")
