"""Template helpers of the BPF: the labels of an enrolment's codes."""

from django import template

from training.bpf import categories

register = template.Library()


@register.filter(name="bpf_summary")
def bpf_summary(enrolment) -> str:
    """« Agent public · OPCO · 780,00 € », or an empty string when nothing is given."""
    parts = [
        categories.category_label(enrolment.trainee_category, kind=categories.TRAINEE),
        categories.category_label(enrolment.funding_source, kind=categories.FUNDING),
    ]
    if enrolment.price is not None:
        parts.append(f"{enrolment.price:.2f} €".replace(".", ","))
    return " · ".join(part for part in parts if part)
