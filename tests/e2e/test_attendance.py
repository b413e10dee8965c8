"""Émargement in a real browser: the trainer projects the code, a trainee signs on a phone."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, check_accessibility, login
from tests.factories import DEFAULT_PASSWORD, EnrolmentFactory, SessionFactory, UserFactory
from training.attendance import codes
from training.attendance.models import AttendanceSignature, SlotAttendance

pytestmark = pytest.mark.django_db(transaction=True)


def _draw(page, selector="[data-signature-canvas]"):
    """Drag the mouse across the canvas like a signature."""
    canvas = page.locator(selector)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.1, y + h * 0.7)
    page.mouse.down()
    for fx, fy in ((0.25, 0.2), (0.4, 0.8), (0.55, 0.3), (0.7, 0.75), (0.9, 0.25)):
        page.mouse.move(x + w * fx, y + h * fy, steps=8)
    page.mouse.up()


def test_trainer_opens_a_half_day_a_trainee_signs_on_a_phone_and_the_trainer_closes_it(
    page, phone_page
):
    trainer = UserFactory(role="Formateur", first_name="Claire", last_name="Rousseau")
    trainee = UserFactory(role="Stagiaire", first_name="Samir", last_name="Benali")
    other = UserFactory(role="Stagiaire", first_name="Léa", last_name="Dubois")
    today = timezone.localdate()
    session = SessionFactory(dates=[today, today + datetime.timedelta(days=1)], trainers=[trainer])
    for person in (trainee, other):
        EnrolmentFactory(session=session, trainee=person)
    slot = session.slots.order_by("date", "period").first()

    # The trainer opens the morning from the session's « Émargement » tab.
    login(page, trainer.email, DEFAULT_PASSWORD)
    page.goto(session.get_absolute_url())
    page.get_by_role("link", name="Émargement").click()
    check_accessibility(page, "attendance-tab-trainer")
    page.get_by_role("button", name=re.compile("Ouvrir l'émargement")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Émargement")
    code = page.locator("[data-code]").inner_text().replace("\u00a0", "").replace(" ", "")
    assert re.fullmatch(r"\d{6}", code)
    expect(page.locator("img[data-qr]")).to_be_visible()
    check_accessibility(page, "attendance-console")
    # The trainer may also run the console from a phone: same checks at phone width.
    page.set_viewport_size(PHONE)
    expect(page.locator("[data-code]")).to_be_visible()
    check_accessibility(page, "attendance-console-phone")
    page.set_viewport_size(DESKTOP)

    # The trainee, on their phone, follows « Signer » from the dashboard and signs.
    login(phone_page, trainee.email, DEFAULT_PASSWORD)
    phone_page.get_by_role("link", name=re.compile("^Signer")).click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Signer l'émargement")
    phone_page.get_by_label("Code affiché à l'écran").fill(code)
    _draw(phone_page)
    expect(phone_page.locator("[data-signature-status]")).to_have_text("Signature tracée.")
    check_accessibility(phone_page, "attendance-sign-phone")
    phone_page.get_by_role("button", name="Signer", exact=True).click()
    expect(phone_page.locator(".alert-success").first).to_contain_text("signature est enregistrée")
    check_accessibility(phone_page, "attendance-signed-phone")
    phone_page.get_by_role("link", name="Mon émargement pour cette session").click()
    expect(phone_page.locator(".attendance-present").first).to_have_text("Présent")
    check_accessibility(phone_page, "attendance-tab-trainee-phone")

    record = AttendanceSignature.objects.get(slot=slot, trainee=trainee)
    assert record.method == AttendanceSignature.Method.DRAWN
    assert record.evidence_file.read().startswith(b"\x89PNG")
    assert "Mobile" in record.user_agent or record.user_agent

    # The console shows it without a reload (polling).
    row = page.locator(f'[data-trainee-row="{trainee.pk}"] [data-status-badge]')
    expect(row).to_have_text("Présent", timeout=15_000)
    expect(page.locator("[data-signed-count]")).to_have_text("1")
    expect(page.locator(f'[data-trainee-row="{other.pk}"] [data-status-badge]')).to_have_text(
        "Pas encore signé"
    )

    # The trainer closes and attests with a drawn signature.
    page.get_by_role("link", name="Clôturer et attester cette demi-journée").click()
    _draw(page)
    check_accessibility(page, "attendance-close")
    page.get_by_role("button", name="Clôturer et attester la demi-journée").click()
    expect(page.locator(".alert-success").first).to_contain_text("clôturée et attestée")
    expect(page.get_by_text(re.compile("Attestée par Claire Rousseau"))).to_be_visible()
    state = SlotAttendance.objects.get(slot=slot)
    assert state.is_closed and state.attested_by == trainer
    assert AttendanceSignature.objects.get(slot=slot, trainee=other).status == "absent"


def test_signing_page_refuses_a_wrong_code_with_a_visible_error(phone_page):
    trainer = UserFactory(role="Formateur")
    trainee = UserFactory(role="Stagiaire")
    today = timezone.localdate()
    session = SessionFactory(dates=[today, today + datetime.timedelta(days=1)], trainers=[trainer])
    EnrolmentFactory(session=session, trainee=trainee)
    slot = session.slots.order_by("date", "period").first()
    from training.attendance import services as services_attendance

    state = services_attendance.slot_open(slot=slot, user=trainer)
    # A code that is valid neither now nor in the next two minutes (the test may cross one).
    now = timezone.now()
    valid = {
        codes.code_for_step(secret=state.secret, step=codes.code_step(now=now) + delta)
        for delta in (-1, 0, 1, 2)
    }
    wrong = next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in valid)
    login(phone_page, trainee.email, DEFAULT_PASSWORD)
    phone_page.goto(f"/emargement/{slot.pk}/signer/")
    phone_page.get_by_label("Code affiché à l'écran").fill(wrong)
    _draw(phone_page)
    phone_page.get_by_role("button", name="Signer", exact=True).click()
    alert = phone_page.get_by_role("alert")
    expect(alert).to_contain_text("Ce code n'est pas celui affiché à l'écran")
    # The drawing survives the refused submission: the trainee only retypes the code.
    expect(phone_page.locator("[data-signature-status]")).to_have_text("Signature tracée.")
    check_accessibility(phone_page, "attendance-sign-error-phone")
    assert not AttendanceSignature.objects.exists()


def test_administrator_downloads_the_attendance_export(page):
    admin = UserFactory(role="Administrateur")
    login(page, admin.email, DEFAULT_PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto("/emargement/exports/")
    check_accessibility(page, "attendance-exports-phone")
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger les lignes (CSV)").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(3) == b"\xef\xbb\xbf"
    assert download.value.suggested_filename.endswith(".csv")
