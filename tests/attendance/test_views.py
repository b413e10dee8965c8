"""Attendance pages: who sees what, the signing form, the console, tampered requests."""

import base64
import json

import pytest
from django.urls import reverse

from tests.factories import UserFactory, attendance_session, scan_pdf, signature_png
from training.attendance import codes
from training.attendance import services as services
from training.attendance.models import AttendanceCorrection, AttendanceSignature, SlotAttendance

pytestmark = pytest.mark.django_db


def _data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def _code(slot):
    return codes.code_current(secret=SlotAttendance.objects.get(slot=slot).secret)


@pytest.fixture
def opened():
    return attendance_session(trainees=3, open_slot=True)


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("trainee", 200),
        ("outsider", 404),
        ("trainer", 200),
        ("other_trainer", 404),
        ("admin", 200),
    ],
)
def test_the_attendance_tab_follows_the_session_scope(client, administrator, who, expected):
    session, slot, trainer, (trainee, *_) = attendance_session(trainees=1)
    users = {
        "trainee": trainee,
        "outsider": UserFactory(role="Stagiaire"),
        "trainer": trainer,
        "other_trainer": UserFactory(role="Formateur"),
        "admin": administrator,
    }
    if who != "anonymous":
        client.force_login(users[who])
    response = client.get(reverse("training:attendance_session", args=[session.pk]))
    assert response.status_code == expected


@pytest.mark.parametrize(
    "name",
    [
        "attendance_console",
        "attendance_console_state",
        "attendance_qr",
        "attendance_slot_close",
        "attendance_projection",
    ],
)
def test_console_pages_are_for_the_session_trainers_only(client, opened, name):
    session, slot, trainer, (trainee, *_) = opened
    url = reverse(f"training:{name}", args=[session.pk, slot.pk])
    client.force_login(trainee)
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(role="Formateur"))
    assert client.get(url).status_code == 404
    client.force_login(trainer)
    assert client.get(url).status_code == 200


def test_exports_page_is_for_administrators_only(client, administrator, trainer):
    url = reverse("training:attendance_export")
    client.force_login(trainer)
    assert client.get(url).status_code == 403
    client.force_login(administrator)
    assert client.get(url).status_code == 200


def test_a_trainee_cannot_open_the_signing_page_of_another_session(client, opened):
    session, slot, trainer, people = opened
    client.force_login(UserFactory(role="Stagiaire"))
    response = client.get(reverse("training:attendance_sign", args=[slot.pk]))
    assert response.status_code == 404


# --- Trainer -----------------------------------------------------------------------------------


def test_the_trainer_opens_a_half_day_and_sees_the_code_and_the_qr_code(client):
    session, slot, trainer, people = attendance_session(trainees=2)
    client.force_login(trainer)
    tab = client.get(reverse("training:attendance_session", args=[session.pk]))
    assert "Ouvrir l’émargement" in tab.content.decode() or "Ouvrir" in tab.content.decode()
    response = client.post(reverse("training:attendance_slot_open", args=[session.pk, slot.pk]))
    assert response.status_code == 302
    console = client.get(response["Location"])
    code = _code(slot)
    assert f"{code[:3]}&nbsp;{code[3:]}" in console.content.decode()
    state = client.get(reverse("training:attendance_console_state", args=[session.pk, slot.pk]))
    data = json.loads(state.content)
    assert data["code"] in {code, _code(slot)}
    assert data["status"] == "ouvert" and data["total"] == 2 and data["signed"] == 0
    qr = client.get(data["qr"])
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content and b"<script" not in qr.content


def test_opening_on_another_day_shows_the_refusal(client):
    session, slot, trainer, people = attendance_session(days_ahead=2)
    client.force_login(trainer)
    response = client.post(
        reverse("training:attendance_slot_open", args=[session.pk, slot.pk]), follow=True
    )
    assert "ne peut être ouverte que le jour même" in response.content.decode()
    assert not SlotAttendance.objects.filter(status="ouvert").exists()


def test_the_console_lists_who_signed(client, opened):
    session, slot, trainer, (signer, other, third) = opened
    services.signature_record(
        slot=slot, trainee=signer, code=_code(slot), image_data=signature_png()
    )
    client.force_login(trainer)
    data = json.loads(
        client.get(reverse("training:attendance_console_state", args=[session.pk, slot.pk])).content
    )
    rows = {row["id"]: row for row in data["trainees"]}
    assert rows[signer.pk]["status"] == "present" and rows[signer.pk]["time"]
    assert rows[other.pk]["status"] == ""
    assert data["signed"] == 1


def test_the_trainer_marks_a_trainee_absent_from_the_console(client, opened):
    session, slot, trainer, (trainee, *_) = opened
    client.force_login(trainer)
    response = client.post(
        reverse("training:attendance_status_mark", args=[session.pk, slot.pk]),
        {"trainee": trainee.pk, "status": "absent", "reason": "Malade"},
    )
    assert response.status_code == 302
    record = AttendanceSignature.objects.get(trainee=trainee)
    assert (record.status, record.reason, record.recorded_by) == ("absent", "Malade", trainer)


@pytest.mark.parametrize(
    "data",
    [
        {"trainee": "x", "status": "absent", "reason": "r"},
        {"status": "absent", "reason": "r"},
        {"trainee": "TRAINEE", "status": "present", "reason": "r"},
        {"trainee": "TRAINEE", "status": "absent", "reason": ""},
        {"trainee": "TRAINEE", "status": "supprime", "reason": "r"},
    ],
)
def test_a_tampered_mark_is_a_400_and_records_nothing(client, opened, data):
    session, slot, trainer, (trainee, *_) = opened
    data = {k: trainee.pk if v == "TRAINEE" else v for k, v in data.items()}
    client.force_login(trainer)
    response = client.post(
        reverse("training:attendance_status_mark", args=[session.pk, slot.pk]), data
    )
    assert response.status_code == 400
    assert not AttendanceSignature.objects.exists()


def test_a_trainee_of_another_session_cannot_be_marked(client, opened):
    session, slot, trainer, people = opened
    stranger = UserFactory(role="Stagiaire")
    client.force_login(trainer)
    response = client.post(
        reverse("training:attendance_status_mark", args=[session.pk, slot.pk]),
        {"trainee": stranger.pk, "status": "absent", "reason": "x"},
    )
    assert response.status_code == 400
    assert not AttendanceSignature.objects.exists()


def test_the_trainer_uploads_a_paper_signature(client, opened):
    from django.core.files.uploadedfile import SimpleUploadedFile

    session, slot, trainer, (trainee, other, *_) = opened
    client.force_login(trainer)
    url = reverse("training:attendance_paper", args=[session.pk, slot.pk])
    scan = SimpleUploadedFile("feuille.pdf", scan_pdf(), content_type="application/pdf")
    assert client.post(url, {"trainee": trainee.pk, "scan": scan}).status_code == 302
    fake = SimpleUploadedFile(
        "feuille.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = client.post(url, {"trainee": other.pk, "scan": fake}, follow=True)
    assert "PDF, PNG ou JPEG" in response.content.decode()
    assert list(AttendanceSignature.objects.values_list("trainee", "method")) == [
        (trainee.pk, "papier")
    ]
    evidence = client.get(
        reverse(
            "training:attendance_evidence",
            args=[session.pk, AttendanceSignature.objects.get().pk],
        )
    )
    assert evidence["Content-Type"] == "application/pdf"


def test_the_trainer_closes_and_attests_with_a_drawn_signature(client, opened):
    session, slot, trainer, people = opened
    client.force_login(trainer)
    url = reverse("training:attendance_slot_close", args=[session.pk, slot.pk])
    response = client.post(url, {"signature": _data_url(signature_png())})
    assert response.status_code == 302
    state = SlotAttendance.objects.get(slot=slot)
    assert state.is_closed and state.attested_by == trainer
    assert AttendanceSignature.objects.filter(slot=slot, status="absent").count() == 3


def test_closing_without_a_signature_is_refused(client, opened):
    session, slot, trainer, people = opened
    client.force_login(trainer)
    url = reverse("training:attendance_slot_close", args=[session.pk, slot.pk])
    response = client.post(url, {"signature": "", "typed_name": ""})
    assert response.status_code == 400
    assert SlotAttendance.objects.get(slot=slot).is_open


def test_a_correction_from_the_page_keeps_the_original(client, opened):
    session, slot, trainer, (trainee, *_) = opened
    record = services.signature_record(
        slot=slot, trainee=trainee, code=_code(slot), image_data=signature_png()
    )
    client.force_login(trainer)
    url = reverse("training:attendance_signature_correct", args=[session.pk, record.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"new_status": "retard", "reason": ""}).status_code == 400
    response = client.post(url, {"new_status": "retard", "reason": "Arrivée 9 h 45"})
    assert response.status_code == 302
    assert AttendanceSignature.objects.get(pk=record.pk).status == "present"
    assert AttendanceCorrection.objects.get().new_status == "retard"
    tab = client.get(reverse("training:attendance_session", args=[session.pk])).content.decode()
    assert "Arrivée 9 h 45" in tab


# --- Trainee -----------------------------------------------------------------------------------


def test_the_trainee_signs_from_the_page_with_the_qr_code_link(client, opened):
    session, slot, trainer, (trainee, *_) = opened
    client.force_login(trainee)
    url = reverse("training:attendance_sign", args=[slot.pk])
    page = client.get(url + f"?code={_code(slot)}")
    assert f'value="{_code(slot)}"' in page.content.decode()
    response = client.post(
        url,
        {"code": _code(slot), "signature": _data_url(signature_png())},
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone)",
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    record = AttendanceSignature.objects.get(trainee=trainee)
    assert (record.user_agent, record.ip_address, record.method) == (
        "Mozilla/5.0 (iPhone)",
        "203.0.113.7",
        "trace",
    )
    again = client.get(url).content.decode()
    assert "est enregistrée" in again


def test_the_trainee_signs_with_a_typed_name(client, opened):
    session, slot, trainer, (trainee, *_) = opened
    client.force_login(trainee)
    response = client.post(
        reverse("training:attendance_sign", args=[slot.pk]),
        {"code": _code(slot), "typed_name": trainee.get_full_name(), "certified": "on"},
    )
    assert response.status_code == 302
    assert AttendanceSignature.objects.get(trainee=trainee).method == "saisie"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "000000x"}, "6 chiffres"),
        ({"code": "WRONG"}, "6 chiffres"),
        ({"signature": "data:image/png;base64," + "A" * 300_000}, "trop volumineuse"),
        ({"signature": "data:text/html;base64,PGh0bWw+"}, "image PNG"),
        ({"signature": "", "typed_name": ""}, "tracez votre signature"),
    ],
)
def test_a_refused_signature_shows_a_french_error_and_records_nothing(
    client, opened, data, message
):
    session, slot, trainer, (trainee, *_) = opened
    client.force_login(trainee)
    payload = {"code": _code(slot), "signature": _data_url(signature_png()), **data}
    response = client.post(reverse("training:attendance_sign", args=[slot.pk]), payload)
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert not AttendanceSignature.objects.exists()


def test_the_signing_page_says_when_the_half_day_is_not_open(client):
    session, slot, trainer, (trainee,) = attendance_session(trainees=1)
    client.force_login(trainee)
    response = client.get(reverse("training:attendance_sign", args=[slot.pk]))
    assert response.status_code == 200
    assert "pas ouverte" in response.content.decode()
    assert 'name="code"' not in response.content.decode()


def test_the_dashboard_shows_sign_when_a_half_day_is_open(client, opened):
    session, slot, trainer, (trainee, *_) = opened
    client.force_login(trainee)
    page = client.get(reverse("training:dashboard")).content.decode()
    assert reverse("training:attendance_sign", args=[slot.pk]) in page
    client.force_login(trainer)
    page = client.get(reverse("training:dashboard")).content.decode()
    assert reverse("training:attendance_console", args=[session.pk, slot.pk]) in page


def test_the_dashboard_has_no_sign_link_when_nothing_is_open(client):
    session, slot, trainer, (trainee,) = attendance_session(trainees=1)
    client.force_login(trainee)
    page = client.get(reverse("training:dashboard")).content.decode()
    assert reverse("training:attendance_sign", args=[slot.pk]) not in page


def test_sign_home_redirects_to_the_only_open_half_day(client, opened):
    session, slot, trainer, (trainee, *_) = opened
    client.force_login(trainee)
    response = client.get(reverse("training:attendance_sign_home"))
    assert response["Location"] == reverse("training:attendance_sign", args=[slot.pk])


def test_a_trainee_sees_only_their_own_evidence(client, opened):
    session, slot, trainer, (first, second, *_) = opened
    mine = services.signature_record(
        slot=slot, trainee=first, code=_code(slot), image_data=signature_png()
    )
    theirs = services.signature_record(
        slot=slot, trainee=second, code=_code(slot), image_data=signature_png()
    )
    client.force_login(first)
    assert (
        client.get(reverse("training:attendance_evidence", args=[session.pk, mine.pk])).status_code
        == 200
    )
    assert (
        client.get(
            reverse("training:attendance_evidence", args=[session.pk, theirs.pk])
        ).status_code
        == 404
    )


def test_post_only_actions_refuse_get(client, opened):
    session, slot, trainer, people = opened
    client.force_login(trainer)
    for name in ("attendance_slot_open", "attendance_status_mark", "attendance_paper"):
        assert (
            client.get(reverse(f"training:{name}", args=[session.pk, slot.pk])).status_code == 405
        )
