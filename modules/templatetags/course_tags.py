"""Template helpers for course pages."""

from django import template

from core.typography import french

register = template.Library()


@register.filter(name="french_spaces")
def french_spaces(value):
    """Escape a value (unless already safe) and put French no-break spaces in its text.

    The same spacing as course texts and printed documents; only spaces change, and never
    inside tags, so the result stays escaped.
    """
    return french(value or "")
