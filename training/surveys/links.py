"""Personal questionnaire links: signed, so that they work on a phone without a password and
cannot be forged or altered.

A link carries the invitation's id and its ``link_secret``, signed with the site's secret key
(``django.core.signing``, salted for this use only; the same link in every
message of an invitation). Whether it still works is decided by the
invitation itself: answered (« déjà répondu »), expired (``expires_at``), or revoked (a new
``link_secret``). Nothing secret is stored that would let someone rebuild a link from a
database copy without the secret key.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from training.surveys.models import SurveyInvitation

SALT = "training.surveys.invitation-link"


def link_token(invitation: SurveyInvitation) -> str:
    """Return the signed token of an invitation's personal link."""
    return signing.Signer(salt=SALT).sign_object(
        [invitation.pk, invitation.link_secret], compress=True
    )


def link_path(invitation: SurveyInvitation) -> str:
    return reverse("training:survey_answer", args=[link_token(invitation)])


def link_url(invitation: SurveyInvitation) -> str:
    """Return the absolute personal link (for emails)."""
    return settings.SITE_URL.rstrip("/") + link_path(invitation)


def invitation_from_token(token: str) -> SurveyInvitation | None:
    """Return the invitation a token names, or None when it is forged, altered or revoked."""
    try:
        pk, secret = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not isinstance(secret, str) or not 0 < pk < 2**63:
        return None
    invitation = (
        SurveyInvitation.objects.select_related("questionnaire", "session", "recipient")
        .filter(pk=pk)
        .first()
    )
    if invitation is None or not constant_time_compare(invitation.link_secret, secret):
        return None
    return invitation
