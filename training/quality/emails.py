"""Complaint emails: the acknowledgement and the answer, in French, from
``templates/training/email/complaint_*``."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from training.quality.models import Complaint


def _message(template: str, complaint: Complaint) -> EmailMultiAlternatives:
    context = {
        "complaint": complaint,
        "form_url": settings.SITE_URL.rstrip("/") + reverse("training:complaint_create"),
        "ORGANISATION": settings.ORGANISATION,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"training/email/{template}_subject.txt", context)
        text = render_to_string(f"training/email/{template}.txt", context)
        html = render_to_string(f"training/email/{template}.html", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()), text, settings.DEFAULT_FROM_EMAIL, [complaint.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def complaint_acknowledgement(*, complaint: Complaint) -> EmailMultiAlternatives:
    """Build the acknowledgement of receipt of a complaint."""
    return _message("complaint_received", complaint)


def complaint_answer(*, complaint: Complaint) -> EmailMultiAlternatives:
    """Build the email carrying the organisation's answer to a complaint."""
    return _message("complaint_answer", complaint)
