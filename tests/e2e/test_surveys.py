"""Appreciations in a real browser, on a phone (390 × 844): a trainee answers « à chaud » by
the link of their email and cannot answer twice; an employer answers without an account;
axe-core on every page. Screenshots of the results and of the programme page."""

import datetime
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, login
from tests.factories import DEFAULT_PASSWORD, UserFactory, attested_session
from tests.surveys.helpers import full_answers, questionnaire
from training.surveys import services
from training.surveys.models import SurveyInvitation, SurveyResponse

pytestmark = pytest.mark.django_db(transaction=True)


def link_in(message) -> str:
    """The path of the personal link in an email (the live server has its own host)."""
    url = re.search(r"https?://\S+/questionnaire/\S+/", message.body).group(0)
    return url.removeprefix(settings.SITE_URL)


def answer_every_question(page, *, scale="4", recommendation="9"):
    """Tick one answer in each fieldset of the questionnaire, as a person would."""
    for fieldset in page.locator("fieldset.survey-question").all():
        kind = fieldset.get_attribute("class")
        if "survey-recommendation" in kind:
            fieldset.get_by_text(recommendation, exact=True).click()
        elif "survey-likert" in kind:
            fieldset.locator(".survey-option label").nth(int(scale) - 1).click()
        else:
            fieldset.locator(".survey-option label").first.click()


def test_a_trainee_answers_the_hot_questionnaire_on_a_phone_once(course_loaded, phone_page):
    page = phone_page
    session, _trainer, (person, _other) = attested_session(trainees=2, days_ago=2)
    mail.outbox.clear()
    services.survey_sends_run(now=timezone.now())
    email = next(m for m in mail.outbox if person.email in m.to)
    assert email.subject == "Votre avis sur la formation, en 3 minutes"
    path = link_in(email)

    page.goto(path)  # no account, no password
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre avis sur la formation")
    check_accessibility(page, "survey-answer-phone")

    # Forgetting the overall question gets a clear French message, nothing is lost.
    answer_every_question(page)
    page.locator("fieldset.survey-question").first.locator("input").first.evaluate(
        "input => { for (const r of document.getElementsByName(input.name)) r.checked = false; }"
    )
    page.get_by_label("Ce que vous avez le plus apprécié").fill("Les cas pratiques.")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.locator(".survey-error").first).to_have_text("Choisissez une réponse.")
    expect(page.get_by_label("Ce que vous avez le plus apprécié")).to_have_value(
        "Les cas pratiques."
    )
    check_accessibility(page, "survey-answer-error-phone")

    page.locator("fieldset.survey-question").first.locator(".survey-option label").nth(4).click()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text("Merci : vos réponses ont été enregistrées.")).to_be_visible()
    expect(page.get_by_role("heading", name="Déjà répondu")).to_be_visible()
    check_accessibility(page, "survey-done-phone")

    # The same link again, later: « déjà répondu », no form.
    page.goto(path)
    expect(page.get_by_role("heading", name="Déjà répondu")).to_be_visible()
    assert page.locator("form.survey-form").count() == 0
    assert SurveyResponse.objects.filter(session=session).count() == 1
    assert SurveyInvitation.objects.get(recipient=person).answered


def test_a_trainee_finds_the_questionnaire_on_the_dashboard(course_loaded, phone_page):
    page = phone_page
    session, _trainer, (person,) = attested_session(trainees=1, days_ago=2)
    services.survey_sends_run(now=timezone.now())
    login(page, person.email, DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", name="Un questionnaire à remplir")).to_be_visible()
    check_accessibility(page, "survey-dashboard-phone")
    page.get_by_role("link", name=re.compile("^Répondre")).click()
    answer_every_question(page, scale="5", recommendation="10")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("heading", name="Déjà répondu")).to_be_visible()
    page.goto("/tableau-de-bord/")
    expect(page.get_by_role("heading", name="Un questionnaire à remplir")).to_have_count(0)
    assert SurveyResponse.objects.filter(session=session).count() == 1


def test_an_employer_answers_through_their_link_without_an_account(course_loaded, phone_page):
    page = phone_page
    session, trainer, _people = attested_session(trainees=1, days_ago=3)
    login(page, trainer.email, DEFAULT_PASSWORD)
    page.goto(f"/sessions/{session.pk}/satisfaction/")
    check_accessibility(page, "survey-session-tab-phone")
    page.get_by_label("Nom de la personne à contacter").fill("Anne Lambert")
    page.get_by_label("Structure (employeur ou financeur)").fill("Conseil départemental")
    page.get_by_label("Adresse électronique").fill("anne.lambert@exemple.fr")
    page.get_by_role("button", name="Envoyer le questionnaire").click()
    expect(page.get_by_text("dans les minutes qui viennent")).to_be_visible()
    expect(page.get_by_text("en attente d'envoi")).to_be_visible()

    mail.outbox.clear()
    services.survey_sends_run(now=timezone.now())
    email = next(m for m in mail.outbox if m.to == ["anne.lambert@exemple.fr"])
    assert "Bonjour Anne Lambert" in email.body

    employer = page.context.browser.new_context(
        viewport=page.viewport_size,
        locale="fr-FR",
        base_url=page.url.split("/sessions")[0],
        is_mobile=True,
        has_touch=True,
    )
    employer_page = employer.new_page()
    employer_page.js_errors = []
    employer_page.on("pageerror", lambda exc: employer_page.js_errors.append(str(exc)))
    employer_page.goto(link_in(email))
    expect(employer_page.get_by_role("heading", level=1)).to_have_text(
        "Votre avis sur la formation de vos professionnels"
    )
    check_accessibility(employer_page, "survey-sponsor-phone")
    answer_every_question(employer_page)
    employer_page.get_by_label("Autres commentaires").fill("Très utile pour nos équipes.")
    employer_page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(employer_page.get_by_role("heading", name="Déjà répondu")).to_be_visible()
    employer.close()

    invitation = SurveyInvitation.objects.get(email="anne.lambert@exemple.fr")
    assert (
        invitation.answered
        and invitation.response.answers.filter(text="Très utile pour nos équipes.").exists()
    )
    page.reload()
    expect(page.get_by_text("a répondu")).to_be_visible()


def _results_data():
    """A finished session with 6 answers « à chaud », final results and attendance."""
    from decimal import Decimal

    from quizzes.models import Attempt, Quiz

    session, trainer, people = attested_session(trainees=7, days_ago=5, absences={6: 2})
    hot = questionnaire("chaud")
    now = timezone.now()
    comments = ["Les cas pratiques, très concrets.", "La boussole du partage."]
    for index, (person, value) in enumerate(zip(people, [5, 5, 4, 4, 4, 3], strict=False)):
        invitation = SurveyInvitation.objects.create(
            questionnaire=hot,
            session=session,
            recipient=person,
            due_at=now,
            sent_at=now,
            expires_at=now + datetime.timedelta(days=30),
        )
        by_key = {"satisfaction-globale": value, "recommandation": 10 - index % 4}
        if index < len(comments):
            by_key["points-forts"] = comments[index]
        services.response_submit(invitation=invitation, answers=full_answers(hot, value, **by_key))
    quiz = Quiz.objects.get(kind="final", is_active=True)
    for index, person in enumerate(people):
        score = Decimal(90 - 6 * index)
        Attempt.objects.create(
            user=person,
            quiz=quiz,
            session=session,
            status="submitted",
            submitted_at=now,
            score_points=score / 10,
            max_points=Decimal(10),
            score_percent=score,
            passed=score >= quiz.pass_mark,
        )
    return session, trainer


def test_screenshots_of_the_results_and_of_the_programme_page(course_loaded, page, settings):
    settings.PUBLISHED_RESULTS_MIN_N = 5
    cache.clear()
    session, trainer = _results_data()
    admin = UserFactory(role="Administrateur")
    login(page, admin.email, DEFAULT_PASSWORD)
    page.goto("/satisfaction/resultats/")
    expect(page.get_by_role("heading", name="Votre avis sur la formation")).to_be_visible()
    expect(page.locator("svg.survey-svg").first).to_be_visible()
    check_accessibility(page, "survey-results")
    page.goto(f"/sessions/{session.pk}/satisfaction/")
    check_accessibility(page, "survey-session-tab")
    page.goto("/satisfaction/commentaires/")
    check_accessibility(page, "survey-comments")
    page.get_by_role("button", name=re.compile("^Publier")).first.click()
    expect(page.get_by_text("Le commentaire est publié pour les formateurs.")).to_be_visible()

    visitor = page.context.browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="fr-FR",
        base_url=page.url.split("/satisfaction")[0],
    )
    home = visitor.new_page()
    home.js_errors = []
    home.goto("/")
    expect(home.get_by_role("heading", name="Nos résultats")).to_be_visible()
    expect(home.locator(".published-figure").first).to_contain_text("83 %")  # 5 of 6
    check_accessibility(home, "programme-published-results")
    visitor.close()
