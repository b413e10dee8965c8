"""Improvement actions (indicator 32): linked to their source, owner, due date, status,
outcome; a list filterable by status; a closed one shown on the programme page."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from training.privacy.models import AuditEvent
from training.quality import services
from training.quality.models import ImprovementAction
from training.surveys.models import SurveyQuestion

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def complaint():
    return services.complaint_submit(
        name="Paul Martin",
        email="paul@exemple.fr",
        subject="Salle trop froide",
        message="Le chauffage était éteint.",
        client_address="192.0.2.5",
    )


def test_an_action_from_a_complaint_end_to_end(administrator):
    source = complaint()
    owner = UserFactory(role="Formateur")
    client = Client()
    client.force_login(administrator)
    form = page_text(client.get(reverse("training:action_create") + f"?reclamation={source.pk}"))
    assert f"Suite à la réclamation {source.reference}" in form
    data = {
        "title": "Vérifier le chauffage la veille",
        "description": "Appeler le gestionnaire de la salle la veille de chaque session.",
        "source": "reclamation",
        "complaint": source.pk,
        "owner": owner.pk,
        "due_date": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "status": "prevue",
    }
    response = client.post(reverse("training:action_create"), data)
    action = ImprovementAction.objects.get()
    assert response.url == reverse("training:action_update", args=[action.pk])
    assert (action.complaint, action.owner, action.created_by) == (source, owner, administrator)
    assert f"/qualite/actions/{action.pk}/" in page_text(
        client.get(reverse("training:complaint_detail", args=[source.pk]))
    )

    url = reverse("training:action_update", args=[action.pk])
    page = page_text(client.post(url, {**data, "status": "realisee"}))
    assert "Décrivez le résultat obtenu avant de clore l'action." in page
    page = page_text(
        client.post(url, {**data, "status": "en_cours", "is_public": "on", "public_summary": "x"})
    )
    assert "Seule une action réalisée peut être affichée sur la page du programme." in page
    client.post(
        url,
        {
            **data,
            "status": "realisee",
            "outcome": "Fait avant chaque session depuis avril.",
            "is_public": "on",
            "public_summary": "La salle est vérifiée la veille de chaque session.",
        },
    )
    action.refresh_from_db()
    assert action.status == "realisee" and action.closed_at is not None and action.is_public
    assert "La salle est vérifiée la veille de chaque session." in page_text(
        Client().get(reverse("home"))
    )
    events = AuditEvent.objects.filter(action="action.status", object_id=str(action.pk))
    assert [e.data["to"] for e in events.order_by("created_at", "pk")] == ["prevue", "realisee"]


def test_an_action_from_a_survey_result_remembers_the_question(administrator):
    question = SurveyQuestion.objects.get(questionnaire__kind="chaud", key="salle")
    client = Client()
    client.force_login(administrator)
    form = client.get(reverse("training:action_create") + f"?question={question.pk}")
    assert f'value="{question.pk}" selected' in form.content.decode()
    action = services.action_create(
        by=administrator,
        title="Changer de salle",
        description="Une salle plus grande.",
        source="questionnaire",
        question=question,
    )
    assert action.question == question


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"source": "reclamation"}, "complaint"),
        ({"source": "formateur"}, "source_detail"),
        ({"source": "veille"}, "source_detail"),
        ({"source": "questionnaire"}, "question"),
        ({"source": "autre", "status": "abandonnee"}, "outcome"),
        ({"source": "autre", "is_public": True}, "is_public"),
        (
            {"source": "autre", "status": "realisee", "outcome": "Fait.", "is_public": True},
            "public_summary",
        ),
    ],
)
def test_the_rules_of_an_action_give_clear_errors(administrator, values, field):
    with pytest.raises(ValidationError) as caught:
        services.action_create(by=administrator, title="T", description="D", **values)
    assert field in caught.value.error_dict
    assert ImprovementAction.objects.count() == 0


def test_a_trainers_remark_and_the_legal_watch_are_sources_too(administrator):
    remark = services.action_create(
        by=administrator,
        title="Cas supplémentaire",
        description="Ajouter un cas.",
        source="formateur",
        source_detail="Bilan formateur : le module 4 manque d'exemples.",
    )
    watch = services.action_create(
        by=administrator,
        title="Mettre à jour le module 3",
        description="Nouvelle rédaction d'un article.",
        source="veille",
        source_detail="Modification d'un texte cité au module 3.",
    )
    assert {remark.get_source_display(), watch.get_source_display()} == {
        "Remarque d'un formateur",
        "Veille juridique",
    }


def test_the_list_filters_by_status(administrator):
    for title, status, outcome in [
        ("Ouverte", "prevue", ""),
        ("En route", "en_cours", ""),
        ("Faite", "realisee", "Fait."),
    ]:
        services.action_create(
            by=administrator,
            title=title,
            description="D",
            source="autre",
            status=status,
            outcome=outcome,
        )
    client = Client()
    client.force_login(administrator)
    everything = page_text(client.get(reverse("training:action_list")))
    assert all(t in everything for t in ("Ouverte", "En route", "Faite"))
    done = page_text(client.get(reverse("training:action_list") + "?statut=realisee"))
    assert "Faite" in done and "Ouverte" not in done and "En route" not in done
    assert client.get(reverse("training:action_list") + "?statut=nimporte").status_code == 200


def test_a_late_action_is_flagged(administrator):
    services.action_create(
        by=administrator,
        title="En retard",
        description="D",
        source="autre",
        due_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    client = Client()
    client.force_login(administrator)
    assert "en retard" in page_text(client.get(reverse("training:action_list")))


def test_the_actions_export(administrator):
    services.action_create(by=administrator, title="=1+1", description="D", source="autre")
    client = Client()
    client.force_login(administrator)
    text = b"".join(
        client.get(reverse("training:action_export", args=["csv"])).streaming_content
    ).decode()
    assert "'=1+1" in text  # a formula is never run by a spreadsheet
