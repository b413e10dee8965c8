"""« Mes données »: every model linked to the user is exported; secrets never are."""

import hashlib
import json
from html import unescape

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse
from django.utils.html import escape

from modules.models import LessonProgress
from tests.factories import UserFactory, attested_session, quiz_with_questions
from training.attendance.models import AttendanceSignature
from training.models import CalendarToken
from training.privacy.export import REDACTED, user_export

pytestmark = pytest.mark.django_db


def _every_link_to_the_user() -> set[str]:
    """Enumerate, independently of the export code, every FK, one-to-one or many-to-many
    field pointing to the user model (Django's own group and permission tables aside)."""
    User = get_user_model()
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField | models.ManyToManyField)
                and field.concrete
                and field.related_model is User
            ):
                found.add(f"{model._meta.label_lower}.{field.name}")
    return found


def test_the_export_covers_every_model_linked_to_the_user(trainee):
    exported = {section["key"] for section in user_export(user=trainee)["sections"]}
    links = _every_link_to_the_user()
    assert "quizzes.attempt.user" in links and "training.attendancesignature.trainee" in links
    assert "training.trainingsession.trainers" in links  # many-to-many links count too
    missing = links - exported
    assert not missing, f"The export misses: {sorted(missing)}"


def test_the_export_holds_the_trainees_rows_with_children_and_file_hashes():
    from quizzes import services as quiz_services

    session, trainer, (person, _other) = attested_session(trainees=2)
    quiz = quiz_with_questions()
    attempt = quiz_services.attempt_start(user=person, quiz=quiz)
    question = quiz.questions.first()
    correct = question.choices.filter(is_correct=True).first()
    quiz_services.attempt_submit(attempt=attempt, answers={question.pk: [correct.pk]})
    CalendarToken.objects.create(user=person)
    signature = AttendanceSignature.objects.filter(trainee=person).first()
    signature.evidence_file.save("sig.png", ContentFile(b"png-bytes"), save=False)
    AttendanceSignature.objects.filter(pk=signature.pk).update(
        evidence_file=signature.evidence_file.name
    )

    export = user_export(user=person)
    sections = {s["key"]: s for s in export["sections"]}
    assert export["user"]["email"] == person.email
    assert export["user"]["password"] == REDACTED
    assert "Stagiaire" in export["user"]["groups"]
    assert len(sections["training.enrolment.trainee"]["rows"]) == 1
    assert len(sections["training.attendancesignature.trainee"]["rows"]) == 4
    attempts = sections["quizzes.attempt.user"]["rows"]
    assert len(attempts) == 1
    assert len(attempts[0]["_children"]["quizzes.answer"]) == 1
    token_rows = sections["training.calendartoken.user"]["rows"]
    assert token_rows[0]["token"] == REDACTED
    assert person.calendar_token.token not in json.dumps(export, default=str)
    files = [
        row["evidence_file"]
        for row in sections["training.attendancesignature.trainee"]["rows"]
        if row["evidence_file"]
    ]
    assert files[0]["sha256"] == hashlib.sha256(b"png-bytes").hexdigest()
    assert sections["training.trainingsession.trainers"]["rows"] == []
    trainer_export = user_export(user=trainer)
    trained = {s["key"]: s for s in trainer_export["sections"]}["training.trainingsession.trainers"]
    assert trained["rows"][0]["code"] == session.code


def test_the_export_holds_no_one_elses_rows(trainee):
    other = UserFactory(role="Stagiaire")
    attested_session(trainees=1)
    export = user_export(user=trainee)
    assert all(not s["rows"] for s in export["sections"] if "trainee" in s["key"])
    assert other.email not in json.dumps(export, default=str)


def test_my_data_pages_download_json_and_show_html(client, trainee):
    client.force_login(trainee)
    page = client.get(reverse("training:my_data"))
    assert page.status_code == 200
    assert reverse("training:my_data_json") in page.content.decode()
    download = client.get(reverse("training:my_data_json"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert json.loads(download.content)["user"]["email"] == trainee.email
    readable = client.get(reverse("training:my_data_html"))
    assert readable.status_code == 200
    assert trainee.email in readable.content.decode()


def test_my_data_requires_login(client):
    response = client.get(reverse("training:my_data_json"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_profile_page_links_to_my_data(client, trainee):
    client.force_login(trainee)
    assert reverse("training:my_data") in client.get(reverse("training:profile")).content.decode()


def test_lesson_progress_is_exported(trainee, course_loaded):
    from modules.models import Lesson

    LessonProgress.objects.create(user=trainee, lesson=Lesson.objects.first())
    sections = {s["key"]: s for s in user_export(user=trainee)["sections"]}
    assert len(sections["modules.lessonprogress.user"]["rows"]) == 1


def test_the_export_holds_the_users_login_records_and_no_one_elses(trainee):
    from axes.models import AccessLog

    common = {"ip_address": "192.0.2.7", "user_agent": "Navigateur", "session_hash": "abc123"}
    AccessLog.objects.create(username=trainee.email.upper(), **common)
    AccessLog.objects.create(username="quelquun@exemple.fr", **common)
    sections = {s["key"]: s for s in user_export(user=trainee)["sections"]}
    rows = sections["axes.accesslog.username"]["rows"]
    assert [row["ip_address"] for row in rows] == ["192.0.2.7"]
    assert rows[0]["session_hash"] == REDACTED
    assert "quelquun@exemple.fr" not in json.dumps(sections, default=str)


def _readable(client, person):
    client.force_login(person)
    response = client.get(reverse("training:my_data_html"))
    assert response.status_code == 200
    return response.content.decode()


def _rich_trainee():
    """A trainee with a finished session, a correction, a quiz with a decimal score, a login."""
    from axes.models import AccessLog

    from quizzes import services as quiz_services
    from training.attendance import services as attendance_services

    session, trainer, (person,) = attested_session(trainees=1)
    quiz = quiz_with_questions(spec=(("multiple", (True, True, False)),))
    attempt = quiz_services.attempt_start(user=person, quiz=quiz)
    question = quiz.questions.first()
    first_correct = question.choices.filter(is_correct=True).first()
    quiz_services.attempt_submit(attempt=attempt, answers={question.pk: [first_correct.pk]})
    type(attempt).objects.filter(pk=attempt.pk).update(score_percent="62.50")
    record = AttendanceSignature.objects.filter(trainee=person).first()
    attendance_services.signature_correct(
        signature=record, author=trainer, new_status="retard", reason="Arrivée à 9 h 40"
    )
    AccessLog.objects.create(
        username=person.email,
        ip_address="192.0.2.7",
        user_agent="Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        http_accept="text/html",
        path_info="/comptes/connexion/",
    )
    return session, trainer, person


def test_the_readable_page_is_a_french_summary_per_category_with_details_folded(client):
    import re

    session, _trainer, person = _rich_trainee()
    html = _readable(client, person)
    for heading in (
        "Identité",
        "Sessions",
        "Signatures d&#x27;émargement",
        "Résultats aux quiz et lecture",
        "Documents",
        "Connexions",
    ):
        assert f">{heading}</h2>" in html, heading
    assert html.count("<details>") >= 5
    assert "Inscrit ou inscrite à 1 session." in html
    assert "4 demi-journées enregistrées." in html
    assert "1 enregistrement corrigé par un formateur" in html
    assert "192.0.2.7 — Firefox sous Linux" in html
    assert session.code in html and person.get_full_name() in html
    assert re.search(r"\d{1,2} \w+ \d{4} à \d{2}:\d{2}", html)  # « 2 décembre 2026 à 06:55 »
    assert "62,5 %" in html  # the decimal score, with a comma


def test_the_readable_page_has_no_raw_values_ids_or_english_labels(client):
    import re

    _session, _trainer, person = _rich_trainee()
    html = _readable(client, person)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    for raw in ("True", "False", "None", "[redacted]", "&lt;p&gt;", "{&#x27;", "#"):
        assert raw not in text, raw
    for english in ("User", "Lesson", "Attempt", "HTTP Accept", "Username", "user)"):
        assert english not in text, english
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no ISO dates
    assert not re.search(
        r"\b\d+\.\d+\b", text.replace(person.email, "").replace("192.0.2.7", "")
    )  # no « 1.00 »
    assert len(text.split()) < 1500  # concise: the demo's dump was 55,000 words


def test_every_section_of_the_export_with_rows_is_summarised_or_counted(client):
    from training.privacy.summary import covered_keys

    _session, trainer, person = _rich_trainee()
    for user in (person, trainer):
        html = _readable(client, user)
        for section in user_export(user=user)["sections"]:
            if section["rows"] and section["key"] not in covered_keys():
                assert escape(section["model"][1:]) in html, section["key"]
