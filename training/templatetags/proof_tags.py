"""Template helpers of the proof pack's index."""

from django import template

from training.proofs.indicators import FUNDER_SHORT

register = template.Library()


@register.filter(name="funder_labels")
def funder_labels(keys) -> str:
    """« réalisation, assiduité » for the keys of the funder's items."""
    return ", ".join(FUNDER_SHORT.get(key, key) for key in keys or [])
