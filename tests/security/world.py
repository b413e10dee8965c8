"""One small world for the security tests: two sessions, six roles and owned objects.

``world_build()`` needs the real course (the ``course_loaded`` fixture) for modules, quizzes
and the boussole. Session A is run by ``trainer`` and has ``trainee`` enrolled; session B is
run by ``other_trainer`` and has ``other_trainee`` enrolled.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.factories import (
    EnrolmentFactory,
    SessionFactory,
    UserFactory,
    signature_png,
)

ROLES = ("anonymous", "trainee", "other_trainee", "trainer", "other_trainer", "admin")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    session: object = None
    other_session: object = None
    slot: object = None
    enrolment: object = None
    other_enrolment: object = None
    signature: object = None
    other_signature: object = None
    attempt: object = None
    other_attempt: object = None
    resource: object = None
    quiz: object = None
    module: object = None
    lesson: object = None
    case: object = None
    token: object = None
    other_token: object = None
    bundle: object = None
    reference: object = None
    flag: object = None
    invitation: object = None
    comment: object = None
    complaint: object = None
    action: object = None


def _signature(slot, trainee):
    from training.attendance.models import AttendanceSignature

    return AttendanceSignature.objects.create(
        slot=slot,
        trainee=trainee,
        status="present",
        method="trace",
        signed_at=slot.starts_at,
        evidence_file=ContentFile(signature_png(), name="signature.png"),
        evidence_sha256="0" * 64,
        recorded_by=trainee,
    )


def world_build(**names) -> World:
    """Build the world; ``names`` may override user fields per role (e.g. for XSS tests)."""
    from boussole.models import Case
    from modules.models import Lesson
    from quizzes import services as quiz_services
    from quizzes.models import Quiz
    from training.models import CalendarToken
    from training.sessions import services

    world = World()
    roles = {
        "trainee": "Stagiaire",
        "other_trainee": "Stagiaire",
        "trainer": "Formateur",
        "other_trainer": "Formateur",
        "admin": "Administrateur",
    }
    for key, group in roles.items():
        world.users[key] = UserFactory(role=group, **names.get(key, {}))
    world.users["anonymous"] = None
    start = timezone.localdate()
    dates = [start, start + datetime.timedelta(days=1)]
    world.session = SessionFactory(
        dates=dates, trainers=[world.users["trainer"]], **names.get("session", {})
    )
    world.other_session = SessionFactory(
        dates=[d + datetime.timedelta(days=3) for d in dates],
        trainers=[world.users["other_trainer"]],
    )
    world.enrolment = EnrolmentFactory(session=world.session, trainee=world.users["trainee"])
    world.other_enrolment = EnrolmentFactory(
        session=world.other_session, trainee=world.users["other_trainee"]
    )
    world.slot = world.session.slots.order_by("date", "period").first()
    other_slot = world.other_session.slots.order_by("date", "period").first()
    world.signature = _signature(world.slot, world.users["trainee"])
    world.other_signature = _signature(other_slot, world.users["other_trainee"])
    world.resource = services.session_resource_create(
        session=world.session, kind="link", title="Lien", url="https://exemple.fr/"
    )
    world.quiz = Quiz.objects.filter(is_active=True).order_by("pk").first()
    world.attempt = quiz_services.attempt_start(user=world.users["trainee"], quiz=world.quiz)
    world.other_attempt = quiz_services.attempt_start(
        user=world.users["other_trainee"], quiz=world.quiz
    )
    world.lesson = Lesson.objects.select_related("module").order_by("pk").first()
    world.module = world.lesson.module
    world.case = Case.objects.order_by("pk").first()
    world.token = CalendarToken.objects.create(user=world.users["trainee"])
    world.other_token = CalendarToken.objects.create(user=world.users["other_trainee"])
    from training.privacy.services import erasure_request

    world.erasure = erasure_request(user=world.users["other_trainee"])
    from training.documents.models import DocumentBundle

    # A bundle of session A still being built: its download leads back to its page.
    world.bundle = DocumentBundle.objects.create(
        session=world.session, which="certificats", fingerprint="0" * 64, total=1
    )
    # Legal watch: a reference of the registry, and an item flagged « à revoir » after a
    # verification found it modified.
    from training.legalwatch.models import LegalReference
    from training.legalwatch.services import verification_record

    world.reference = LegalReference.objects.get(key="c-pen-226-14")
    verification_record(
        reference=world.reference,
        checked_on=timezone.localdate(),
        checked_by=world.users["admin"],
        source_consulted="Légifrance",
        outcome="modified",
    )
    world.flag = world.reference.flags.order_by("pk").first()
    _surveys_and_quality(world)
    return world


def _surveys_and_quality(world: World) -> None:
    """The trainee's « à chaud » invitation to session A, an anonymous answer with a comment
    on session A, a complaint and an improvement action."""
    from training.quality import services as quality_services
    from training.surveys.models import (
        Questionnaire,
        SurveyAnswer,
        SurveyInvitation,
        SurveyResponse,
    )

    hot = Questionnaire.objects.get(kind="chaud", is_active=True)
    now = timezone.now()
    world.invitation = SurveyInvitation.objects.create(
        questionnaire=hot,
        session=world.session,
        recipient=world.users["trainee"],
        due_at=now,
        sent_at=now,
        expires_at=now + datetime.timedelta(days=30),
    )
    response = SurveyResponse.objects.create(
        questionnaire=hot, session=world.session, anonymous=True
    )
    question = hot.questions.filter(type="text").first()
    world.comment = SurveyAnswer.objects.create(
        response=response, question=question, text="Très utile.", comment_status="a_relire"
    )
    world.complaint = quality_services.complaint_submit(
        name="Visiteur",
        email="visiteur@exemple.fr",
        subject="Un problème",
        message="Le détail du problème.",
        client_address="198.51.100.7",
    )
    world.action = quality_services.action_create(
        by=world.users["admin"],
        title="Une amélioration",
        description="Ce qui change.",
        source="reclamation",
        complaint=world.complaint,
    )


def url_kwargs(world: World) -> dict[str, dict]:
    """Return the keyword arguments of every named URL that takes some, for session A."""
    from training.surveys.links import link_token

    s, slot = world.session.pk, world.slot.pk
    return {
        "password_reset_confirm": {"uidb64": "MQ", "token": "abc-def"},
        "training:session_detail": {"pk": s},
        "training:erasure_decide": {"pk": world.erasure.pk},
        "training:session_update": {"pk": s},
        "training:session_duplicate": {"pk": s},
        "training:session_cancel": {"pk": s},
        "training:session_ics": {"pk": s},
        "training:session_calendar_month": {"year": 2026, "month": 3},
        "training:slot_update": {"pk": s, "slot_pk": slot},
        "training:session_trainees": {"pk": s},
        "training:session_results": {"pk": s},
        "training:enrolment_create": {"pk": s},
        "training:enrolment_import": {"pk": s},
        "training:enrolment_remove": {"pk": s, "enrolment_pk": world.enrolment.pk},
        "training:convocation_resend": {"pk": s, "enrolment_pk": world.enrolment.pk},
        "training:session_resources": {"pk": s},
        "training:session_resource_create": {"pk": s},
        "training:session_resource_delete": {"pk": s, "resource_pk": world.resource.pk},
        "training:calendar_feed_ics": {"token": world.token.token},
        "training:attendance_session": {"pk": s},
        "training:attendance_blank_pdf": {"pk": s},
        "training:attendance_slot_open": {"pk": s, "slot_pk": slot},
        "training:attendance_console": {"pk": s, "slot_pk": slot},
        "training:attendance_console_state": {"pk": s, "slot_pk": slot},
        "training:attendance_qr": {"pk": s, "slot_pk": slot},
        "training:attendance_projection": {"pk": s, "slot_pk": slot},
        "training:attendance_rehearsal_sign": {"slot_pk": slot},
        "training:attendance_status_mark": {"pk": s, "slot_pk": slot},
        "training:attendance_paper": {"pk": s, "slot_pk": slot},
        "training:attendance_slot_close": {"pk": s, "slot_pk": slot},
        "training:attendance_signature_correct": {"pk": s, "signature_pk": world.signature.pk},
        "training:attendance_evidence": {"pk": s, "signature_pk": world.signature.pk},
        "training:attendance_sign": {"slot_pk": slot},
        "training:session_documents": {"pk": s},
        "training:session_document": {"pk": s, "kind": "bibliographie"},
        "training:session_trainee_document": {
            "pk": s,
            "kind": "convocation",
            "trainee_pk": world.users["trainee"].pk,
        },
        "training:session_bundle_start": {"pk": s, "which": "certificats"},
        "training:session_bundle": {"pk": s, "bundle_pk": world.bundle.pk},
        "training:session_bundle_status": {"pk": s, "bundle_pk": world.bundle.pk},
        "training:session_bundle_download": {"pk": s, "bundle_pk": world.bundle.pk},
        "training:session_proofs": {"pk": s},
        "training:session_proofs_start": {"pk": s},
        "training:bpf_export": {"year": world.session.start_date.year, "extension": "csv"},
        "training:bpf_enrolment_edit": {"pk": world.enrolment.pk},
        "training:convocations_resend": {"pk": s},
        "training:my_document": {"pk": s, "kind": "convocation"},
        "modules:module_detail": {"slug": world.module.slug},
        "modules:lesson_detail": {"module_slug": world.module.slug, "slug": world.lesson.slug},
        "modules:lesson_mark_read": {"module_slug": world.module.slug, "slug": world.lesson.slug},
        "modules:slides_present": {"slug": world.module.slug},
        "modules:slides_presenter": {"slug": world.module.slug},
        "quizzes:attempt_take": {"pk": world.attempt.pk},
        "quizzes:attempt_result": {"pk": world.attempt.pk},
        "quizzes:learning_gain_export": {"fmt": "csv"},
        "quizzes:quiz_results": {"slug": world.quiz.slug},
        "quizzes:quiz_results_export": {"slug": world.quiz.slug, "fmt": "xlsx"},
        "quizzes:quiz_detail": {"slug": world.quiz.slug},
        "quizzes:attempt_start": {"slug": world.quiz.slug},
        "training:survey_answer": {"token": link_token(world.invitation)},
        "training:survey_answer_mine": {"pk": world.invitation.pk},
        "training:survey_open": {"session_pk": s, "kind": "chaud"},
        "training:session_surveys": {"pk": s},
        "training:sponsor_invite": {"pk": s},
        "training:session_survey_settings": {"pk": s},
        "training:survey_results_export": {"fmt": "csv"},
        "training:survey_comment_moderate": {"pk": world.comment.pk},
        "training:complaint_detail": {"pk": world.complaint.pk},
        "training:complaint_export": {"fmt": "xlsx"},
        "training:action_update": {"pk": world.action.pk},
        "training:action_export": {"fmt": "csv"},
        "boussole:case_detail": {"slug": world.case.slug},
        "training:legal_reference": {"key": world.reference.key},
        "training:legal_flags_resolve": {"key": world.reference.key},
        "training:legal_flag_resolve": {"pk": world.flag.pk},
        "boussole:case_projection": {"slug": world.case.slug},
    }


def url_names() -> list[str]:
    """Every named URL of the project, with its namespace (``training:session_detail``)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    names: set[str] = set()

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
                walk(entry.url_patterns, namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                names.add(prefix + entry.name)

    walk(get_resolver().url_patterns, "")
    return sorted(n for n in names if not n.startswith("admin:") and n != "set_language")


def url_for(world: World, name: str) -> str:
    from django.urls import reverse

    return reverse(name, kwargs=url_kwargs(world).get(name, {}))
