"""BPF data entered on enrolment: the form's fields and the CSV import's optional columns
(French errors for unknown values, nothing written when a line is wrong)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import EnrolmentFactory, SessionFactory, UserFactory
from training.bpf import categories
from training.sessions.imports import price_parse, trainee_csv_parse
from training.sessions.models import Enrolment

pytestmark = pytest.mark.django_db

HEADER = "nom;prénom;email;catégorie;financement;prix\n"


def _csv(*lines) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode("utf-8")


def test_the_optional_columns_accept_a_code_or_a_label_whatever_the_accents_and_case():
    parsed = trainee_csv_parse(
        _csv(
            "Dubois;Léa;lea@exemple.fr;Agent public;OPCO;1 200,50",
            "Roux;Sarah;sarah@exemple.fr;salarie_prive;EMPLOYEUR;450 €",
            "Blanc;Manon;manon@exemple.fr;;;",
        )
    )
    assert parsed.errors == []
    rows = {row.email: row for row in parsed.rows}
    assert (rows["lea@exemple.fr"].trainee_category, rows["lea@exemple.fr"].funding_source) == (
        "agent_public",
        "opco",
    )
    assert rows["lea@exemple.fr"].price == Decimal("1200.50")
    assert rows["sarah@exemple.fr"].price == Decimal("450.00")
    assert (
        rows["manon@exemple.fr"].trainee_category == "" and rows["manon@exemple.fr"].price is None
    )


def test_unknown_values_are_refused_in_french_with_their_line_and_the_accepted_values():
    parsed = trainee_csv_parse(
        _csv(
            "Dubois;Léa;lea@exemple.fr;Martien;OPCO;100",
            "Roux;Sarah;sarah@exemple.fr;agent public;la banque;-3",
            "Blanc;Manon;manon@exemple.fr;;;12,345",
        )
    )
    assert parsed.rows == []
    assert parsed.errors[0].startswith(
        "Ligne 2 : « Martien » n'est pas une catégorie de stagiaire du BPF. Valeurs acceptées : "
        "salarie_prive (Salarié d'un employeur privé), agent_public (Agent public)"
    )
    assert "Ligne 3 : « la banque » n'est pas une source de financement du BPF." in parsed.errors[1]
    assert parsed.errors[2] == (
        "Ligne 3 : « -3 » n'est pas un prix : écrivez un montant en euros, par exemple 450 ou "
        "1 200,50."
    )
    assert parsed.errors[3].startswith("Ligne 4 : « 12,345 » n'est pas un prix")


@pytest.mark.parametrize("text", ["abc", "1,2,3", "NaN", "Infinity", "1e3", "100000000", "-0,01"])
def test_a_price_that_is_not_an_amount_is_refused(text):
    if text == "1e3":  # Decimal reads it: 1000, a whole amount, accepted
        assert price_parse(text) == Decimal("1000.00")
        return
    with pytest.raises(ValueError):
        price_parse(text)


def test_the_import_writes_the_bpf_data_on_the_enrolments(client):
    trainer = UserFactory(role="Formateur")
    session = SessionFactory(trainers=[trainer])
    returning = UserFactory(role="Stagiaire", email="retour@exemple.fr")
    removed = EnrolmentFactory(session=session, trainee=returning)
    Enrolment.objects.filter(pk=removed.pk).update(status=Enrolment.Status.CANCELLED)
    client.force_login(trainer)
    url = reverse("training:enrolment_import", args=[session.pk])
    data = _csv(
        "Dubois;Léa;lea@exemple.fr;Demandeur d'emploi;France Travail;650",
        "Retour;Rémi;retour@exemple.fr;Particulier;stagiaire;450,00",
    )
    preview = client.post(url, {"file": SimpleUploadedFile("l.csv", data, "text/csv")})
    page = preview.content.decode()
    assert "Demandeur d&#x27;emploi · France Travail · 650,00 €" in page
    client.post(url, {"csv_text": preview.context["confirm"]["csv_text"].value()})
    enrolments = {
        e.trainee.email: e for e in Enrolment.objects.filter(session=session, status="inscrit")
    }
    assert (
        enrolments["lea@exemple.fr"].trainee_category,
        enrolments["lea@exemple.fr"].funding_source,
        enrolments["lea@exemple.fr"].price,
    ) == ("demandeur_emploi", "france_travail", Decimal("650.00"))
    assert (
        enrolments["retour@exemple.fr"].trainee_category,
        enrolments["retour@exemple.fr"].price,
    ) == ("particulier", Decimal("450.00"))


def test_the_enrolment_form_takes_the_bpf_data_and_refuses_a_tampered_value(client):
    trainer = UserFactory(role="Formateur")
    session = SessionFactory(trainers=[trainer])
    client.force_login(trainer)
    url = reverse("training:enrolment_create", args=[session.pk])
    base = {"email": "new@exemple.fr", "first_name": "Nina", "last_name": "Neuve"}
    refused = client.post(url, {**base, "trainee_category": "martien", "price": "abc"})
    assert refused.status_code == 200
    assert not Enrolment.objects.filter(session=session).exists()
    text = refused.content.decode()
    assert "Sélectionnez un choix valide" in text and "Saisissez un nombre" in text
    client.post(
        url,
        {
            **base,
            "trainee_category": "agent_public",
            "funding_source": "organisme_public",
            "price": "780,50",
        },
    )
    enrolment = Enrolment.objects.get(session=session)
    assert (enrolment.trainee_category, enrolment.funding_source, enrolment.price) == (
        "agent_public",
        "organisme_public",
        Decimal("780.50"),
    )


def test_the_categories_are_data_that_can_be_corrected_without_a_migration(settings, tmp_path):
    custom = tmp_path / "bpf.yaml"
    custom.write_text(
        "trainee_categories:\n  - {code: cadre, label: Cadre, verified: true, cerfa: 'F-1 x'}\n"
        "funding_sources:\n  - {code: mecene, label: Mécène}\n",
        encoding="utf-8",
    )
    settings.BPF_CATEGORIES_FILE = custom
    assert [c.code for c in categories.trainee_categories()] == ["cadre"]
    assert categories.category_find("mécène", kind=categories.FUNDING).code == "mecene"
    assert categories.category_label("opco", kind=categories.FUNDING) == "opco (?)"
    custom.write_text("trainee_categories: []\nfunding_sources: []\n", encoding="utf-8")
    import os

    os.utime(custom, (1, 1))  # another modification time: read again
    with pytest.raises(categories.CategoriesError):
        categories.trainee_categories()
