"""Writes of the BPF feature: an administrator corrects the BPF data of one enrolment."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from training.bpf import categories
from training.sessions.models import Enrolment


@transaction.atomic
def enrolment_bpf_update(
    *,
    enrolment: Enrolment,
    trainee_category: str,
    funding_source: str,
    price: Decimal | None,
) -> Enrolment:
    """Set an enrolment's category, funding source and price (codes of fixtures/bpf.yaml)."""
    errors = {}
    if (
        trainee_category
        and categories.category_find(trainee_category, kind=categories.TRAINEE) is None
    ):
        errors["trainee_category"] = _("This is not a trainee category of the BPF.")
    if funding_source and categories.category_find(funding_source, kind=categories.FUNDING) is None:
        errors["funding_source"] = _("This is not a funding source of the BPF.")
    if price is not None and price < 0:
        errors["price"] = _("The price cannot be negative.")
    if errors:
        raise ValidationError(errors)
    enrolment.trainee_category = trainee_category
    enrolment.funding_source = funding_source
    enrolment.price = price
    enrolment.save(update_fields=["trainee_category", "funding_source", "price"])
    return enrolment
