import pytest
from django.core.management import call_command

from modules.models import Module
from quizzes.models import Question, Quiz
from tests.e2e.conftest import PHONE, check_accessibility, login
from tests.factories import DEFAULT_PASSWORD, UserFactory
from training.content.loader import content_load

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def loaded():
    content_load()


def _fill(page, quiz, *, wrong_first=False, skip=None):
    """Tick the right answers (a wrong one on the first question); return that wrong choice."""
    wrong = None
    questions = quiz.questions.prefetch_related("choices").order_by("order")
    for number, question in enumerate(questions):
        if question.pk == skip:
            continue
        choices = list(question.choices.all())
        fieldset = page.locator(f"#question-{question.pk}")
        if number == 0 and wrong_first:
            wrong = next(c for c in choices if not c.is_correct)
            picks = [wrong]
        else:
            picks = [c for c in choices if c.is_correct]
            if question.type != Question.Type.MULTIPLE:
                picks = picks[:1]
        for choice in picks:
            fieldset.locator(f"input[value='{choice.pk}']").check()
    return wrong


def test_trainee_takes_a_module_check_gets_one_wrong_and_reads_the_feedback(page, loaded):
    trainee = UserFactory(role="Stagiaire")
    login(page, trainee.email, DEFAULT_PASSWORD)
    module = Module.objects.order_by("number").first()
    quiz = Quiz.objects.get(module=module, kind=Quiz.Kind.MODULE)

    page.goto(module.get_absolute_url())
    page.locator("#h-module-quiz").scroll_into_view_if_needed()
    check_accessibility(page, "quiz-module-page")
    page.get_by_role("link", name="Quiz du module").click()
    assert page.get_by_role("heading", level=1).inner_text() == quiz.title
    page.get_by_role("button", name="Commencer le quiz").click()

    first = quiz.questions.order_by("order").first()
    legend = page.locator(f"#question-{first.pk} legend")
    assert "Question 1 sur" in legend.inner_text()
    check_accessibility(page, "quiz-take-desktop")
    page.set_viewport_size(PHONE)
    check_accessibility(page, "quiz-take-phone")

    wrong = _fill(page, quiz, wrong_first=True)
    assert page.locator("#quiz-progress").inner_text().startswith("Réponses : ")
    page.get_by_role("button", name="Envoyer mes réponses").click()

    assert page.get_by_role("heading", level=1).inner_text().startswith("Résultat")
    article = page.locator("article.answer").first
    assert "Incorrect" in article.get_by_role("heading").inner_text()
    assert article.locator(".is-chosen").get_by_text("Votre réponse").is_visible()
    feedback = article.locator(".is-chosen .choice-feedback").inner_text()
    assert wrong.feedback_source.split()[0] in feedback
    assert page.locator(".answer-explanation").first.is_visible()
    check_accessibility(page, "quiz-result-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    check_accessibility(page, "quiz-result-desktop")

    page.get_by_role("link", name="Mes résultats").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mes résultats"
    check_accessibility(page, "quiz-my-results")
    page.goto("/quiz/")
    assert page.get_by_text("Meilleur score").first.is_visible()
    check_accessibility(page, "quiz-list")
    page.goto(quiz.get_absolute_url())
    check_accessibility(page, "quiz-detail")
    page.goto("/tableau-de-bord/")
    check_accessibility(page, "quiz-dashboard-trainee")


def test_a_missing_answer_keeps_the_other_answers_and_names_the_question(page, loaded):
    trainee = UserFactory(role="Stagiaire")
    login(page, trainee.email, DEFAULT_PASSWORD)
    quiz = Quiz.objects.filter(kind=Quiz.Kind.MODULE).order_by("order").first()
    page.goto(quiz.get_absolute_url())
    page.get_by_role("button", name="Commencer le quiz").click()
    last = quiz.questions.order_by("order").last()
    _fill(page, quiz, skip=last.pk)
    page.get_by_role("button", name="Envoyer mes réponses").click()
    summary = page.locator("#quiz-errors")
    assert summary.is_visible()
    assert "Répondez à cette question." in summary.inner_text()
    assert page.locator(f"#question-{last.pk}.has-error").is_visible()
    first = quiz.questions.order_by("order").first()
    assert page.locator(f"#question-{first.pk} input:checked").count() >= 1
    check_accessibility(page, "quiz-take-errors")


def test_trainer_results_and_learning_gain_pages_pass_axe(page, settings):
    settings.DEBUG = True
    content_load()
    call_command("seed_demo", verbosity=0)
    login(page, "formatrice@demo.example", "demo-formatrice-2026")
    page.get_by_role("link", name="Résultats des quiz").first.click()
    check_accessibility(page, "quiz-results-index")
    page.get_by_role("link", name="Évaluation finale", exact=True).click()
    assert page.locator("meter.item-meter").count() >= 15
    check_accessibility(page, "quiz-results-final")
    page.goto("/quiz/resultats/progression/")
    assert page.locator("svg.gain-svg").count() == 2
    check_accessibility(page, "quiz-learning-gain-desktop")
    page.set_viewport_size(PHONE)
    check_accessibility(page, "quiz-learning-gain-phone")
