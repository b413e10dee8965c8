"""Presentation mode: a module's slides for the projector, and the presenter's view.

Every slide of the module is rendered into the page, so once loaded the deck works with no
network; ``static/js/slides.js`` only switches the visible slide and keeps the projected
window and the presenter view in step through a BroadcastChannel (same origin, no server).
"""

from __future__ import annotations

from django.shortcuts import render

from modules import selectors
from modules.models import Module, Slide
from training import permissions
from training.mixins import role_required


def _slides(module: Module) -> list[Slide]:
    return list(
        Slide.objects.filter(module=module)
        .only("order", "title", "html", "notes_html", "module_id")
        .order_by("order")
    )


def _context(request, slug: str) -> dict:
    module = selectors.module_get(slug=slug)
    return {
        "module": module,
        "slides": _slides(module),
        "can_present": permissions.can_run_sessions(request.user),
        "channel": f"slides-{module.slug}",
    }


@role_required(permissions.can_follow_course)
def slides_present(request, slug: str):
    """The projected deck (trainees may view it too, without the notes)."""
    return render(request, "modules/slides_present.html", _context(request, slug))


@role_required(permissions.can_run_sessions)
def slides_presenter(request, slug: str):
    """The presenter's view: current slide, notes, next slide and a timer."""
    return render(request, "modules/slides_presenter.html", _context(request, slug))
