"""Session documents: the « Documents » tab, downloads one by one or as a ZIP, and the
trainee's own documents.

Object scope: a trainer reaches only the sessions they run (``session_get_managed``), so
another trainer's session is a 404; a trainee reaches only the sessions they are enrolled in,
and only their own personal documents.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from core.downloads import PDF, ZIP, download_response
from training.access import permissions
from training.access.mixins import role_required
from training.documents import attendance_sheet, services
from training.documents import selectors as document_selectors
from training.documents.data import SessionData
from training.documents.models import DocumentBundle
from training.documents.registry import PERSONAL_KINDS, SESSION_KINDS, kind_get
from training.sessions import selectors
from training.sessions.models import Enrolment


def _pdf(document: services.Document):
    return download_response(
        document.record.file.open("rb"), filename=document.filename, content_type=PDF
    )


def _kind_or_404(value: str, *, personal: bool):
    kind = kind_get(value)
    if kind is None or kind.personal != personal:
        raise Http404
    return kind


@require_GET
@role_required(permissions.can_run_sessions)
def session_documents(request, pk: int):
    """The documents tab: each document of the session and of each trainee, and the ZIPs."""
    session = selectors.session_get_managed(user=request.user, pk=pk)
    data = SessionData(session)
    return render(
        request,
        "training/session_documents.html",
        {
            "session": session,
            "tab": "documents",
            "can_manage": True,
            "enrolled_count": len(data.trainees),
            "session_kinds": SESSION_KINDS,
            "personal_kinds": PERSONAL_KINDS,
            "trainees": data.trainees,
            "ready": data.completion_documents_ready,
            "is_over": data.is_over,
            "attested_slots": data.attested_slots,
            "slot_count": len(data.slots),
            "bundles": document_selectors.bundles_latest(session=session),
        },
    )


@require_GET
@role_required(permissions.can_run_sessions)
def session_document(request, pk: int, kind: str):
    """Download one session-wide document (handout, bibliography, links, attendance sheet)."""
    session = selectors.session_get_managed(user=request.user, pk=pk)
    document = services.document_get(session=session, kind=_kind_or_404(kind, personal=False))
    return _pdf(document)


@require_GET
@role_required(permissions.can_run_sessions)
def session_trainee_document(request, pk: int, kind: str, trainee_pk: int):
    """Download one trainee's document (convocation, certificate, attestation)."""
    session = selectors.session_get_managed(user=request.user, pk=pk)
    document_kind = _kind_or_404(kind, personal=True)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("trainee"),
        session=session,
        trainee_id=trainee_pk,
        status=Enrolment.Status.ENROLLED,
    )
    document = services.document_get(session=session, kind=document_kind, trainee=enrolment.trainee)
    return _pdf(document)


@require_POST
@role_required(permissions.can_run_sessions)
def session_bundle_start(request, pk: int, which: str):
    """« Tout télécharger » / « Télécharger tous les certificats »: find the bundle of the
    current documents or queue its build, then show its page (the build is the worker's)."""
    session = selectors.session_get_managed(user=request.user, pk=pk)
    if which not in services.ZIP_CHOICES:
        raise Http404
    bundle, _started = services.bundle_request(session=session, which=which, user=request.user)
    return redirect("training:session_bundle", pk=session.pk, bundle_pk=bundle.pk)


def _bundle_or_404(request, pk: int, bundle_pk: int):
    session = selectors.session_get_managed(user=request.user, pk=pk)
    return session, get_object_or_404(
        document_selectors.session_bundles(session=session), pk=bundle_pk
    )


@require_GET
@role_required(permissions.can_run_sessions)
def session_bundle(request, pk: int, bundle_pk: int):
    """A bundle's page: its progress (updated by bundle-progress.js), then its ZIP."""
    session, bundle = _bundle_or_404(request, pk, bundle_pk)
    return render(
        request,
        "training/session_bundle.html",
        {
            "session": session,
            "tab": "proofs" if bundle.which == services.PROOF_PACK else "documents",
            "can_manage": True,
            "enrolled_count": selectors.session_enrolled_count(session=session),
            "bundle": bundle,
            "state": document_selectors.bundle_state(bundle=bundle),
        },
    )


@require_GET
@role_required(permissions.can_run_sessions)
def session_bundle_status(request, pk: int, bundle_pk: int):
    """The bundle's progress as JSON, polled by its page."""
    _session, bundle = _bundle_or_404(request, pk, bundle_pk)
    response = JsonResponse(document_selectors.bundle_state(bundle=bundle))
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@role_required(permissions.can_run_sessions)
def session_bundle_download(request, pk: int, bundle_pk: int):
    """The bundle's ZIP, once the worker has finished it (never a half-written file)."""
    session, bundle = _bundle_or_404(request, pk, bundle_pk)
    if bundle.status != DocumentBundle.Status.READY or not bundle.file:
        return redirect("training:session_bundle", pk=session.pk, bundle_pk=bundle.pk)
    try:
        handle = bundle.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    name = f"{slugify(session.code) or session.pk}-{bundle.which}.zip"
    if bundle.which == services.PROOF_PACK:
        name = f"dossier-preuves-{slugify(session.code) or session.pk}.zip"
    return download_response(handle, filename=name, content_type=ZIP)


@require_GET
@role_required(permissions.can_follow_course)
def my_document(request, pk: int, kind: str):
    """A trainee downloads their own convocation, certificate or attestation."""
    session = document_selectors.trainee_session_get(user=request.user, pk=pk)
    document_kind = _kind_or_404(kind, personal=True)
    data = SessionData(session)
    available, _pending = document_selectors.trainee_kinds(data=data)
    if document_kind not in available:
        raise Http404
    try:
        document = services.document_get(
            session=session, kind=document_kind, trainee=request.user, data=data
        )
    except ValidationError as error:  # no longer enrolled
        raise Http404 from error
    return _pdf(document)


@require_GET
@role_required(permissions.can_run_sessions)
def attendance_blank_pdf(request, pk: int):
    """The pre-filled blank attendance sheet to print when trainees sign on paper.

    The signed sheet is a session document like the others (``session_document``, cached);
    the blank one holds no evidence, so it is printed each time.
    """
    session = selectors.session_get_managed(user=request.user, pk=pk)
    return download_response(
        attendance_sheet.blank_render(session=session),
        filename=f"emargement-vierge-{slugify(session.code) or session.pk}.pdf",
        content_type=PDF,
    )
