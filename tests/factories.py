import factory
from django.contrib.auth.models import Group

from training.models import User

DEFAULT_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    """A user; pass ``role="Stagiaire" | "Formateur" | "Administrateur"`` to give a group."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    profession = "Infirmier"
    organisation = "Centre hospitalier"

    @classmethod
    def _create(cls, model_class, *args, role=None, password=DEFAULT_PASSWORD, **kwargs):
        user = model_class(*args, **kwargs)
        user.set_password(password)
        user.save()
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user


# --- Sessions (training) -------------------------------------------------------------------


def course_for_tests():
    """Return the course (the real one when loaded, else a minimal one)."""
    from modules.models import Course

    course = Course.objects.order_by("pk").first()
    if course is None:
        course = Course.objects.create(
            slug="partage-secret", title="Le partage d'information à caractère secret"
        )
    return course


def session_dates(days_ahead=30, count=2, gap=1):
    """Return ``count`` working days starting ``days_ahead`` days from today."""
    import datetime

    from django.utils import timezone

    start = timezone.localdate() + datetime.timedelta(days=days_ahead)
    while start.weekday() >= 5:
        start += datetime.timedelta(days=1)
    return [start + datetime.timedelta(days=i * gap) for i in range(count)]


class SessionFactory(factory.django.DjangoModelFactory):
    """A session created through the service (so it has its half-day slots).

    Pass ``dates=[...]`` and ``trainers=[...]``; defaults: 2 days a month from now, no trainer.
    """

    class Meta:
        model = "training.TrainingSession"
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"TEST-{n:04d}")
    title = "Le partage d'information à caractère secret"
    capacity = 12
    place_name = "Salle du conseil"
    address = "1 place de la Mairie, 69001 Lyon"
    access_notes = "Rez-de-chaussée, accessible en fauteuil roulant."
    course = factory.LazyFunction(course_for_tests)

    @classmethod
    def _create(cls, model_class, *args, dates=None, trainers=(), **kwargs):
        from training.sessions import services

        return services.session_create(dates=dates or session_dates(), trainers=trainers, **kwargs)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Enrolment"

    session = factory.SubFactory(SessionFactory)
    trainee = factory.SubFactory(UserFactory, role="Stagiaire")


# --- Quizzes -------------------------------------------------------------------------------


def objective_for_tests(code="distinguer"):
    """Return a course objective of the test course, created if needed."""
    from modules.models import CourseObjective

    objective, _ = CourseObjective.objects.get_or_create(
        course=course_for_tests(), code=code, defaults={"text": f"Objectif {code}"}
    )
    return objective


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.Quiz"

    slug = factory.Sequence(lambda n: f"quiz-{n}")
    title = factory.Sequence(lambda n: f"Quiz {n}")
    kind = "module"
    pass_mark = 0
    max_attempts = 0
    show_answers = True


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.Question"

    quiz = factory.SubFactory(QuizFactory)
    key = factory.Sequence(lambda n: f"q{n:03d}")
    type = "single"
    text_source = "Énoncé de la question."
    text_html = "Énoncé de la question."
    objective = factory.LazyFunction(objective_for_tests)
    legal_basis = "Art. 226-13 C. pén."
    explanation_source = "Explication."
    explanation_html = "<p>Explication.</p>"
    order = factory.Sequence(lambda n: n)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.Choice"

    question = factory.SubFactory(QuestionFactory)
    key = factory.Sequence(lambda n: f"c{n}")
    order = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Choix {n}")
    is_correct = False
    feedback_source = "Commentaire."
    feedback_html = "<p>Commentaire.</p>"


def quiz_with_questions(spec=(("single", (True, False, False)),), objectives=None, **kwargs):
    """Create a quiz whose questions follow ``spec``: [(type, (is_correct, …)), …].

    ``objectives`` optionally gives one objective code per question.
    """
    quiz = QuizFactory(**kwargs)
    for index, (question_type, flags) in enumerate(spec):
        code = objectives[index] if objectives else "distinguer"
        question = QuestionFactory(
            quiz=quiz, type=question_type, order=index + 1, objective=objective_for_tests(code)
        )
        texts = ("Vrai", "Faux") if question_type == "true_false" else None
        for position, flag in enumerate(flags):
            ChoiceFactory(
                question=question,
                key="abcdefgh"[position],
                order=position + 1,
                text=texts[position] if texts else f"Choix {position + 1}",
                is_correct=flag,
                feedback_source=f"Commentaire {position + 1}.",
                feedback_html=f"<p>Commentaire {position + 1}.</p>",
            )
    return quiz


# --- Attendance ------------------------------------------------------------------------------


def scan_pdf(pages: int = 1) -> bytes:
    """Return a real (blank, A4) PDF such as a scanner makes, which pypdf reads back."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def signature_png(width=600, height=240, blank=False, noise=0) -> bytes:
    """Return a PNG like the signature pad's: transparent, with a dark stroke unless blank.

    ``noise`` adds that many random pixels (to make large, poorly compressible images).
    """
    import io
    import random

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    if not blank:
        draw = ImageDraw.Draw(image)
        draw.line(
            [(20, height - 40), (width // 3, 30), (width // 2, height - 60), (width - 30, 40)],
            fill=(17, 17, 17, 255),
            width=4,
        )
    if noise:
        rng = random.Random(1)
        pixels = image.load()
        for _ in range(noise):
            pixels[rng.randrange(width), rng.randrange(height)] = (
                rng.randrange(256),
                rng.randrange(256),
                rng.randrange(256),
                255,
            )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def attendance_session(*, trainees=3, trainer=None, days_ahead=0, open_slot=False):
    """Return (session, first slot, trainer, [trainees]) for a 2-day session starting today.

    With ``open_slot=True`` the first (morning) slot is opened by the trainer.
    """
    import datetime

    from django.utils import timezone

    from training.attendance import services as services_attendance

    trainer = trainer or UserFactory(role="Formateur")
    start = timezone.localdate() + datetime.timedelta(days=days_ahead)
    session = SessionFactory(dates=[start, start + datetime.timedelta(days=1)], trainers=[trainer])
    people = [UserFactory(role="Stagiaire") for _ in range(trainees)]
    for person in people:
        EnrolmentFactory(session=session, trainee=person)
    slot = session.slots.order_by("date", "period").first()
    if open_slot:
        services_attendance.slot_open(slot=slot, user=trainer)
    return session, slot, trainer, people


# --- Documents -----------------------------------------------------------------------------


def attested_session(*, trainees=2, trainer=None, days_ago=14, absences=None, attest=True):
    """Return (session, trainer, [trainees]) for a finished 2-day session with attendance.

    Every trainee is present at every half-day except those listed in ``absences``
    (``{trainee_index: number_of_half_days_missed}``, from the last half-day backwards).
    With ``attest=True`` every half-day is closed and attested by the trainer.
    """
    import datetime

    from django.utils import timezone

    from training.attendance.models import AttendanceSignature, SlotAttendance

    trainer = trainer or UserFactory(role="Formateur")
    start = timezone.localdate() - datetime.timedelta(days=days_ago)
    while start.weekday() >= 5:
        start -= datetime.timedelta(days=1)
    session = SessionFactory(dates=[start, start + datetime.timedelta(days=1)], trainers=[trainer])
    people = [UserFactory(role="Stagiaire") for _ in range(trainees)]
    for person in people:
        EnrolmentFactory(session=session, trainee=person)
    slots = list(session.slots.order_by("date", "period"))
    absences = absences or {}
    for index, slot in enumerate(slots):
        when = slot.ends_at
        if attest:
            SlotAttendance.objects.create(
                slot=slot,
                status=SlotAttendance.Status.CLOSED,
                opened_at=slot.starts_at,
                opened_by=trainer,
                closed_at=when,
                attested_by=trainer,
                attested_at=when,
                attestation_method="saisie",
                attestation_name=trainer.get_full_name(),
            )
        for number, person in enumerate(people):
            missed = absences.get(number, 0)
            absent = index >= len(slots) - missed
            AttendanceSignature.objects.create(
                slot=slot,
                trainee=person,
                status="absent" if absent else "present",
                method="formateur" if absent else "saisie",
                signed_at=slot.starts_at,
                typed_name="" if absent else person.get_full_name(),
                recorded_by=trainer if absent else person,
            )
    return session, trainer, people
