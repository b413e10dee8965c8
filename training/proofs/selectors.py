"""What goes into a session's proof pack: the plan of its files, each with what it proves and
the fingerprint of its inputs, and the parts that are absent with the reason.

The plan is cheap to make (CSV and JSON files are small; PDFs are represented by the
fingerprint of their HTML), so a request can fingerprint the pack without printing anything;
the worker then prints (``services.pack_write``). Everything is read in French, with dates
in Europe/Paris, in a fixed order: the same data gives the same plan.

Choices (also in docs/user-guide.md « Le dossier de preuves »):
- satisfaction results are those a trainer of the session may read: nothing below the
  anonymity threshold (``SURVEY_MIN_RESPONSES``), only published comments, and not the
  trainers' own appreciation (administrators only);
- complaints are listed without the complainant's name, address or message (their subject,
  dates, status and the answer given), as in the complaints export;
- the audit trail entries are those whose data names the session.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone, translation

from core.spreadsheets import csv_stream
from quizzes.selectors import learning_gain
from training.attendance import exports as attendance_exports
from training.attendance.models import SlotAttendance
from training.background.models import EmailDelivery
from training.content.models import ContentRevision
from training.documents import rendering
from training.documents.data import SessionData
from training.documents.models import GeneratedDocument
from training.documents.registry import KINDS, DocumentKind
from training.documents.services import document_fingerprint
from training.legalwatch.exports import watch_log_pdf, watch_log_rows
from training.privacy.evidence import slot_chain, slot_links
from training.privacy.models import SlotEvidenceSeal
from training.privacy.selectors import audit_rows
from training.quality.models import Complaint, ImprovementAction
from training.quality.selectors import action_rows, complaint_rows
from training.sessions.models import TrainingSession
from training.surveys import exports as survey_exports
from training.surveys.models import Questionnaire
from training.surveys.selectors import questionnaire_active, survey_results

LANGUAGE = "fr"
PROGRAMME_TEMPLATE = "training/pdf/proof_programme.html"
INDEX_TEMPLATE = "training/pdf/proof_index.html"

SECTIONS = [
    ("programme", "Programme de la formation"),
    ("convocations", "Convocations"),
    ("emargement", "Émargement et attestation du formateur"),
    ("evaluations", "Positionnement, évaluation finale et progression"),
    ("certificats", "Certificats de réalisation et attestations de fin de formation"),
    ("satisfaction", "Appréciations (questionnaires)"),
    ("qualite", "Réclamations et actions d'amélioration"),
    ("audit", "Journal d'audit de la session"),
    ("veille", "Veille juridique"),
]
SECTION_TITLES = dict(SECTIONS)


@dataclass
class Part:
    """One file of the pack."""

    path: str
    title: str
    section: str
    qualiopi: tuple[int, ...] = ()
    funder: tuple[str, ...] = ()
    digest: str = ""  # the fingerprint of its inputs (its bytes, for small files)
    data: bytes | None = None  # small files are made at once
    html: str = ""  # PDFs of this package: printed by the worker
    document: tuple[DocumentKind, object] | None = None  # PDFs of the documents registry
    make: Callable[[], bytes] | None = None  # other files, made by the worker
    reproducible: bool = True  # False: the file carries the time it was made


@dataclass
class Absent:
    """A part the pack should hold and does not, with the reason (listed in the index)."""

    section: str
    title: str
    reason: str
    qualiopi: tuple[int, ...] = ()
    funder: tuple[str, ...] = ()


@dataclass
class PackPlan:
    session: TrainingSession
    data: SessionData
    parts: list[Part] = field(default_factory=list)
    absent: list[Absent] = field(default_factory=list)
    facts: dict = field(default_factory=dict)  # figures the index prints

    def fingerprint(self, extra: str = "") -> str:
        digest = hashlib.sha256(f"proof-pack\x00{extra}\x00".encode())
        for part in self.parts:
            digest.update(f"{part.path}\x00{part.digest}\x00".encode())
        for item in self.absent:
            digest.update(f"absent\x00{item.section}\x00{item.title}\x00{item.reason}\x00".encode())
        return digest.hexdigest()


def _csv(rows) -> bytes:
    return "".join(csv_stream(rows)).encode("utf-8")


def _json(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def _local(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M:%S") if value else ""


def _small(plan: PackPlan, path: str, title: str, section: str, data: bytes, **proves) -> None:
    plan.parts.append(
        Part(path, title, section, digest=hashlib.sha256(data).hexdigest(), data=data, **proves)
    )


def _documents(plan: PackPlan, kind_key: str, folder: str, title: str, section: str, **proves):
    kind = KINDS[kind_key]
    people = [None] if not kind.personal else plan.data.trainees
    for trainee in people:
        name = kind.filename(plan.session, trainee)
        label = title if trainee is None else f"{title} — {trainee.get_full_name()}"
        plan.parts.append(
            Part(
                f"{folder}/{name}",
                label,
                section,
                digest=document_fingerprint(kind=kind, data=plan.data, trainee=trainee),
                document=(kind, trainee),
                **proves,
            )
        )


def pack_plan(*, session: TrainingSession) -> PackPlan:
    """Return the plan of the session's proof pack (no PDF printed)."""
    with translation.override(LANGUAGE):
        plan = PackPlan(session=session, data=SessionData(session))
        for add in (
            _programme,
            _convocations,
            _attendance,
            _evaluations,
            _completion,
            _satisfaction,
            _quality,
            _audit,
            _legal_watch,
        ):
            add(plan)
        return plan


# --- 1. Programme ----------------------------------------------------------------------------


def revisions_around(session: TrainingSession) -> tuple[ContentRevision | None, list]:
    """The content revision in force when the session started, and those recorded after."""
    start = session.slots.order_by("date", "start_time").first()
    start_at = start.starts_at if start else None
    revisions = list(ContentRevision.objects.order_by("number"))
    if start_at is None:
        return (revisions[-1] if revisions else None), []
    before = [r for r in revisions if r.created_at <= start_at]
    after = [r for r in revisions if r.created_at > start_at]
    return (before[-1] if before else None), after


def _programme(plan: PackPlan) -> None:
    data = plan.data
    in_force, later = revisions_around(plan.session)
    context = {
        **data.base_context(),
        "objectives": data.objectives,
        "modules": data.modules,
        "in_force": in_force,
        "later": later,
        "first_revision": ContentRevision.objects.order_by("number").first(),
    }
    html = rendering.html_render(PROGRAMME_TEMPLATE, context)
    plan.parts.append(
        Part(
            "01-programme/programme.pdf",
            "Programme de la formation et déroulé de la session",
            "programme",
            qualiopi=(1, 5),
            digest=rendering.input_hash("proof-programme", html),
            html=html,
        )
    )
    plan.facts["revision_in_force"] = in_force
    plan.facts["revisions_after"] = later


# --- 2. Convocations -------------------------------------------------------------------------


def _convocations(plan: PackPlan) -> None:
    deliveries = list(
        EmailDelivery.objects.filter(session=plan.session, kind=EmailDelivery.Kind.CONVOCATION)
        .select_related("recipient")
        .order_by("recipient__last_name", "recipient__first_name", "created_at", "pk")
    )
    proves = {"qualiopi": (9,)}
    if deliveries:
        rows = [
            [
                "Stagiaire",
                "Adresse",
                "État de l'envoi",
                "Tentatives",
                "Mis en file le",
                "Envoyé le",
                "Motif (échec ou non-envoi)",
            ]
        ]
        for delivery in deliveries:
            rows.append(
                [
                    delivery.recipient.get_full_name(),
                    delivery.recipient.email,
                    str(delivery.get_status_display()),
                    delivery.attempts,
                    _local(delivery.created_at),
                    _local(delivery.sent_at),
                    delivery.reason,
                ]
            )
        _small(
            plan,
            "02-convocations/envois.csv",
            "Convocations envoyées et leur état d'envoi",
            "convocations",
            _csv(rows),
            **proves,
        )
        sent = sum(1 for d in deliveries if d.status == EmailDelivery.Status.SENT)
        plan.facts["convocations"] = {"sent": sent, "total": len(deliveries)}
    else:
        plan.absent.append(
            Absent(
                "convocations",
                "Convocations envoyées et leur état d'envoi",
                "Aucun envoi de convocation n'est enregistré pour cette session (envois "
                "antérieurs au suivi des courriels, ou stagiaires inscrits sans convocation).",
                **proves,
            )
        )
    if plan.data.trainees:
        _documents(
            plan,
            GeneratedDocument.Kind.CONVOCATION,
            "02-convocations",
            "Convocation",
            "convocations",
            **proves,
        )


# --- 3. Attendance ----------------------------------------------------------------------------


def _attendance(plan: PackPlan) -> None:
    session = plan.session
    proves = {"funder": ("realisation", "assiduite")}
    slots = plan.data.slots
    if not slots:
        plan.absent.append(
            Absent("emargement", "Feuille d'émargement", "La session n'a aucune demi-journée.")
        )
        return
    _documents(
        plan,
        GeneratedDocument.Kind.ATTENDANCE,
        "03-emargement",
        "Feuille d'émargement signée",
        "emargement",
        **proves,
    )
    records = chain(
        [attendance_exports.attendance_header()],
        attendance_exports.attendance_rows(session=session),
    )
    _small(
        plan,
        "03-emargement/enregistrements.csv",
        "Enregistrements de présence, par stagiaire et demi-journée",
        "emargement",
        _csv(records),
        **proves,
    )
    hours = chain(
        [attendance_exports.summary_header()], attendance_exports.summary_rows(session=session)
    )
    _small(
        plan,
        "03-emargement/heures.csv",
        "Heures prévues et heures suivies, par stagiaire",
        "emargement",
        _csv(hours),
        **proves,
    )
    states = {
        s.slot_id: s
        for s in SlotAttendance.objects.filter(slot__in=slots).select_related("attested_by")
    }
    seals = {s.slot_id: s for s in SlotEvidenceSeal.objects.filter(slot__in=slots)}
    rows = [
        [
            "Date",
            "Demi-journée",
            "Début",
            "Fin",
            "État",
            "Ouverte le",
            "Close le",
            "Attestée par",
            "Attestée le",
            "Mode d'attestation",
            "SHA-256 de l'attestation",
            "Maillons de la chaîne",
            "Tête de chaîne recalculée",
            "Tête scellée",
            "Scellée le",
            "Sceau conforme",
        ]
    ]
    sealed_ok = attested = 0
    for slot in slots:
        state = states.get(slot.pk)
        seal = seals.get(slot.pk)
        head, count = slot_chain(slot=slot)
        matches = seal is not None and seal.chain_head == head
        sealed_ok += matches
        attested += bool(state and state.attested_by_id)
        rows.append(
            [
                slot.date,
                str(slot.get_period_display()),
                slot.start_time,
                slot.end_time,
                str(state.get_status_display())
                if state
                else str(SlotAttendance.Status.UPCOMING.label),
                _local(state.opened_at) if state else "",
                _local(state.closed_at) if state else "",
                state.attested_by.get_full_name() if state and state.attested_by else "",
                _local(state.attested_at) if state else "",
                str(state.get_attestation_method_display())
                if state and state.attestation_method
                else "",
                state.attestation_sha256 if state else "",
                count,
                head,
                seal.chain_head if seal else "",
                _local(seal.updated_at) if seal else "",
                ("oui" if matches else "non") if seal else "non scellée",
            ]
        )
        _small(
            plan,
            f"03-emargement/chaines/{slot.date:%Y-%m-%d}-{slot.period}.json",
            f"Chaîne de preuves de la demi-journée du {slot.date:%d/%m/%Y} ({slot.get_period_display().lower()})",
            "emargement",
            _json(
                {
                    "session": session.code,
                    "slot_id": slot.pk,
                    "date": slot.date.isoformat(),
                    "period": slot.period,
                    "rule": (
                        "start = sha256('slot:<slot_id>'); for each record in order: "
                        "head = sha256(head + JSON of the record, keys sorted, separators "
                        "',' and ':', UTF-8). The last head is the seal."
                    ),
                    "start": hashlib.sha256(f"slot:{slot.pk}".encode()).hexdigest(),
                    "records": slot_links(slot=slot),
                    "head": head,
                    "seal": (
                        {"chain_head": seal.chain_head, "links": seal.links} if seal else None
                    ),
                }
            ),
            **proves,
        )
    _small(
        plan,
        "03-emargement/attestations-formateur.csv",
        "Attestation du formateur et sceau de chaque demi-journée",
        "emargement",
        _csv(rows),
        **proves,
    )
    plan.facts["slots"] = {"total": len(slots), "attested": attested, "sealed_ok": sealed_ok}


# --- 4. Evaluations ---------------------------------------------------------------------------


def _evaluations(plan: PackPlan) -> None:
    gain = learning_gain(session=plan.session)
    proves = {"qualiopi": (4, 8, 10, 11), "funder": ("resultats",)}
    title = "Positionnement et évaluation finale par objectif, progression"
    if not gain.trainees:
        plan.absent.append(
            Absent(
                "evaluations",
                title,
                "Aucun test de positionnement ni évaluation finale n'a été passé dans cette session.",
                **proves,
            )
        )
        return
    rows = [
        [
            "Objectif",
            "Intitulé",
            "Positionnement (%)",
            "Évaluation finale (%)",
            "Progression (points)",
        ]
    ]
    for objective, average in zip(gain.objectives, gain.objective_averages, strict=True):
        rows.append([objective.code, objective.text, average.before, average.after, average.delta])
    rows.append(
        ["ensemble", "Score global", gain.average.before, gain.average.after, gain.average.delta]
    )
    rows.append([])
    rows.append(
        [
            f"Moyennes sur les {len(gain.paired)} stagiaires qui ont passé les deux tests "
            "(tentative retenue de chacun)."
        ]
    )
    _small(
        plan,
        "04-evaluations/resultats-par-objectif.csv",
        title,
        "evaluations",
        _csv(rows),
        **proves,
    )
    header = ["Stagiaire", "Positionnement (%)", "Évaluation finale (%)", "Progression (points)"]
    for objective in gain.objectives:
        header += [f"{objective.code} avant (%)", f"{objective.code} après (%)"]
    rows = [header]
    for trainee in gain.trainees:
        row = [
            trainee.user.get_full_name(),
            trainee.overall.before,
            trainee.overall.after,
            trainee.overall.delta,
        ]
        for item in trainee.objectives:
            row += [item.before, item.after]
        rows.append(row)
    _small(
        plan,
        "04-evaluations/resultats-par-stagiaire.csv",
        "Résultats de chaque stagiaire, par objectif",
        "evaluations",
        _csv(rows),
        **proves,
    )
    plan.facts["gain"] = gain


# --- 5. Certificates and attestations ----------------------------------------------------------


def _completion(plan: PackPlan) -> None:
    data = plan.data
    certificates = {"funder": ("realisation", "assiduite")}
    attestations = {"qualiopi": (11,), "funder": ("resultats",)}
    if not data.trainees:
        reason = "Aucun stagiaire n'est inscrit."
    elif not data.completion_documents_ready:
        reason = (
            "Ils sont délivrés quand la session est terminée et que chacune de ses "
            "demi-journées est close et attestée par le formateur, ce qui n'est pas encore le cas."
        )
    else:
        reason = ""
    if reason:
        plan.absent.append(
            Absent("certificats", "Certificats de réalisation", reason, **certificates)
        )
        plan.absent.append(
            Absent("certificats", "Attestations de fin de formation", reason, **attestations)
        )
        return
    _documents(
        plan,
        GeneratedDocument.Kind.CERTIFICATE,
        "05-certificats",
        "Certificat de réalisation",
        "certificats",
        **certificates,
    )
    _documents(
        plan,
        GeneratedDocument.Kind.ATTESTATION,
        "05-attestations",
        "Attestation de fin de formation",
        "certificats",
        **attestations,
    )


# --- 6. Satisfaction ---------------------------------------------------------------------------

SURVEY_FILES = {
    Questionnaire.Kind.HOT: "a-chaud",
    Questionnaire.Kind.COLD: "a-froid",
    Questionnaire.Kind.SPONSOR: "commanditaire",
}


def _trainer_like_viewer():
    """A viewer who is not an administrator: results as a trainer of the session reads them."""
    return AnonymousUser()


def _satisfaction(plan: PackPlan) -> None:
    from django.conf import settings

    sessions = TrainingSession.objects.filter(pk=plan.session.pk)
    readable = set(questionnaire_kinds_readable_by_trainers())
    proves = {"qualiopi": (2, 30)}
    figures = []
    for kind, slug in SURVEY_FILES.items():
        if kind not in readable:
            continue
        questionnaire = questionnaire_active(kind=kind)
        label = str(Questionnaire.Kind(kind).label)
        title = f"Résultats du questionnaire : {label}"
        if questionnaire is None:
            plan.absent.append(
                Absent("satisfaction", title, "Ce questionnaire n'est pas chargé.", **proves)
            )
            continue
        results = survey_results(
            questionnaire=questionnaire, sessions=sessions, user=_trainer_like_viewer()
        )
        if results.excluded_sessions or (results.hidden and results.responses):
            # Answers exist but fewer than the threshold: a trainer sees no figure at all.
            plan.absent.append(
                Absent(
                    "satisfaction",
                    title,
                    f"Moins de {settings.SURVEY_MIN_RESPONSES} réponses, le seuil d'anonymat : "
                    "les résultats ne sont pas communiqués, comme pour le formateur de la "
                    "session.",
                    **proves,
                )
            )
            continue
        if results.responses == 0:
            plan.absent.append(
                Absent(
                    "satisfaction",
                    title,
                    "Aucune réponse à ce questionnaire pour cette session.",
                    **proves,
                )
            )
            continue
        rows = [
            *survey_exports.summary_rows(results, scope=plan.session.code),
            [],
            *survey_exports.detail_rows(results),
        ]
        _small(plan, f"06-satisfaction/{slug}.csv", title, "satisfaction", _csv(rows), **proves)
        figures.append(
            {
                "label": label,
                "responses": results.responses,
                "rate": results.response_rate,
                "satisfied": results.satisfaction.top_two if results.satisfaction else None,
            }
        )
    plan.facts["satisfaction"] = figures


def questionnaire_kinds_readable_by_trainers() -> list[str]:
    """The kinds whose results a trainer reads (not their own appreciation of the session):
    the rule of ``training.surveys.permissions.questionnaire_kinds_readable`` for trainers."""
    return [k for k in Questionnaire.Kind if k != Questionnaire.Kind.TRAINER]


# --- 7. Complaints and improvement actions -----------------------------------------------------


def _quality(plan: PackPlan) -> None:
    session = plan.session
    complaints = list(
        Complaint.objects.filter(session=session)
        .select_related("session")
        .order_by("created_at", "pk")
    )
    if complaints:
        _small(
            plan,
            "07-qualite/reclamations.csv",
            "Réclamations concernant la session (sans l'identité ni le message de leurs auteurs)",
            "qualite",
            _csv(complaint_rows(complaints=complaints)),
            qualiopi=(31,),
        )
    else:
        plan.absent.append(
            Absent(
                "qualite",
                "Réclamations concernant la session",
                "Aucune réclamation n'est enregistrée pour cette session.",
                qualiopi=(31,),
            )
        )
    actions = list(
        ImprovementAction.objects.filter(Q(session=session) | Q(complaint__session=session))
        .select_related("complaint", "question__questionnaire", "owner")
        .distinct()
        .order_by("created_at", "pk")
    )
    if actions:
        _small(
            plan,
            "07-qualite/actions-amelioration.csv",
            "Actions d'amélioration liées à la session",
            "qualite",
            _csv(action_rows(actions=actions)),
            qualiopi=(32,),
        )
    else:
        plan.absent.append(
            Absent(
                "qualite",
                "Actions d'amélioration liées à la session",
                "Aucune action d'amélioration n'est rattachée à cette session.",
                qualiopi=(32,),
            )
        )
    plan.facts["complaints"] = len(complaints)
    plan.facts["actions"] = len(actions)


# --- 8. Audit trail ---------------------------------------------------------------------------


def session_audit_events(*, session: TrainingSession):
    """The audit events that name the session (enrolments, corrections, closings, documents,
    automatic closings), oldest first."""
    from training.privacy.models import AuditEvent

    return (
        AuditEvent.objects.filter(data__session=session.code)
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def _audit(plan: PackPlan) -> None:
    from training.privacy.models import AuditEvent

    events = session_audit_events(session=plan.session)
    data = _csv(audit_rows(events=events))
    # Printing the pack's documents records « document generated » events: the fingerprint
    # (which decides whether a request finds the pack already made) leaves them out, or the
    # first build would make the next request build again. The file lists them all; the
    # worker reads the trail after printing (services.pack_build), so a rebuild is identical.
    stable = _csv(audit_rows(events=events.exclude(action=AuditEvent.Action.DOCUMENT_GENERATE)))
    plan.parts.append(
        Part(
            "08-audit/journal.csv",
            "Entrées du journal d'audit de la session",
            "audit",
            funder=("assiduite",),
            digest=hashlib.sha256(b"audit\x00" + stable).hexdigest(),
            data=data,
        )
    )
    plan.facts["audit_events"] = events.count()


# --- 9. Legal watch ----------------------------------------------------------------------------


def _legal_watch(plan: PackPlan) -> None:
    # « as it stood » at the end of the session: due dates are computed for that day.
    today = plan.session.end_date
    rows = _csv(watch_log_rows(today=today))
    _small(
        plan,
        "09-veille/journal-veille.csv",
        f"Journal de la veille juridique (échéances au {today:%d/%m/%Y})",
        "veille",
        rows,
        qualiopi=(23,),
    )
    plan.parts.append(
        Part(
            "09-veille/journal-veille.pdf",
            f"Journal de la veille juridique, lisible (échéances au {today:%d/%m/%Y})",
            "veille",
            qualiopi=(23,),
            digest=hashlib.sha256(b"watch-log-pdf\x00" + rows).hexdigest(),
            make=lambda: watch_log_pdf(author=plan.data.organisation.get("name", ""), today=today),
            reproducible=False,
        )
    )
