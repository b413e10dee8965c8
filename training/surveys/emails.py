"""The survey emails (invitation and reminders), rendered in French from
``templates/training/email/survey_*``."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from training.surveys.links import link_url
from training.surveys.models import Questionnaire, SurveyMessage


def survey_email(*, message: SurveyMessage) -> EmailMultiAlternatives:
    """Build the email of one invitation message (number 0) or reminder (1, 2…)."""
    invitation = message.invitation
    questionnaire = invitation.questionnaire
    recipient = invitation.recipient
    context = {
        "invitation": invitation,
        "questionnaire": questionnaire,
        "session": invitation.session,
        "name": recipient.get_full_name() if recipient else invitation.name,
        "link": link_url(invitation),
        "expires_at": invitation.expires_at,
        "is_reminder": message.number > 0,
        "for_trainees": questionnaire.for_trainees,
        "is_sponsor": questionnaire.kind == Questionnaire.Kind.SPONSOR,
        "is_trainer": questionnaire.kind == Questionnaire.Kind.TRAINER,
        "ORGANISATION": settings.ORGANISATION,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("training/email/survey_subject.txt", context)
        text = render_to_string("training/email/survey.txt", context)
        html = render_to_string("training/email/survey.html", context)
    email = EmailMultiAlternatives(
        " ".join(subject.split()), text, settings.DEFAULT_FROM_EMAIL, [invitation.address]
    )
    email.attach_alternative(html, "text/html")
    return email
