"""« Mes données »: every model linked to the user is exported; secrets never are."""

import hashlib
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse

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


def test_the_readable_page_uses_french_labels_choice_labels_and_french_dates(client):
    import re

    _session, _trainer, (person,) = attested_session(trainees=1)
    client.force_login(person)
    html = client.get(reverse("training:my_data_html")).content.decode()
    assert "Prénom" in html and "first_name" not in html
    assert "masqué (secret)" in html and REDACTED not in html
    assert "Présent" in html  # the signature's status label, not its code
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", html)  # no ISO timestamps
    assert re.search(r"Extraction générée le \d{2}/\d{2}/\d{4} \d{2}:\d{2}", html)
