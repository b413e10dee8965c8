"""The kinds of session documents: template, who they are for, how their context is built.

Views, the ZIP builder and the ``session_documents`` command all read this one registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from training.documents import attendance_sheet, builders
from training.documents.models import GeneratedDocument

Kind = GeneratedDocument.Kind


@dataclass(frozen=True)
class DocumentKind:
    key: str
    slug: str  # in URLs and file names (French)
    template: str | None
    personal: bool  # one per trainee
    build: Callable | None  # (data, trainee) -> context
    # Issued to trainees only once the session is over and its slots attested.
    needs_completion: bool = False
    # A trainee may download their own copy (personal documents only).
    for_trainee: bool = False
    # Extra inputs that do not appear in the HTML (the attendance sheet is rendered elsewhere).
    render: Callable | None = None  # (data) -> bytes, instead of the template
    fingerprint: Callable | None = None  # (data) -> str

    @property
    def label(self):
        return Kind(self.key).label

    def filename(self, session, trainee=None) -> str:
        from django.utils.text import slugify

        parts = [slugify(session.code) or f"session-{session.pk}", self.slug]
        if trainee is not None:
            parts.append(
                slugify(f"{trainee.last_name} {trainee.first_name}") or f"stagiaire-{trainee.pk}"
            )
        return "-".join(parts) + ".pdf"


def _attendance_sheet(data) -> bytes:
    return attendance_sheet.render(session=data.session)


def _attendance_fingerprint(data) -> str:
    return attendance_sheet.fingerprint(data=data)


KINDS: dict[str, DocumentKind] = {
    kind.key: kind
    for kind in [
        DocumentKind(
            Kind.HANDOUT, "support-diaporama", "training/pdf/handout.html", False, builders.handout
        ),
        DocumentKind(
            Kind.BIBLIOGRAPHY,
            "bibliographie",
            "training/pdf/bibliography.html",
            False,
            builders.bibliography,
        ),
        DocumentKind(
            Kind.LINKS, "ressources-internet", "training/pdf/links.html", False, builders.links
        ),
        DocumentKind(
            Kind.ATTENDANCE,
            "feuille-emargement",
            None,
            False,
            None,
            render=_attendance_sheet,
            fingerprint=_attendance_fingerprint,
        ),
        DocumentKind(
            Kind.CONVOCATION,
            "convocation",
            "training/pdf/convocation.html",
            True,
            builders.convocation,
            for_trainee=True,
        ),
        DocumentKind(
            Kind.CERTIFICATE,
            "certificat-realisation",
            "training/pdf/certificate.html",
            True,
            builders.certificate,
            needs_completion=True,
            for_trainee=True,
        ),
        DocumentKind(
            Kind.ATTESTATION,
            "attestation-fin-formation",
            "training/pdf/attestation.html",
            True,
            builders.attestation,
            needs_completion=True,
            for_trainee=True,
        ),
    ]
}
BY_SLUG = {kind.slug: kind for kind in KINDS.values()}
SESSION_KINDS = [kind for kind in KINDS.values() if not kind.personal]
PERSONAL_KINDS = [kind for kind in KINDS.values() if kind.personal]


def kind_get(value: str) -> DocumentKind | None:
    """Return a kind from its key or its slug (None when there is no such kind)."""
    return KINDS.get(value) or BY_SLUG.get(value)
