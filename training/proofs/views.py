"""The proof pack of a session, for its trainers and the administrators: the page that says
what the pack holds and asks for it; the build, progress and download are the bundles'
(``training.documents``: the same page, JSON status and download as the document ZIPs).

Object scope: ``session_get_managed`` (another trainer's session is a 404); trainees never
reach these views (role).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from training.access import permissions
from training.access.mixins import role_required
from training.documents import selectors as document_selectors
from training.documents.models import DocumentBundle
from training.proofs import seal
from training.proofs.indicators import FUNDER, QUALIOPI
from training.proofs.selectors import SECTIONS
from training.proofs.services import PROOF_PACK, pack_request
from training.sessions import selectors


@require_safe
@role_required(permissions.can_run_sessions)
def session_proofs(request, pk: int):
    """What the pack holds, the latest one of the session, and the button to make it."""
    session = selectors.session_get_managed(user=request.user, pk=pk)
    latest = (
        document_selectors.session_bundles(session=session)
        .filter(which=PROOF_PACK)
        .order_by("-created_at", "-pk")
        .first()
    )
    return render(
        request,
        "training/session_proofs.html",
        {
            "session": session,
            "tab": "proofs",
            "can_manage": True,
            "enrolled_count": selectors.session_enrolled_count(session=session),
            "latest": latest,
            "latest_state": document_selectors.bundle_state(bundle=latest) if latest else None,
            "sections": SECTIONS,
            "qualiopi": QUALIOPI,
            "funder": FUNDER,
            "key": seal.signing_key_facts(),
        },
    )


@require_POST
@role_required(permissions.can_run_sessions)
def session_proofs_start(request, pk: int):
    """Find the pack of the session's current data, or queue its build; show its progress."""
    session = selectors.session_get_managed(user=request.user, pk=pk)
    try:
        bundle, _started = pack_request(session=session, user=request.user)
    except seal.KeyUnavailable:
        messages.error(
            request,
            _(
                "The proof pack cannot be made: the signing key is not available on this "
                "server. Ask the administrator to check PROOF_SIGNING_KEY_FILE."
            ),
        )
        return redirect("training:session_proofs", pk=session.pk)
    return redirect("training:session_bundle", pk=session.pk, bundle_pk=bundle.pk)


def is_pack(bundle: DocumentBundle) -> bool:
    return bundle.which == PROOF_PACK
