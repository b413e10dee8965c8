"""The projector's screen (projection mode) and the rehearsal of a half-day before its day."""

import json
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import UserFactory, attendance_session, signature_png
from training.attendance import codes, services
from training.attendance.models import AttendanceSignature, SigningAttempt, SlotAttendance

pytestmark = pytest.mark.django_db


def _secret(slot):
    return services.slot_attendance_ensure(slot=slot).secret


def _rehearsal_code(slot):
    return codes.code_current(secret=codes.rehearsal_secret(secret=_secret(slot)))


def _png_data_url():
    import base64

    return "data:image/png;base64," + base64.b64encode(signature_png()).decode()


# --- Projection ---------------------------------------------------------------------------------


def test_the_projection_shows_the_code_qr_and_count_without_menu_or_trainee_controls(client):
    session, slot, trainer, people = attendance_session(trainees=3, open_slot=True)
    services.status_mark(
        slot=slot, trainee=people[0], status="retard", reason="Bus", author=trainer
    )
    client.force_login(trainer)
    response = client.get(reverse("training:attendance_projection", args=[session.pk, slot.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    code = codes.code_current(secret=_secret(slot))
    assert f"{code[:3]}&nbsp;{code[3:]}" in html
    assert reverse("training:attendance_qr", args=[session.pk, slot.pk]) in html
    assert "data-signed-count>1</span> / 3" in html
    assert 'id="nav-main"' not in html and "navbar" not in html  # no menu
    assert "<form" not in html and people[1].get_full_name() not in html  # no per-trainee control
    assert "data-fullscreen" in html and "Quitter la projection" in html
    assert "Répétition" not in html


def test_the_console_links_to_the_projection(client):
    session, slot, trainer, _people = attendance_session(trainees=1, open_slot=True)
    client.force_login(trainer)
    console = client.get(reverse("training:attendance_console", args=[session.pk, slot.pk]))
    assert reverse("training:attendance_projection", args=[session.pk, slot.pk]) in (
        console.content.decode()
    )


def test_a_closed_half_day_has_nothing_to_project(client):
    from tests.factories import attested_session

    session, trainer, _people = attested_session(trainees=1)
    slot = session.slots.first()
    client.force_login(trainer)
    response = client.get(reverse("training:attendance_projection", args=[session.pk, slot.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("training:attendance_session", args=[session.pk])


# --- Rehearsal ----------------------------------------------------------------------------------


def test_an_upcoming_half_day_can_be_rehearsed_days_before_with_a_rehearsal_code(client):
    session, slot, trainer, _people = attendance_session(trainees=2, days_ahead=10)
    client.force_login(trainer)
    tab = client.get(reverse("training:attendance_session", args=[session.pk])).content.decode()
    url = reverse("training:attendance_projection", args=[session.pk, slot.pk])
    assert url in tab and "Répéter" in tab
    html = client.get(url).content.decode()
    assert "Répétition" in html
    rehearsal = _rehearsal_code(slot)
    assert f"{rehearsal[:3]}&nbsp;{rehearsal[3:]}" in html
    assert reverse("training:attendance_rehearsal_sign", args=[slot.pk]) in html
    state = json.loads(
        client.get(reverse("training:attendance_console_state", args=[session.pk, slot.pk])).content
    )
    assert state["rehearsal"] is True and state["code"] == rehearsal
    assert state["status"] == "a_venir"
    qr = client.get(state["qr"])
    assert qr.status_code == 200 and b"<svg" in qr.content
    # The rehearsal code is never the slot's signing code.
    assert rehearsal != codes.code_current(secret=_secret(slot))


def test_a_trainers_test_signature_is_checked_and_nothing_is_recorded(client):
    session, slot, trainer, _people = attendance_session(trainees=2, days_ahead=3)
    client.force_login(trainer)
    url = reverse("training:attendance_rehearsal_sign", args=[slot.pk])
    before = (AttendanceSignature.objects.count(), SigningAttempt.objects.count())
    wrong = client.post(url, {"code": "000000", "signature": _png_data_url()})
    assert wrong.status_code == 400
    assert "n'est pas celui affiché sur l'écran de répétition" in unescape(wrong.content.decode())
    good = client.post(
        url, {"code": _rehearsal_code(slot), "signature": _png_data_url()}, follow=True
    )
    assert "Rien n'a été enregistré" in unescape(good.content.decode())
    assert (AttendanceSignature.objects.count(), SigningAttempt.objects.count()) == before
    assert SlotAttendance.objects.get(slot=slot).status == "a_venir"


def test_a_rehearsal_code_never_signs_for_real_and_opening_draws_a_new_secret():
    session, slot, trainer, people = attendance_session(trainees=1)
    rehearsal = _rehearsal_code(slot)
    old_secret = _secret(slot)
    services.slot_open(slot=slot, user=trainer)
    state = SlotAttendance.objects.get(slot=slot)
    assert state.secret != old_secret
    with pytest.raises(ValidationError) as refused:
        services.signature_record(
            slot=slot, trainee=people[0], code=rehearsal, image_data=signature_png()
        )
    assert refused.value.code == "bad_code"
    # And once the half-day is open, a rehearsal is over.
    with pytest.raises(ValidationError) as over:
        services.signature_rehearse(
            slot=slot,
            user=trainer,
            code=_rehearsal_code(slot),
            image_data=signature_png(),
        )
    assert over.value.code == "not_upcoming"


def test_trainees_cannot_test_sign_during_a_rehearsal(client):
    session, slot, trainer, people = attendance_session(trainees=1, days_ahead=2)
    with pytest.raises(ValidationError) as refused:
        services.signature_rehearse(
            slot=slot, user=people[0], code=_rehearsal_code(slot), image_data=signature_png()
        )
    assert refused.value.code == "forbidden"
    client.force_login(people[0])
    url = reverse("training:attendance_rehearsal_sign", args=[slot.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"code": _rehearsal_code(slot), "signature": _png_data_url()})
    assert response.status_code == 403
    client.force_login(UserFactory(role="Formateur"))
    assert client.get(url).status_code == 404
    assert not AttendanceSignature.objects.exists()


def test_a_rehearsal_test_signature_is_checked_like_a_real_one():
    session, slot, trainer, _people = attendance_session(trainees=1, days_ahead=2)
    code = _rehearsal_code(slot)
    with pytest.raises(ValidationError) as blank:
        services.signature_rehearse(
            slot=slot, user=trainer, code=code, image_data=signature_png(blank=True)
        )
    assert blank.value.code == "blank_image"
    with pytest.raises(ValidationError) as name:
        services.signature_rehearse(
            slot=slot, user=trainer, code=code, typed_name="Quelqu'un d'autre", certified=True
        )
    assert name.value.code == "name_mismatch"
    assert (
        services.signature_rehearse(
            slot=slot,
            user=trainer,
            code=code,
            typed_name=trainer.get_full_name(),
            certified=True,
        )
        == "saisie"
    )
