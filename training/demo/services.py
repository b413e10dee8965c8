"""Demo data for a newcomer: known accounts, and (as features land) a complete session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from modules.selectors import course_get
from quizzes.demo import demo_attempts_seed
from training.access import roles
from training.accounts.models import User
from training.attendance import codes
from training.attendance import services as services_attendance
from training.attendance.models import SlotAttendance
from training.sessions import services
from training.sessions.models import Enrolment, TrainingSession


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    first_name: str
    last_name: str
    role: str
    profession: str = ""
    category: str = User.ProfessionCategory.OTHER
    organisation: str = ""


DEMO_ACCOUNTS = [
    DemoAccount(
        "admin@demo.example",
        "demo-admin-2026",
        "Agnès",
        "Martin",
        roles.ADMINISTRATOR,
        "Responsable pédagogique",
        User.ProfessionCategory.ADMINISTRATION,
        "Organisme de formation",
    ),
    DemoAccount(
        "formatrice@demo.example",
        "demo-formatrice-2026",
        "Claire",
        "Rousseau",
        roles.TRAINER,
        "Juriste, formatrice",
        User.ProfessionCategory.OTHER,
        "Organisme de formation",
    ),
    DemoAccount(
        "stagiaire@demo.example",
        "demo-stagiaire-2026",
        "Samir",
        "Benali",
        roles.TRAINEE,
        "Éducateur spécialisé",
        User.ProfessionCategory.SOCIAL,
        "MECS Les Tilleuls",
    ),
]

EXTRA_TRAINEES = [
    (
        "Léa",
        "Dubois",
        "Infirmière",
        User.ProfessionCategory.HEALTH,
        "Centre hospitalier de Villeneuve",
    ),
    (
        "Hugo",
        "Lefèvre",
        "Assistant de service social",
        User.ProfessionCategory.SOCIAL,
        "Conseil départemental",
    ),
    (
        "Inès",
        "Moreau",
        "Aide-soignante",
        User.ProfessionCategory.MEDICO_SOCIAL,
        "EHPAD Les Glycines",
    ),
    (
        "Thomas",
        "Girard",
        "Directeur d'établissement",
        User.ProfessionCategory.ADMINISTRATION,
        "Association Horizons",
    ),
    ("Chloé", "Fournier", "Psychologue", User.ProfessionCategory.HEALTH, "CMP de la Vallée"),
    (
        "Nicolas",
        "Mercier",
        "Moniteur-éducateur",
        User.ProfessionCategory.SOCIAL,
        "IME Les Peupliers",
    ),
    (
        "Camille",
        "Faure",
        "Infirmière scolaire",
        User.ProfessionCategory.EDUCATION,
        "Collège Jean-Moulin",
    ),
    (
        "Yanis",
        "Chevalier",
        "Conseiller en économie sociale et familiale",
        User.ProfessionCategory.SOCIAL,
        "CCAS",
    ),
    (
        "Manon",
        "Blanc",
        "Représentante des usagers",
        User.ProfessionCategory.USER_REPRESENTATIVE,
        "CVS du foyer Arc-en-ciel",
    ),
    ("Julien", "Guérin", "Cadre de santé", User.ProfessionCategory.HEALTH, "SSIAD du Val"),
    (
        "Sarah",
        "Roux",
        "Auxiliaire de vie sociale",
        User.ProfessionCategory.MEDICO_SOCIAL,
        "SAAD Bien chez soi",
    ),
    (
        "Antoine",
        "Perrin",
        "Éducateur de jeunes enfants",
        User.ProfessionCategory.SOCIAL,
        "Pouponnière départementale",
    ),
]
EXTRA_PASSWORD = "demo-stagiaire-2026"  # noqa: S105 - public demo password


def _account(email, password, first_name, last_name, role, profession, category, organisation):
    user, _ = User.objects.update_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "profession": profession,
            "profession_category": category,
            "organisation": organisation,
            "is_active": True,
            "is_staff": role == roles.ADMINISTRATOR,
        },
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    user.groups.set([Group.objects.get(name=role)])
    return user


@transaction.atomic
def demo_seed() -> list[DemoAccount]:
    """Create or refresh the demo accounts (and demo sessions once they exist); idempotent."""
    for a in DEMO_ACCOUNTS:
        _account(
            a.email,
            a.password,
            a.first_name,
            a.last_name,
            a.role,
            a.profession,
            a.category,
            a.organisation,
        )
    for first, last, profession, category, organisation in EXTRA_TRAINEES:
        email = (
            f"{first}.{last}@demo.example".lower()
            .replace("è", "e")
            .replace("é", "e")
            .replace("ï", "i")
        )
        _account(
            email, EXTRA_PASSWORD, first, last, roles.TRAINEE, profession, category, organisation
        )
    sessions = demo_sessions_seed()
    demo_quiz_results_seed(sessions=sessions)
    demo_attendance_seed(sessions=sessions)
    demo_surveys_seed(sessions=sessions)
    demo_quality_seed(sessions=sessions)
    demo_bpf_seed(sessions=sessions)
    return DEMO_ACCOUNTS


# The BPF data of the demo's enrolments (codes of fixtures/bpf.yaml), in turn.
DEMO_BPF = [
    ("salarie_prive", "opco", Decimal("780.00")),
    ("agent_public", "employeur", Decimal("780.00")),
    ("salarie_prive", "employeur", Decimal("780.00")),
    ("demandeur_emploi", "france_travail", Decimal("650.00")),
    ("particulier", "stagiaire", Decimal("450.00")),
]


def demo_bpf_seed(*, sessions) -> int:
    """Give the demo's enrolments their BPF data (only those without any: an administrator's
    correction survives a new seed), and the finished session's convocations their « sent »
    records, so that the BPF of the year and the proof pack have something to show."""
    from training.background.models import EmailDelivery

    changed = 0
    for session in sessions:
        enrolments = session.enrolments.filter(status=Enrolment.Status.ENROLLED).order_by(
            "trainee__email"
        )
        for index, enrolment in enumerate(enrolments):
            if (
                enrolment.trainee_category
                or enrolment.funding_source
                or enrolment.price is not None
            ):
                continue
            category, source, price = DEMO_BPF[index % len(DEMO_BPF)]
            Enrolment.objects.filter(pk=enrolment.pk).update(
                trainee_category=category, funding_source=source, price=price
            )
            changed += 1
        if session.code != DEMO_FINISHED_CODE:
            continue
        sent_at = timezone.make_aware(
            datetime.combine(session.start_date - timedelta(days=12), time(9, 0))
        )
        for enrolment in enrolments:
            EmailDelivery.objects.get_or_create(
                kind=EmailDelivery.Kind.CONVOCATION,
                session=session,
                recipient=enrolment.trainee,
                defaults={
                    "status": EmailDelivery.Status.SENT,
                    "attempts": 1,
                    "created_at": sent_at,
                    "attempt_started_at": sent_at,
                    "sent_at": sent_at,
                },
            )
    return changed


def demo_quiz_results_seed(*, sessions) -> int:
    """Record positioning, module and final attempts for the finished demo session."""

    finished = next((s for s in sessions if s.code == DEMO_FINISHED_CODE), None)
    if finished is None:
        return 0
    trainees = [
        e.trainee
        for e in finished.enrolments.filter(status=Enrolment.Status.ENROLLED).select_related(
            "trainee"
        )
    ]
    return demo_attempts_seed(session=finished, trainees=trainees)


DEMO_FINISHED_CODE = "DEMO-TERMINEE"
DEMO_UPCOMING_CODE = "DEMO-A-VENIR"


def _next_weekday(day, weekday=1):
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def demo_sessions_seed() -> list:
    """Create a finished session (last month) and an upcoming one (next month); idempotent.

    Sessions are found by reference code and never re-dated, so attendance or results added
    to them later survive a new seed. Needs the course (``load_course``); skipped without it.
    """

    course = course_get()
    if course is None:
        return []
    trainer = User.objects.get(email="formatrice@demo.example")
    trainees = list(
        User.objects.filter(email__endswith="@demo.example", groups__name=roles.TRAINEE)
        .exclude(email="stagiaire@demo.example")
        .order_by("email")
    )
    samir = User.objects.get(email="stagiaire@demo.example")
    today = timezone.localdate()
    finished_start = _next_weekday(today - timedelta(days=38))
    upcoming_start = _next_weekday(today + timedelta(days=27))
    place = {
        "place_name": "Maison des associations — salle Simone-Veil",
        "address": "12 rue de la République\n69002 Lyon",
        "access_notes": (
            "Métro A, station Cordeliers. Salle au rez-de-chaussée, accessible en fauteuil "
            "roulant. Parking public à 200 m."
        ),
    }
    plans = [
        (
            DEMO_FINISHED_CODE,
            [
                finished_start,
                finished_start + timedelta(days=1),
                finished_start + timedelta(days=7),
            ],
            TrainingSession.Status.FINISHED,
            [samir, *trainees],
        ),
        (
            DEMO_UPCOMING_CODE,
            [upcoming_start, upcoming_start + timedelta(days=1)],
            TrainingSession.Status.PLANNED,
            [samir, *trainees[:9]],
        ),
    ]
    sessions = []
    for code, dates, status, people in plans:
        session = TrainingSession.objects.filter(code=code).first()
        if session is None:
            session = services.session_create(
                course=course,
                title=course.title,
                dates=dates,
                trainers=[trainer],
                code=code,
                capacity=15,
                status=status,
                notes="Session de démonstration.",
                **place,
            )
        session.trainers.add(trainer)
        now = timezone.now()
        for person in people:
            Enrolment.objects.update_or_create(
                session=session,
                trainee=person,
                defaults={"status": Enrolment.Status.ENROLLED, "cancelled_at": None},
                create_defaults={
                    "status": Enrolment.Status.ENROLLED,
                    "convocation_sent_at": now,
                },
            )
        sessions.append(session)
    return sessions


# --- Attendance (émargement) of the finished demo session -------------------------------------


def _demo_signature_png(seed: int, variant: int) -> bytes:
    """Draw a signature-like stroke: the same shape per person, slightly different each time."""
    import io
    import random

    from PIL import Image, ImageDraw

    shape = random.Random(seed)
    jitter = random.Random(seed * 1000 + variant)
    image = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    x, y = 40 + shape.randint(0, 40), 150 + shape.randint(-20, 20)
    points = [(x, y)]
    for _ in range(shape.randint(7, 11)):
        x += shape.randint(25, 60)
        y = max(30, min(210, y + shape.randint(-70, 70)))
        points.append((x + jitter.randint(-4, 4), y + jitter.randint(-4, 4)))
    draw.line(points, fill=(17, 17, 17, 255), width=4, joint="curve")
    tail = points[-1]
    draw.line(
        [tail, (tail[0] + 40, tail[1] + jitter.randint(-8, 8))], fill=(17, 17, 17, 255), width=3
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def demo_attendance_seed(*, sessions) -> int:
    """Sign and attest every half-day of the finished demo session; idempotent.

    Most trainees sign on screen; on the first morning one signs on paper (scanned sheet);
    on the first day one types their name; on the second morning one arrives late
    (signature, then the trainer's correction); on the second afternoon one is absent with a
    reason. Half-days already closed are left as they are. Returns the half-days signed now.
    """
    finished = next((s for s in sessions if s.code == DEMO_FINISHED_CODE), None)
    if finished is None:
        return 0
    trainer = finished.trainers.order_by("pk").first()
    trainees = [
        e.trainee
        for e in finished.enrolments.filter(status=Enrolment.Status.ENROLLED)
        .select_related("trainee")
        .order_by("trainee__email")
    ]
    if trainer is None or len(trainees) < 4:
        return 0
    paper, typed, late, absent = trainees[-1], trainees[-2], trainees[-3], trainees[-4]
    done = 0
    for index, slot in enumerate(finished.slots.order_by("date", "period")):
        state = SlotAttendance.objects.filter(slot=slot).first()
        if state is not None and state.status != SlotAttendance.Status.UPCOMING:
            continue
        opened = timezone.make_aware(datetime.combine(slot.date, slot.start_time)) - timedelta(
            minutes=10
        )
        services_attendance.slot_open(slot=slot, user=trainer, now=opened)
        secret = SlotAttendance.objects.get(slot=slot).secret
        for position, trainee in enumerate(trainees):
            now = opened + timedelta(minutes=3 + position % 9, seconds=7 * position % 60)
            client = {
                "ip_address": f"192.0.2.{10 + position}",
                "user_agent": "Mozilla/5.0 (Linux; Android 14) démonstration",
                "now": now,
            }
            if trainee == absent and index == 3:
                services_attendance.status_mark(
                    slot=slot,
                    trainee=trainee,
                    status="absent",
                    reason="Rendez-vous médical, prévenu la veille.",
                    author=trainer,
                    now=now,
                )
                continue
            if trainee == paper and index == 0:
                services_attendance.paper_signature_record(
                    slot=slot,
                    trainee=trainee,
                    scan=_demo_paper_scan(trainee, slot),
                    recorded_by=trainer,
                    reason="Pas de téléphone : feuille papier signée et numérisée.",
                    now=now,
                )
                continue
            if trainee == late and index == 2:
                now = opened + timedelta(minutes=52)
                client["now"] = now
            code = codes.code_current(secret=secret, now=now)
            if trainee == typed and index < 2:
                services_attendance.signature_record(
                    slot=slot,
                    trainee=trainee,
                    code=code,
                    typed_name=trainee.get_full_name(),
                    certified=True,
                    **client,
                )
                continue
            record = services_attendance.signature_record(
                slot=slot,
                trainee=trainee,
                code=code,
                image_data=_demo_signature_png(trainee.pk, index),
                **client,
            )
            if trainee == late and index == 2:
                services_attendance.signature_correct(
                    signature=record,
                    author=trainer,
                    new_status="retard",
                    reason="Arrivée à 9 h 40 (train en retard).",
                    now=now + timedelta(minutes=2),
                )
        closing = timezone.make_aware(datetime.combine(slot.date, slot.end_time))
        services_attendance.slot_close_and_attest(
            slot=slot,
            trainer=trainer,
            image_data=_demo_signature_png(trainer.pk, index),
            now=closing,
        )
        done += 1
    return done


def _demo_paper_scan(trainee, slot) -> bytes:
    """A small PNG standing for the scanned paper sheet of the demo."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (420, 160), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([5, 5, 414, 154], outline="black")
    draw.text(
        (15, 15), f"{trainee.get_full_name()} - {slot.date:%d/%m/%Y} {slot.period}", fill="black"
    )
    draw.line([(40, 120), (120, 70), (180, 125), (300, 60)], fill="black", width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# --- Appreciations, complaints and improvement actions of the finished demo session -------------

DEMO_COMMENTS = {
    "points-forts": [
        ("Les cas pratiques, très proches de ce que nous vivons en équipe.", True),
        ("La boussole du partage : je vais l'utiliser avec mes collègues.", True),
        ("Des réponses claires sur ce que l'on peut dire aux autres professionnels.", True),
        ("Beaucoup de place laissée aux échanges entre nous.", False),
    ],
    "ameliorations": [
        ("Un peu plus de temps sur le droit d'opposition.", True),
        ("La salle était trop petite pour les travaux en groupe.", True),
        ("Recevoir le support avant la session pour pouvoir le lire.", False),
    ],
}


def _demo_value(question, rng) -> int:
    """A plausible answer: mostly satisfied, a little less on the harder objectives."""
    if question.type == "recommendation":
        return rng.choice([7, 8, 8, 9, 9, 9, 10, 10, 10, 6])
    if question.type == "yes_no":
        return rng.choice([1, 1, 0])
    if question.type == "choice":
        return rng.randint(1, len(question.options))
    if question.key in ("salle", "objectif-clarifier", "module-droit-d-opposition"):
        return rng.choice([2, 3, 3, 4, 4, 5])
    return rng.choice([3, 4, 4, 5, 5, 5])


def demo_surveys_seed(*, sessions) -> int:
    """Answers to the finished demo session's questionnaires (idempotent): 11 of its 13
    trainees answered « à chaud » (Samir Benali has not: his dashboard shows it), the
    trainer gave her review, one employer answered and another was invited."""
    import random

    from training.surveys import services as survey_services
    from training.surveys.models import (
        Questionnaire,
        SurveyAnswer,
        SurveyInvitation,
        SurveyMessage,
        SurveyResponse,
    )
    from training.surveys.scheduling import link_expiry, session_end

    finished = next((s for s in sessions if s.code == DEMO_FINISHED_CODE), None)
    if finished is None:
        return 0
    questionnaires = {q.kind: q for q in Questionnaire.objects.filter(is_active=True)}
    hot = questionnaires.get(Questionnaire.Kind.HOT)
    if hot is None or SurveyResponse.objects.filter(session=finished).exists():
        return 0
    end = session_end(finished)
    trainees = [
        e.trainee
        for e in finished.enrolments.filter(status=Enrolment.Status.ENROLLED)
        .select_related("trainee")
        .order_by("trainee__email")
    ]
    rng = random.Random(20260301)
    comments = {key: list(items) for key, items in DEMO_COMMENTS.items()}

    def invite(questionnaire, *, recipient=None, **sponsor):
        invitation = SurveyInvitation.objects.create(
            questionnaire=questionnaire,
            session=finished,
            recipient=recipient,
            due_at=end,
            sent_at=end,
            expires_at=link_expiry(end),
            **sponsor,
        )
        SurveyMessage.objects.create(
            invitation=invitation,
            number=0,
            claimed_at=end,
            sent_at=end,
            status=SurveyMessage.Status.SENT,
        )
        return invitation

    def answer(invitation, *, late=False):
        if late:  # answered after the first reminder
            SurveyMessage.objects.create(
                invitation=invitation,
                number=1,
                claimed_at=end + timedelta(days=3),
                sent_at=end + timedelta(days=3),
                status=SurveyMessage.Status.SENT,
            )
        values = {}
        for question in invitation.questionnaire.questions.filter(is_active=True):
            if question.type == "text":
                pool = comments.get(question.key)
                if pool and rng.random() < 0.6:
                    values[question.pk] = pool.pop(0)[0]
            else:
                values[question.pk] = _demo_value(question, rng)
        return survey_services.response_submit(
            invitation=invitation, answers=values, now=end + timedelta(hours=1)
        )

    answered = 0
    samir = "stagiaire@demo.example"
    for index, trainee in enumerate(trainees):
        invitation = invite(hot, recipient=trainee)
        if trainee.email == samir or index == len(trainees) - 1:
            continue  # not answered yet
        answer(invitation, late=index % 4 == 3)
        answered += 1
    published = {text for items in DEMO_COMMENTS.values() for text, ok in items if ok}
    for comment in SurveyAnswer.objects.filter(response__session=finished).exclude(text=""):
        status = (
            SurveyAnswer.CommentStatus.PUBLISHED
            if comment.text in published
            else SurveyAnswer.CommentStatus.PENDING
        )
        SurveyAnswer.objects.filter(pk=comment.pk).update(comment_status=status)
    trainer_questionnaire = questionnaires.get(Questionnaire.Kind.TRAINER)
    if trainer_questionnaire is not None:
        for trainer in finished.trainers.all():
            answer(invite(trainer_questionnaire, recipient=trainer))
    sponsor = questionnaires.get(Questionnaire.Kind.SPONSOR)
    if sponsor is not None:
        answer(
            invite(
                sponsor,
                name="Anne Lambert",
                email="anne.lambert@demo.example",
                organisation="Conseil départemental, service formation",
            )
        )
        invite(
            sponsor,
            name="Marc Dupuis",
            email="marc.dupuis@demo.example",
            organisation="Association Horizons",
        )
    return answered


def demo_quality_seed(*, sessions) -> int:
    """A complaint answered and closed with its public improvement action, a complaint in
    progress, an action from a survey result under way (idempotent)."""
    from training.quality import services as quality_services
    from training.quality.models import Complaint, ImprovementAction
    from training.surveys.models import SurveyQuestion

    finished = next((s for s in sessions if s.code == DEMO_FINISHED_CODE), None)
    if finished is None or Complaint.objects.filter(session=finished).exists():
        return 0
    admin = User.objects.get(email="admin@demo.example")
    hugo = User.objects.filter(email="hugo.lefevre@demo.example").first()
    received = timezone.make_aware(datetime.combine(finished.end_date, time(18, 20))) + timedelta(
        days=2
    )
    complaint = quality_services.complaint_submit(
        name="",
        email="",
        role=Complaint.Role.TRAINEE,
        session=finished,
        subject="Attestation de fin de formation reçue tardivement",
        message=(
            "Mon employeur m'a demandé l'attestation de fin de formation le lendemain de la "
            "session, mais elle n'était pas encore disponible sur la plateforme. Il a fallu "
            "relancer deux fois."
        ),
        user=hugo,
        client_address="192.0.2.40",
        now=received,
    )
    Complaint.objects.filter(pk=complaint.pk).update(acknowledged_at=received)
    quality_services.complaint_update(
        complaint=complaint,
        by=admin,
        status=Complaint.Status.IN_PROGRESS,
        session=finished,
        now=received + timedelta(days=1),
    )
    quality_services.complaint_update(
        complaint=complaint,
        by=admin,
        status=Complaint.Status.ANSWERED,
        session=finished,
        answer=(
            "Merci pour votre signalement. Les attestations ne pouvaient être produites qu'une "
            "fois toutes les demi-journées attestées par la formatrice ; la dernière l'a été "
            "avec un jour de retard. Votre attestation est disponible depuis votre tableau de "
            "bord, et nous avons changé notre organisation pour que cela ne se reproduise pas."
        ),
        send_answer=False,
        now=received + timedelta(days=3),
    )
    quality_services.complaint_update(
        complaint=complaint,
        by=admin,
        status=Complaint.Status.CLOSED,
        session=finished,
        now=received + timedelta(days=10),
    )
    quality_services.action_create(
        by=admin,
        now=received + timedelta(days=3),
        title="Attestations disponibles dès la fin de la session",
        description=(
            "La formatrice clôture et atteste chaque demi-journée avant de quitter la salle ; "
            "l'administratrice vérifie le soir même que les attestations sont disponibles."
        ),
        source=ImprovementAction.Source.COMPLAINT,
        complaint=complaint,
        session=finished,
        owner=admin,
        due_date=(received + timedelta(days=14)).date(),
        status=ImprovementAction.Status.DONE,
        outcome="Appliqué dès la session suivante ; plus aucune relance depuis.",
        is_public=True,
        public_summary=(
            "Les attestations de fin de formation sont disponibles le jour même de la fin "
            "de la session."
        ),
    )
    visitor = quality_services.complaint_submit(
        name="Valérie Caron",
        email="valerie.caron@demo.example",
        role=Complaint.Role.EMPLOYER,
        session_text="Session du printemps à Lyon",
        subject="Facture adressée au mauvais service",
        message="La facture de la formation a été envoyée à notre siège au lieu du service formation.",
        client_address="192.0.2.41",
        now=timezone.now() - timedelta(days=2),
    )
    Complaint.objects.filter(pk=visitor.pk).update(acknowledged_at=visitor.created_at)
    quality_services.complaint_update(
        complaint=visitor,
        by=admin,
        status=Complaint.Status.IN_PROGRESS,
        now=timezone.now() - timedelta(days=1),
    )
    room = SurveyQuestion.objects.filter(questionnaire__kind="chaud", key="salle").first()
    quality_services.action_create(
        by=admin,
        title="Une salle plus grande pour les groupes de plus de 12",
        description=(
            "Réserver la grande salle de la Maison des associations dès que plus de 12 "
            "stagiaires sont inscrits, pour les travaux en sous-groupes."
        ),
        source=ImprovementAction.Source.SURVEY,
        question=room,
        session=finished,
        source_detail="Questionnaire à chaud : la salle est la question la moins bien notée.",
        owner=admin,
        due_date=timezone.localdate() + timedelta(days=30),
        status=ImprovementAction.Status.IN_PROGRESS,
    )
    opposition = SurveyQuestion.objects.filter(
        questionnaire__kind="chaud", key="module-droit-d-opposition"
    ).first()
    quality_services.action_create(
        by=admin,
        now=received + timedelta(days=12),
        title="Plus de cas pratiques sur le droit d'opposition",
        description="Ajouter deux cas pratiques au module 4 et lui donner 30 minutes de plus.",
        source=ImprovementAction.Source.SURVEY,
        question=opposition,
        session=finished,
        source_detail="Commentaires et notes du module 4 dans le questionnaire à chaud.",
        owner=User.objects.get(email="formatrice@demo.example"),
        status=ImprovementAction.Status.DONE,
        outcome="Deux cas ajoutés (refus d'un usager, demande d'un proche) ; module allongé.",
        is_public=True,
        public_summary=(
            "Le module sur le droit d'opposition de l'usager compte deux cas pratiques de "
            "plus et dure une demi-heure de plus."
        ),
    )
    return 2
