"""Template helpers for course pages."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from modules.rendering import french_typography

register = template.Library()


@register.filter(name="french_spaces")
def french_spaces(value):
    """Escape a value (unless already safe) and put French no-break spaces in it.

    Only spaces before « : ; ! ? » and inside guillemets change, so the result stays escaped.
    """
    return mark_safe(french_typography(str(conditional_escape(value or ""))))  # noqa: S308
