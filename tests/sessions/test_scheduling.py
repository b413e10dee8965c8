"""Scheduling rules: days, half-day slots, trainer overlaps, capacity, edit, duplicate, cancel."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from modules.models import Course, Module
from tests.factories import EnrolmentFactory, SessionFactory, UserFactory, course_for_tests
from training.models import Enrolment, Slot, TrainingSession
from training.sessions import scheduling, services

pytestmark = pytest.mark.django_db

MON = datetime.date(2030, 3, 4)  # a Monday
TUE, WED, THU = (MON + datetime.timedelta(days=i) for i in (1, 2, 3))
T = datetime.time


def _messages(excinfo):
    return " ".join(excinfo.value.messages)


def _create(**kwargs):
    defaults = {"course": course_for_tests(), "title": "Session", "place_name": "Salle A"}
    return services.session_create(**{**defaults, **kwargs})


# --- Days -----------------------------------------------------------------------------------


def test_one_day_is_refused_in_french():
    with pytest.raises(ValidationError) as excinfo:
        scheduling.session_dates_validate(dates=[MON])
    assert "Une session dure 2 ou 3 jours : vous en avez indiqué 1." in _messages(excinfo)


def test_four_days_are_refused():
    with pytest.raises(ValidationError) as excinfo:
        scheduling.session_dates_validate(dates=[MON, TUE, WED, THU])
    assert "vous en avez indiqué 4" in _messages(excinfo)


def test_the_same_date_twice_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        scheduling.session_dates_validate(dates=[MON, MON])
    assert "Le jour lundi 4 mars 2030 est indiqué deux fois." in _messages(excinfo)


def test_last_day_before_first_day_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        scheduling.session_dates_validate(dates=[TUE, MON])
    assert "Le dernier jour (lundi 4 mars 2030) précède le premier jour (mardi 5 mars 2030)." in (
        _messages(excinfo)
    )


def test_days_out_of_order_in_the_middle_are_refused():
    with pytest.raises(ValidationError) as excinfo:
        scheduling.session_dates_validate(dates=[MON, THU, TUE])
    assert "Les jours doivent être dans l'ordre" in _messages(excinfo)


def test_days_more_than_three_months_apart_are_refused():
    with pytest.raises(ValidationError) as excinfo:
        scheduling.session_dates_validate(dates=[MON, datetime.date(2030, 6, 5)])
    assert "Tous les jours doivent tenir sur 3 mois" in _messages(excinfo)


def test_days_exactly_three_months_apart_are_accepted():
    assert scheduling.session_dates_validate(dates=[MON, datetime.date(2030, 6, 4)])


def test_non_consecutive_days_in_order_are_accepted():
    assert scheduling.session_dates_validate(dates=[MON, TUE, MON + datetime.timedelta(days=14)])


def test_months_add_clamps_to_the_last_day_of_a_short_month():
    assert scheduling.months_add(datetime.date(2030, 11, 30), 3) == datetime.date(2031, 2, 28)


# --- Creation and slots ---------------------------------------------------------------------


def test_creating_a_three_day_session_generates_six_half_day_slots_with_default_times():
    session = _create(dates=[MON, TUE, THU])
    slots = list(session.slots.order_by("date", "period"))
    assert len(slots) == 6
    assert [(s.date, s.period) for s in slots[:2]] == [
        (MON, Slot.Period.MORNING),
        (MON, Slot.Period.AFTERNOON),
    ]
    assert {(s.start_time, s.end_time) for s in slots if s.period == "am"} == {(T(9), T(12, 30))}
    assert {(s.start_time, s.end_time) for s in slots if s.period == "pm"} == {(T(13, 30), T(17))}
    assert (session.start_date, session.end_date) == (MON, THU)


def test_creation_spreads_the_course_modules_over_the_slots_in_order():
    course = Course.objects.create(slug="c", title="C")
    for number in range(1, 6):
        Module.objects.create(
            course=course, number=number, slug=f"m{number}", title=f"M{number}", minutes=60
        )
    session = _create(course=course, dates=[MON, TUE])
    covered = [
        sorted(m.number for m in s.modules.all()) for s in session.slots.order_by("date", "period")
    ]
    assert [n for slot in covered for n in slot][0] == 1
    assert sorted({n for slot in covered for n in slot}) == [1, 2, 3, 4, 5]
    assert all(covered)


def test_a_code_is_generated_when_left_empty_and_kept_unique():
    first = _create(dates=[MON, TUE])
    second = _create(dates=[MON, TUE])
    assert first.code == "PIS-20300304"
    assert second.code == "PIS-20300304-2"


def test_a_taken_reference_code_is_refused():
    _create(dates=[MON, TUE], code="ABC")
    with pytest.raises(ValidationError) as excinfo:
        _create(dates=[WED, THU], code="ABC")
    assert "La référence ABC est déjà utilisée." in _messages(excinfo)


def test_database_refuses_two_slots_for_the_same_half_day():
    session = _create(dates=[MON, TUE])
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.create(session=session, date=MON, period="am", start_time=T(8), end_time=T(9))


def test_database_refuses_a_slot_ending_before_it_starts():
    session = _create(dates=[MON, TUE])
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.create(session=session, date=WED, period="am", start_time=T(12), end_time=T(9))


# --- Trainer overlaps ----------------------------------------------------------------------


def test_a_trainer_booked_in_another_session_at_the_same_time_is_refused():
    trainer = UserFactory(role="Formateur", first_name="Claire", last_name="Rousseau")
    _create(dates=[MON, TUE], trainers=[trainer], code="FIRST")
    with pytest.raises(ValidationError) as excinfo:
        _create(dates=[TUE, WED], trainers=[trainer])
    message = _messages(excinfo)
    assert (
        "Claire Rousseau anime déjà la session FIRST le mardi 5 mars 2030 de 09:00 à 12:30."
        in message
    )


def test_a_cancelled_session_does_not_block_its_trainer():
    trainer = UserFactory(role="Formateur")
    first = _create(dates=[MON, TUE], trainers=[trainer])
    services.session_cancel(session=first)
    assert _create(dates=[MON, TUE], trainers=[trainer])


def test_another_trainer_on_the_same_days_is_free():
    _create(dates=[MON, TUE], trainers=[UserFactory(role="Formateur")])
    assert _create(dates=[MON, TUE], trainers=[UserFactory(role="Formateur")])


def test_trainer_conflicts_compare_hours_not_just_days():
    trainer = UserFactory(role="Formateur")
    session = _create(dates=[MON, TUE], trainers=[trainer])
    morning = session.slots.get(date=MON, period="am")
    free = scheduling.PlannedSlot(MON, "pm", T(12, 30), T(13, 30))
    assert scheduling.trainer_conflicts(trainers=[trainer], slots=[free]) == []
    touching = scheduling.PlannedSlot(MON, "pm", T(12), T(13))
    assert scheduling.trainer_conflicts(trainers=[trainer], slots=[touching])
    assert morning.end_time == T(12, 30)


def test_editing_a_slot_into_another_sessions_hours_is_refused():
    trainer = UserFactory(role="Formateur")
    _create(dates=[MON, TUE], trainers=[trainer], code="A")
    other = _create(dates=[MON, WED], code="B")
    services.slot_update(
        slot=other.slots.get(date=MON, period="am"), start_time=T(7), end_time=T(7, 45)
    )
    early = other.slots.get(date=MON, period="pm")
    services.slot_update(slot=early, start_time=T(7, 45), end_time=T(8, 30))
    services.session_update(session=other, trainers=[trainer])
    with pytest.raises(ValidationError) as excinfo:
        services.slot_update(slot=early, start_time=T(7, 45), end_time=T(10))
    assert "anime déjà la session A" in _messages(excinfo)
    assert Slot.objects.get(pk=early.pk).end_time == T(8, 30)


# --- Slots -------------------------------------------------------------------------------


def test_slot_hours_can_be_changed():
    session = _create(dates=[MON, TUE])
    slot = session.slots.get(date=MON, period="pm")
    services.slot_update(slot=slot, start_time=T(14), end_time=T(17, 30))
    slot.refresh_from_db()
    assert (slot.start_time, slot.end_time) == (T(14), T(17, 30))


def test_slot_ending_before_it_starts_is_refused_in_french():
    session = _create(dates=[MON, TUE])
    slot = session.slots.get(date=MON, period="pm")
    with pytest.raises(ValidationError) as excinfo:
        services.slot_update(slot=slot, start_time=T(16), end_time=T(14))
    assert "L'heure de fin (14:00) doit être après l'heure de début (16:00)." in _messages(excinfo)


def test_morning_running_into_the_afternoon_is_refused():
    session = _create(dates=[MON, TUE])
    slot = session.slots.get(date=MON, period="am")
    with pytest.raises(ValidationError) as excinfo:
        services.slot_update(slot=slot, start_time=T(9), end_time=T(14))
    assert "doit se terminer avant le début de l'après-midi (13:30)" in _messages(excinfo)


# --- Capacity and edit ------------------------------------------------------------------------


def test_capacity_below_the_number_enrolled_is_refused():
    session = SessionFactory(capacity=5)
    for _ in range(3):
        EnrolmentFactory(session=session)
    with pytest.raises(ValidationError) as excinfo:
        services.session_update(session=session, capacity=2)
    assert (
        "La capacité (2) ne peut pas être inférieure au nombre de stagiaires déjà inscrits (3)."
        in _messages(excinfo)
    )
    services.session_update(session=session, capacity=3)
    assert TrainingSession.objects.get(pk=session.pk).capacity == 3


def test_removed_trainees_do_not_count_against_capacity():
    session = SessionFactory(capacity=5)
    enrolment = EnrolmentFactory(session=session)
    services.enrolment_remove(enrolment=enrolment)
    services.session_update(session=session, capacity=1)


def test_changing_the_days_keeps_the_hours_of_kept_days_and_adds_default_slots():
    session = _create(dates=[MON, TUE])
    kept = session.slots.get(date=TUE, period="am")
    services.slot_update(slot=kept, start_time=T(9, 30), end_time=T(12))
    services.session_update(session=session, dates=[TUE, THU])
    session.refresh_from_db()
    assert (session.start_date, session.end_date) == (TUE, THU)
    assert sorted({s.date for s in session.slots.all()}) == [TUE, THU]
    assert Slot.objects.get(pk=kept.pk).start_time == T(9, 30)
    assert session.slots.get(date=THU, period="am").start_time == T(9)


def test_editing_with_invalid_days_changes_nothing():
    session = _create(dates=[MON, TUE], title="Avant")
    with pytest.raises(ValidationError):
        services.session_update(session=session, dates=[MON], title="Après")
    session.refresh_from_db()
    assert session.title == "Avant"
    assert session.slots.count() == 4


def test_adding_a_busy_trainer_on_edit_is_refused():
    trainer = UserFactory(role="Formateur")
    _create(dates=[MON, TUE], trainers=[trainer])
    other = _create(dates=[MON, WED])
    with pytest.raises(ValidationError) as excinfo:
        services.session_update(session=other, trainers=[trainer])
    assert "anime déjà la session" in _messages(excinfo)


# --- Duplicate and cancel -------------------------------------------------------------------


def test_duplicating_copies_place_trainers_and_slot_hours_onto_new_days():
    trainer = UserFactory(role="Formateur")
    source = _create(dates=[MON, TUE], trainers=[trainer], place_name="Salle B", capacity=9)
    services.slot_update(
        slot=source.slots.get(date=MON, period="am"), start_time=T(8, 30), end_time=T(12)
    )
    EnrolmentFactory(session=source)
    new_days = [MON + datetime.timedelta(days=21), MON + datetime.timedelta(days=22)]
    copy = services.session_duplicate(session=source, dates=new_days)
    assert copy.pk != source.pk
    assert (copy.place_name, copy.capacity) == ("Salle B", 9)
    assert list(copy.trainers.all()) == [trainer]
    assert copy.slots.get(date=new_days[0], period="am").start_time == T(8, 30)
    assert copy.enrolments.count() == 0
    assert copy.status == TrainingSession.Status.PLANNED


def test_duplicating_onto_invalid_days_is_refused():
    source = _create(dates=[MON, TUE])
    with pytest.raises(ValidationError):
        services.session_duplicate(session=source, dates=[MON + datetime.timedelta(days=30)])


def test_cancelling_tells_enrolled_trainees_by_email(django_capture_on_commit_callbacks, run_tasks):
    session = SessionFactory(title="Secret partagé")
    kept = EnrolmentFactory(session=session, trainee=UserFactory(email="reste@exemple.fr"))
    removed = EnrolmentFactory(session=session, trainee=UserFactory(email="parti@exemple.fr"))
    services.enrolment_remove(enrolment=removed)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, reason="Formatrice malade.")
    run_tasks()
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.CANCELLED
    assert [m.to for m in mail.outbox] == [[kept.trainee.email]]
    message = mail.outbox[0]
    assert message.subject == f"Session annulée : Secret partagé ({session.code})"
    assert "est annulée" in message.body
    assert "Formatrice malade." in message.body
    assert "est annulée" in message.alternatives[0][0]


def test_cancelling_twice_is_refused():
    session = SessionFactory()
    services.session_cancel(session=session)
    with pytest.raises(ValidationError):
        services.session_cancel(session=session)


def test_querysets_split_upcoming_and_past_and_scope_by_person():
    trainer, trainee = UserFactory(role="Formateur"), UserFactory(role="Stagiaire")
    today = datetime.date.today()
    past = _create(
        dates=[today - datetime.timedelta(days=40), today - datetime.timedelta(days=39)],
        trainers=[trainer],
    )
    future = _create(
        dates=[today + datetime.timedelta(days=40), today + datetime.timedelta(days=41)],
        trainers=[trainer],
    )
    Enrolment.objects.create(session=future, trainee=trainee)
    assert list(TrainingSession.objects.for_trainer(trainer).upcoming()) == [future]
    assert list(TrainingSession.objects.for_trainer(trainer).past()) == [past]
    assert list(TrainingSession.objects.for_trainee(trainee)) == [future]
    assert list(TrainingSession.objects.visible_to(trainee)) == [future]
    admin = UserFactory(role="Administrateur")
    assert set(TrainingSession.objects.visible_to(admin)) == {past, future}
    assert list(TrainingSession.objects.managed_by(trainee)) == []
