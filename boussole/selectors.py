"""Reads for the guide and its practice cases."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import Case, Guide


def guide_get() -> Guide:
    """Return the loaded guide, or 404 when the content has not been loaded yet."""
    guide = Guide.objects.order_by("pk").first()
    if guide is None:
        raise Http404(_("The sharing compass has not been loaded yet."))
    return guide


def case_list() -> list[Case]:
    """Return every practice case, grouped by module, with its module."""
    return list(Case.objects.in_course_order())


def case_get(*, slug: str) -> Case:
    """Return a practice case with its guide, or 404."""
    return get_object_or_404(Case.objects.select_related("guide", "module"), slug=slug)


def case_find(*, slug: str) -> Case | None:
    """Return a practice case by slug, or None."""
    return Case.objects.select_related("module").filter(slug=slug).first()
