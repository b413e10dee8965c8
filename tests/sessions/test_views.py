"""Session pages: object scope (404), forms, lists, calendar, dashboard."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from modules.models import Resource
from tests.factories import EnrolmentFactory, SessionFactory, UserFactory, session_dates
from training.models import Enrolment, Slot, TrainingSession

pytestmark = pytest.mark.django_db

# The session's tabs; who may open each (every named URL × role) is in
# tests/security/matrix.py.
SESSION_TABS = [
    "training:session_detail",
    "training:session_trainees",
    "training:session_resources",
    "training:session_update",
    "training:session_duplicate",
    "training:session_cancel",
    "training:session_ics",
    "training:enrolment_import",
    "training:session_results",
]


def test_the_trainer_of_a_session_sees_all_its_tabs(client, trainer):
    session = SessionFactory(trainers=[trainer])
    client.force_login(trainer)
    for name in SESSION_TABS:
        assert client.get(reverse(name, args=[session.pk])).status_code == 200, name


def test_an_enrolled_trainee_sees_the_programme_but_not_the_trainees(client, trainee):
    session = SessionFactory()
    Enrolment.objects.create(session=session, trainee=trainee)
    client.force_login(trainee)
    html = client.get(reverse("training:session_detail", args=[session.pk])).content.decode()
    assert session.title.replace("'", "&#x27;") in html
    assert reverse("training:session_trainees", args=[session.pk]) not in html
    assert reverse("training:session_update", args=[session.pk]) not in html
    assert client.get(reverse("training:session_trainees", args=[session.pk])).status_code == 403


def test_a_removed_trainee_no_longer_sees_the_session(client, trainee):
    session = SessionFactory()
    Enrolment.objects.create(session=session, trainee=trainee, status=Enrolment.Status.CANCELLED)
    client.force_login(trainee)
    assert client.get(reverse("training:session_detail", args=[session.pk])).status_code == 404


def test_another_trainer_cannot_edit_by_post(client, trainer):
    session = SessionFactory(trainers=[UserFactory(role="Formateur")], title="Intouchable")
    client.force_login(trainer)
    slot = session.slots.first()
    posts = [
        reverse("training:session_update", args=[session.pk]),
        reverse("training:session_cancel", args=[session.pk]),
        reverse("training:slot_update", args=[session.pk, slot.pk]),
        reverse("training:enrolment_create", args=[session.pk]),
        reverse("training:session_resource_create", args=[session.pk]),
    ]
    for url in posts:
        assert client.post(url, {"title": "Piraté", "email": "x@exemple.fr"}).status_code == 404
    session.refresh_from_db()
    assert session.title == "Intouchable" and session.status == TrainingSession.Status.PLANNED


def test_a_slot_of_another_session_is_a_404(client, trainer):
    mine = SessionFactory(trainers=[trainer])
    other_slot = SessionFactory().slots.first()
    client.force_login(trainer)
    url = reverse("training:slot_update", args=[mine.pk, other_slot.pk])
    assert client.get(url).status_code == 404


# --- Create, edit, duplicate, cancel through the forms ---------------------------------------


def _form_data(**overrides):
    days = session_dates(days_ahead=45, count=3, gap=2)
    data = {
        "title": "Le partage d'information",
        "code": "",
        "capacity": "12",
        "status": TrainingSession.Status.PLANNED,
        "day_1": days[0].isoformat(),
        "day_2": days[1].isoformat(),
        "day_3": days[2].isoformat(),
        "place_name": "Salle A",
        "address": "",
        "access_notes": "",
        "remote_url": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_trainer_creates_a_three_day_session_and_is_its_trainer(client, trainer):
    from tests.factories import course_for_tests

    course = course_for_tests()
    client.force_login(trainer)
    response = client.post(reverse("training:session_create"), _form_data(course=course.pk))
    session = TrainingSession.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("training:session_detail", args=[session.pk])
    assert list(session.trainers.all()) == [trainer]
    assert session.slots.count() == 6


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"day_2": "", "day_3": ""}, "Ce champ est obligatoire."),
        ({"day_3": "DAY1"}, "est indiqué deux fois"),
        ({"day_1": "DAY3", "day_3": "DAY1"}, "précède le premier jour"),
        ({"day_3": "FAR"}, "Tous les jours doivent tenir sur 3 mois"),
        ({"place_name": ""}, "Indiquez un lieu ou un lien de session à distance."),
        ({"capacity": "0"}, "supérieure ou égale à 1"),
    ],
)
def test_create_form_shows_french_errors_and_creates_nothing(client, trainer, overrides, message):
    from tests.factories import course_for_tests

    data = _form_data(course=course_for_tests().pk)
    lookup = {"DAY1": data["day_1"], "DAY3": data["day_3"]}
    lookup["FAR"] = (
        datetime.date.fromisoformat(data["day_1"]) + datetime.timedelta(days=120)
    ).isoformat()
    data.update({k: lookup.get(v, v) for k, v in overrides.items()})
    client.force_login(trainer)
    response = client.post(reverse("training:session_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_create_form_reports_a_trainer_overlap(client, trainer):
    from tests.factories import course_for_tests

    data = _form_data(course=course_for_tests().pk)
    SessionFactory(
        trainers=[trainer],
        dates=[
            datetime.date.fromisoformat(data["day_1"]),
            datetime.date.fromisoformat(data["day_2"]),
        ],
        code="OCCUPE",
    )
    client.force_login(trainer)
    response = client.post(reverse("training:session_create"), data)
    assert "anime déjà la session OCCUPE" in response.content.decode()
    assert TrainingSession.objects.count() == 1


def test_edit_form_shows_the_current_days_and_saves_changes(client, trainer):
    session = SessionFactory(trainers=[trainer], capacity=5)
    client.force_login(trainer)
    url = reverse("training:session_update", args=[session.pk])
    form = client.get(url).context["form"]
    days = sorted({s.date for s in session.slots.all()})
    assert form.initial["day_1"] == days[0] and form.initial["day_2"] == days[1]
    data = _form_data(
        course=session.course.pk,
        code=session.code,
        title="Nouveau titre",
        capacity="8",
        day_1=days[0].isoformat(),
        day_2=days[1].isoformat(),
        day_3="",
        trainers=[trainer.pk],
    )
    assert client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert (session.title, session.capacity) == ("Nouveau titre", 8)


def test_edit_form_refuses_capacity_below_enrolled(client, trainer):
    session = SessionFactory(trainers=[trainer], capacity=5)
    for _ in range(3):
        EnrolmentFactory(session=session)
    days = sorted({s.date for s in session.slots.all()})
    client.force_login(trainer)
    data = _form_data(
        course=session.course.pk,
        code=session.code,
        capacity="2",
        day_1=days[0].isoformat(),
        day_2=days[1].isoformat(),
        day_3="",
    )
    response = client.post(reverse("training:session_update", args=[session.pk]), data)
    assert "ne peut pas être inférieure au nombre de stagiaires déjà inscrits (3)" in (
        response.content.decode()
    )
    session.refresh_from_db()
    assert session.capacity == 5


def test_duplicate_form_creates_a_copy_on_new_days(client, trainer):
    session = SessionFactory(trainers=[trainer])
    days = session_dates(days_ahead=80, count=2)
    client.force_login(trainer)
    response = client.post(
        reverse("training:session_duplicate", args=[session.pk]),
        {"day_1": days[0].isoformat(), "day_2": days[1].isoformat(), "day_3": "", "code": "COPIE"},
    )
    copy = TrainingSession.objects.get(code="COPIE")
    assert response.url == copy.get_absolute_url()
    assert copy.start_date == days[0]


def test_cancel_form_cancels_and_emails(
    client, trainer, django_capture_on_commit_callbacks, run_tasks
):
    session = SessionFactory(trainers=[trainer])
    EnrolmentFactory(session=session)
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("training:session_cancel", args=[session.pk]), {"reason": ""}
        )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.is_cancelled
    run_tasks()
    assert len(mail.outbox) == 1


def test_slot_form_changes_hours_and_shows_errors(client, trainer):
    session = SessionFactory(trainers=[trainer])
    slot = session.slots.get(period=Slot.Period.AFTERNOON, date=session.start_date)
    client.force_login(trainer)
    url = reverse("training:slot_update", args=[session.pk, slot.pk])
    response = client.post(url, {"start_time": "17:00", "end_time": "14:00"})
    assert "doit être après l&#x27;heure de début" in response.content.decode()
    assert client.post(url, {"start_time": "14:00", "end_time": "17:30"}).status_code == 302
    slot.refresh_from_db()
    assert slot.end_time == datetime.time(17, 30)


def test_trainer_adds_and_removes_a_session_resource(client, trainer):
    session = SessionFactory(trainers=[trainer])
    client.force_login(trainer)
    response = client.post(
        reverse("training:session_resource_create", args=[session.pk]),
        {"kind": "link", "title": "CNIL — santé", "url": "https://www.cnil.fr/fr/sante"},
    )
    assert response.status_code == 302
    resource = session.resources.get()
    assert resource.is_session_specific and resource.course == session.course
    assert Resource.objects.of_course().filter(pk=resource.pk).count() == 0
    client.post(reverse("training:session_resource_delete", args=[session.pk, resource.pk]))
    assert not Resource.objects.filter(pk=resource.pk).exists()


def test_a_link_without_url_is_refused(client, trainer):
    session = SessionFactory(trainers=[trainer])
    client.force_login(trainer)
    response = client.post(
        reverse("training:session_resource_create", args=[session.pk]),
        {"kind": "link", "title": "Sans adresse"},
    )
    assert response.status_code == 200
    assert "Un lien internet doit avoir son adresse (URL)." in response.content.decode()
    assert not session.resources.exists()


# --- Lists, calendar, dashboard --------------------------------------------------------------


def test_my_sessions_splits_upcoming_and_past_and_hides_others(client, trainer):
    today = datetime.date.today()
    upcoming = SessionFactory(trainers=[trainer], code="A-VENIR")
    past = SessionFactory(
        trainers=[trainer],
        code="PASSEE",
        dates=[today - datetime.timedelta(days=30), today - datetime.timedelta(days=29)],
    )
    SessionFactory(code="AUTRE")
    client.force_login(trainer)
    response = client.get(reverse("training:session_list"))
    assert [s.code for s in response.context["upcoming"]] == [upcoming.code]
    assert [s.code for s in response.context["past"]] == [past.code]
    assert "AUTRE" not in response.content.decode()


def test_admin_list_filters_by_dates_trainer_and_status(client, administrator):
    claire = UserFactory(role="Formateur")
    SessionFactory(code="S1", trainers=[claire], dates=session_dates(days_ahead=10))
    s2 = SessionFactory(code="S2", dates=session_dates(days_ahead=70))
    SessionFactory(
        code="S3", status=TrainingSession.Status.DRAFT, dates=session_dates(days_ahead=100)
    )
    client.force_login(administrator)
    url = reverse("training:session_admin_list")

    def codes(params):
        return sorted(s.code for s in client.get(url, params).context["sessions"])

    assert codes({}) == ["S1", "S2", "S3"]
    assert codes({"trainer": claire.pk}) == ["S1"]
    assert codes({"status": "brouillon"}) == ["S3"]
    assert codes({"date_from": s2.start_date.isoformat(), "date_to": s2.end_date.isoformat()}) == [
        "S2"
    ]
    assert client.get(url, {"date_from": "n'importe quoi"}).status_code == 200


def test_session_list_query_count_does_not_grow_with_sessions(
    client, trainer, django_assert_max_num_queries
):
    client.force_login(trainer)
    SessionFactory(trainers=[trainer], dates=session_dates(days_ahead=10))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("training:session_list"))
    for i in range(6):
        SessionFactory(trainers=[trainer], dates=session_dates(days_ahead=20 + 10 * i))
    with django_assert_max_num_queries(12) as large:
        client.get(reverse("training:session_list"))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_month_calendar_shows_the_trainers_slots(client, trainer):
    session = SessionFactory(trainers=[trainer], code="CAL-1")
    SessionFactory(
        code="AUTRE-CAL",
        dates=[
            session.start_date + datetime.timedelta(days=1),
            session.start_date + datetime.timedelta(days=2),
        ],
    )
    client.force_login(trainer)
    day = session.start_date
    response = client.get(reverse("training:session_calendar_month", args=[day.year, day.month]))
    html = response.content.decode()
    assert html.count("CAL-1") >= 2
    assert "AUTRE-CAL" not in html
    assert "09:00–12:30" in html


def test_month_calendar_names_the_neighbouring_months_in_french(client, trainer):
    client.force_login(trainer)
    url = reverse("training:session_calendar_month", args=[2030, 1])
    html = client.get(url).content.decode()
    assert "← Décembre 2029</a>" in html and "Février 2030 →</a>" in html


def test_month_calendar_rejects_impossible_months(client, trainer):
    client.force_login(trainer)
    assert (
        client.get(reverse("training:session_calendar_month", args=[2030, 13])).status_code == 404
    )
    assert client.get(reverse("training:session_calendar_month", args=[1900, 1])).status_code == 404


def test_trainee_dashboard_shows_the_next_session_slots_place_and_ics(client, trainee):
    session = SessionFactory(place_name="Maison des associations", code="PROCHAINE")
    later = SessionFactory(code="PLUS-TARD", dates=session_dates(days_ahead=80))
    for s in (session, later):
        Enrolment.objects.create(session=s, trainee=trainee)
    client.force_login(trainee)
    page = client.get(reverse("training:dashboard")).content.decode()
    start = page.index('id="h-next-session"')
    html = page[start : page.index("</section>", start)]
    assert "Ma prochaine session" in html
    assert "PROCHAINE" in html and "PLUS-TARD" not in html
    assert "Maison des associations" in html
    assert "09:00–12:30" in html
    assert reverse("training:session_ics", args=[session.pk]) in html


def test_trainee_dashboard_without_session_has_no_panel(client, trainee):
    SessionFactory()
    client.force_login(trainee)
    assert "Ma prochaine session" not in client.get(reverse("training:dashboard")).content.decode()


def test_trainer_dashboard_and_nav_link_to_my_sessions(client, trainer):
    SessionFactory(trainers=[trainer], code="MIENNE")
    client.force_login(trainer)
    html = client.get(reverse("training:dashboard")).content.decode()
    assert "Mes prochaines sessions" in html and "MIENNE" in html
    assert reverse("training:session_list") in html


def test_trainee_nav_has_no_sessions_link(client, trainee):
    client.force_login(trainee)
    html = client.get(reverse("training:dashboard")).content.decode()
    assert reverse("training:session_list") not in html


def _sent(user, quiz, session, percent):
    from decimal import Decimal

    from quizzes.models import Attempt

    return Attempt.objects.create(
        user=user,
        quiz=quiz,
        session=session,
        status=Attempt.Status.SUBMITTED,
        submitted_at=timezone.now(),
        score_points=Decimal(percent) / 10,
        max_points=10,
        score_percent=Decimal(percent),
        passed=percent >= quiz.pass_mark,
    )


def test_results_tab_shows_only_this_sessions_attempts(client, trainer):
    from tests.factories import quiz_with_questions

    quiz = quiz_with_questions(title="Évaluation finale", kind="final", pass_mark=70)
    mine, other = SessionFactory(trainers=[trainer]), SessionFactory()
    lea = UserFactory(role="Stagiaire", first_name="Léa", last_name="Dubois")
    marc = UserFactory(role="Stagiaire", first_name="Marc", last_name="Petit")
    zoe = UserFactory(role="Stagiaire", first_name="Zoé", last_name="Roux")
    _sent(lea, quiz, mine, 80)
    _sent(marc, quiz, mine, 60)
    _sent(zoe, quiz, other, 100)  # another session: not shown here
    client.force_login(trainer)
    html = client.get(reverse("training:session_results", args=[mine.pk])).content.decode()
    assert "Résultats aux quiz de cette session" in html
    assert "Léa Dubois" in html and "Marc Petit" in html and "Zoé Roux" not in html
    row = html[html.index('href="#quiz-') :]
    row = row[: row.index("</tr>")]
    assert ">2<" in row and "70" in row and "50" in row  # 2 trainees, average 70 %, 1 in 2 passed
    detail = reverse("training:session_detail", args=[mine.pk])
    tabs = client.get(detail).content.decode()
    assert reverse("training:session_results", args=[mine.pk]) in tabs
