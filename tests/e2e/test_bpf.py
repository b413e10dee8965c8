"""The BPF page in Chromium for an administrator: the list of enrolments to complete, the
correction of one, then the year's figures; axe-core on each screen."""

import pytest

from tests.e2e.conftest import check_accessibility, login
from tests.factories import DEFAULT_PASSWORD, UserFactory, attested_session
from training.content.loader import content_load
from training.sessions.models import Enrolment

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_administrator_completes_an_enrolment_then_sees_the_figures(page):
    content_load()
    session, _trainer, trainees = attested_session(trainees=2, days_ago=3)
    Enrolment.objects.filter(session=session, trainee=trainees[0]).update(
        trainee_category="agent_public", funding_source="opco", price=900
    )
    admin = UserFactory(role="Administrateur")
    login(page, admin.email, DEFAULT_PASSWORD)
    page.goto(f"/administration/bpf/?year={session.start_date.year}")
    page.get_by_role("heading", name="inscription n'a pas ses données").wait_for()
    check_accessibility(page, "bpf-missing")
    page.get_by_role("link", name="Compléter").click()
    page.get_by_label("Catégorie du stagiaire (BPF)").select_option("salarie_prive")
    page.get_by_label("Source de financement (BPF)").select_option("employeur")
    page.get_by_label("Prix (€)").fill("1 050,50")
    check_accessibility(page, "bpf-enrolment-form")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role(
        "heading", name="Stagiaires, heures-stagiaires et produits par source de financement"
    ).wait_for()
    assert "1950,50" in page.content().replace("\u202f", "").replace(" ", "")
    check_accessibility(page, "bpf-figures")
