import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes import services
from quizzes.models import Answer, Attempt, Quiz
from tests.factories import EnrolmentFactory, SessionFactory, UserFactory
from tests.quizzes.helpers import as_post, right_answers
from tests.quizzes.quiz_tree import write_quiz_tree
from training.content.loader import content_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(no_course, tmp_path):
    content_load(base=write_quiz_tree(tmp_path / "fixtures"))


def start(client, quiz):
    response = client.post(reverse("quizzes:attempt_start", args=[quiz.slug]))
    assert response.status_code == 302
    return Attempt.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def submitted(user, quiz, **kwargs):
    attempt = services.attempt_start(user=user, quiz=quiz)
    return services.attempt_submit(attempt=attempt, answers=right_answers(quiz, **kwargs))[0]


# --------------------------------------------------------------------------- access


TRAINEE_PAGES = [
    ("quizzes:quiz_list", []),
    ("quizzes:my_results", []),
    ("quizzes:quiz_detail", ["quiz-essai"]),
]
RESULT_PAGES = [
    ("quizzes:results_index", []),
    ("quizzes:quiz_results", ["quiz-essai"]),
    ("quizzes:quiz_results_export", ["quiz-essai", "csv"]),
    ("quizzes:quiz_results_export", ["quiz-essai", "xlsx"]),
    ("quizzes:learning_gain", []),
    ("quizzes:learning_gain_export", ["csv"]),
    ("quizzes:learning_gain_export", ["xlsx"]),
]


@pytest.mark.parametrize(
    ("role", "trainee_status", "results_status"),
    [
        (None, 302, 302),
        ("none", 403, 403),
        ("Stagiaire", 200, 403),
        ("Formateur", 200, 200),
        ("Administrateur", 200, 200),
    ],
)
def test_every_quiz_url_answers_each_role(client, loaded, role, trainee_status, results_status):
    if role:
        client.force_login(UserFactory(role=None if role == "none" else role))
    for name, args in TRAINEE_PAGES:
        assert client.get(reverse(name, args=args)).status_code == trainee_status, name
    for name, args in RESULT_PAGES:
        assert client.get(reverse(name, args=args)).status_code == results_status, name


def test_an_archived_or_unknown_quiz_is_a_404_for_trainees(client, loaded):
    client.force_login(UserFactory(role="Stagiaire"))
    Quiz.objects.filter(slug="quiz-essai").update(is_active=False)
    assert client.get(reverse("quizzes:quiz_detail", args=["quiz-essai"])).status_code == 404
    assert client.get(reverse("quizzes:quiz_detail", args=["inconnu"])).status_code == 404
    assert client.post(reverse("quizzes:attempt_start", args=["quiz-essai"])).status_code == 404


def test_starting_needs_a_post(client, loaded):
    client.force_login(UserFactory(role="Stagiaire"))
    assert client.get(reverse("quizzes:attempt_start", args=["quiz-essai"])).status_code == 405
    assert Attempt.objects.count() == 0


# --------------------------------------------------------------------------- taking a quiz


def test_the_quiz_page_has_one_fieldset_and_legend_per_question(client, loaded):
    client.force_login(UserFactory(role="Stagiaire"))
    quiz = Quiz.objects.get(slug="quiz-essai")
    attempt = start(client, quiz)
    html = client.get(reverse("quizzes:attempt_take", args=[attempt.pk])).content.decode()
    assert html.count("<fieldset") == 3
    assert html.count("<legend") == 3
    assert "Question 1 sur 3" in html
    assert 'type="radio"' in html and 'type="checkbox"' in html
    assert "Plusieurs réponses peuvent être justes" in html
    assert "Idée reçue" not in html  # no feedback before submission


def test_a_trainee_takes_a_quiz_and_reads_the_corrections(client, loaded):
    user = UserFactory(role="Stagiaire")
    client.force_login(user)
    quiz = Quiz.objects.get(slug="quiz-essai")
    attempt = start(client, quiz)
    answers = right_answers(quiz, wrong_keys={"q01"})
    response = client.post(reverse("quizzes:attempt_take", args=[attempt.pk]), as_post(answers))
    assert response.status_code == 302
    assert response.url == reverse("quizzes:attempt_result", args=[attempt.pk])
    html = client.get(response.url).content.decode()
    assert "67\u00a0%" in html
    assert "Incorrect" in html
    assert re.search(r"Envoyé le \d{1,2} \w+ \d{4} à \d{2}:\d{2}", html)  # French date and time
    assert "Idée reçue&nbsp;: tout le monde." in html  # feedback of the wrong choice chosen
    assert "Le texte vise les dépositaires." in html  # explanation
    assert "Art. 226-13 C. pén." in html  # legal basis
    assert "Comment le score est-il calculé" in html
    # Going back to the quiz page shows the result rather than a new form.
    again = client.get(reverse("quizzes:attempt_take", args=[attempt.pk]))
    assert again.status_code == 302 and again.url == response.url


def test_a_quiz_without_review_shows_the_score_only(client, loaded):
    user = UserFactory(role="Stagiaire")
    client.force_login(user)
    quiz = Quiz.objects.get(slug="essai-positionnement")
    attempt = submitted(user, quiz, wrong_keys={"q01"})
    html = client.get(reverse("quizzes:attempt_result", args=[attempt.pk])).content.decode()
    assert "50\u00a0%" in html
    assert "Idée reçue" not in html
    assert "Le texte vise les dépositaires." not in html
    assert "Bonne réponse" not in html
    assert "ne sont pas affichées" in html


def test_double_submission_grades_once_and_shows_the_same_result(client, loaded):
    user = UserFactory(role="Stagiaire")
    client.force_login(user)
    quiz = Quiz.objects.get(slug="quiz-essai")
    attempt = start(client, quiz)
    url = reverse("quizzes:attempt_take", args=[attempt.pk])
    first = client.post(url, as_post(right_answers(quiz, wrong_keys={"q01"})))
    second = client.post(url, as_post(right_answers(quiz)))
    assert first.url == second.url
    attempt.refresh_from_db()
    assert attempt.score_percent < 100
    assert Answer.objects.filter(attempt=attempt).count() == 3


# --------------------------------------------------------------------------- bad input


def _bad_post(quiz, problem):
    answers = right_answers(quiz)
    q01, q02, q03 = list(quiz.questions.order_by("order"))
    data = as_post(answers)
    if problem == "missing":
        del data[f"q{q03.pk}"]
    elif problem == "foreign_choice":
        data[f"q{q01.pk}"] = [str(q02.choices.first().pk)]
    elif problem == "unknown_choice":
        data[f"q{q01.pk}"] = ["999999"]
    elif problem == "not_a_number":
        data[f"q{q03.pk}"] = ["abc"]
    elif problem == "two_for_single":
        data[f"q{q01.pk}"] = [str(pk) for pk in q01.choices.values_list("pk", flat=True)]
    elif problem == "duplicate":
        data[f"q{q03.pk}"] = data[f"q{q03.pk}"][:1] * 2
    return data


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        ("missing", "Répondez à cette question."),
        ("foreign_choice", "Ce choix n&#x27;appartient pas à cette question."),
        ("unknown_choice", "Ce choix n&#x27;appartient pas à cette question."),
        ("not_a_number", "Ce choix n&#x27;appartient pas à cette question."),
        ("two_for_single", "Choisissez une seule réponse à cette question."),
        ("duplicate", "Le même choix a été envoyé deux fois."),
    ],
)
def test_bad_answers_get_a_french_400_and_save_nothing(client, loaded, problem, message):
    client.force_login(UserFactory(role="Stagiaire"))
    quiz = Quiz.objects.get(slug="quiz-essai")
    attempt = start(client, quiz)
    data = _bad_post(quiz, problem)
    response = client.post(reverse("quizzes:attempt_take", args=[attempt.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vos réponses n'ont pas été envoyées" in html
    assert message in html
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS
    assert Answer.objects.count() == 0
    # The valid answers are kept in the form.
    assert html.count(" checked") >= 1


def test_a_forged_attempt_id_is_a_404_and_saves_nothing(client, loaded):
    client.force_login(UserFactory(role="Stagiaire"))
    quiz = Quiz.objects.get(slug="quiz-essai")
    data = as_post(right_answers(quiz))
    response = client.post(reverse("quizzes:attempt_take", args=[999999]), data)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()  # a clear French page
    assert client.get(reverse("quizzes:attempt_result", args=[999999])).status_code == 404
    assert Attempt.objects.count() == 0


def test_another_persons_attempt_is_a_404(client, loaded):
    quiz = Quiz.objects.get(slug="quiz-essai")
    owner = UserFactory(role="Stagiaire")
    in_progress = services.attempt_start(user=owner, quiz=quiz)
    done = submitted(owner, Quiz.objects.get(slug="essai-positionnement"))
    client.force_login(UserFactory(role="Stagiaire"))
    take_url = reverse("quizzes:attempt_take", args=[in_progress.pk])
    assert client.get(take_url).status_code == 404
    assert client.post(take_url, as_post(right_answers(quiz))).status_code == 404
    assert client.get(reverse("quizzes:attempt_result", args=[done.pk])).status_code == 404
    # Not even a trainer sees a trainee's attempt page (results pages are for that).
    client.force_login(UserFactory(role="Formateur"))
    assert client.get(reverse("quizzes:attempt_result", args=[done.pk])).status_code == 404
    in_progress.refresh_from_db()
    assert in_progress.status == Attempt.Status.IN_PROGRESS


def test_an_attempt_beyond_the_limit_is_refused_with_a_message(client, loaded):
    user = UserFactory(role="Stagiaire")
    client.force_login(user)
    quiz = Quiz.objects.get(slug="essai-positionnement")
    submitted(user, quiz)
    detail = client.get(quiz.get_absolute_url()).content.decode()
    assert "Vous avez utilisé toutes les tentatives autorisées" in detail
    assert reverse("quizzes:attempt_start", args=[quiz.slug]) not in detail
    response = client.post(reverse("quizzes:attempt_start", args=[quiz.slug]))
    assert response.status_code == 403
    assert "(1 sur 1)" in response.content.decode()
    assert Attempt.objects.filter(user=user).count() == 1


def test_the_final_evaluation_allows_a_second_attempt_then_refuses(client, loaded):
    user = UserFactory(role="Stagiaire")
    client.force_login(user)
    quiz = Quiz.objects.get(slug="essai-finale")
    first = submitted(user, quiz, wrong_keys={"q01"})
    assert first.passed is False
    html = client.get(reverse("quizzes:attempt_result", args=[first.pk])).content.decode()
    assert "Refaire le quiz" in html
    second = submitted(user, quiz)
    assert second.passed is True
    html = client.get(reverse("quizzes:attempt_result", args=[second.pk])).content.decode()
    assert "Refaire le quiz" not in html
    assert client.post(reverse("quizzes:attempt_start", args=[quiz.slug])).status_code == 403


# --------------------------------------------------------------------------- lists


def test_quiz_list_and_my_results_show_the_status(client, loaded):
    user = UserFactory(role="Stagiaire")
    client.force_login(user)
    submitted(user, Quiz.objects.get(slug="quiz-essai"), wrong_keys={"q01"})
    services.attempt_start(user=user, quiz=Quiz.objects.get(slug="essai-positionnement"))
    html = client.get(reverse("quizzes:quiz_list")).content.decode()
    assert "Meilleur score : 67\u00a0%" in html
    assert "En cours" in html
    assert "Tentatives illimitées" in html
    assert "0 tentative utilisée sur 2" in html
    html = client.get(reverse("quizzes:my_results")).content.decode()
    assert "Quiz du module 1" in html
    assert "Test de positionnement" not in html  # still in progress


def test_dashboard_and_module_page_link_to_the_quizzes(client, loaded):
    client.force_login(UserFactory(role="Stagiaire"))
    html = client.get(reverse("training:dashboard")).content.decode()
    assert reverse("quizzes:quiz_detail", args=["quiz-essai"]) in html
    assert reverse("quizzes:quiz_list") in html  # navigation
    html = client.get(reverse("modules:module_detail", args=["module-1"])).content.decode()
    assert "Quiz du module" in html
    html = client.get(reverse("modules:module_detail", args=["module-2"])).content.decode()
    assert "Quiz du module" not in html  # module 2 has no check in this tree
    client.force_login(UserFactory(role="Formateur"))
    html = client.get(reverse("training:dashboard")).content.decode()
    assert reverse("quizzes:results_index") in html


# --------------------------------------------------------------------------- results


def _class(n, quiz, positioning=None):
    """n trainees: half get q01 wrong; each also takes the positioning test with q02 wrong."""
    users = UserFactory.create_batch(n, role="Stagiaire")
    for index, user in enumerate(users):
        submitted(user, quiz, wrong_keys={"q01"} if index % 2 == 0 else set())
        if positioning is not None:
            submitted(user, positioning, wrong_keys={"q02", "q01"} if index % 2 else {"q02"})
    return users


def test_a_trainer_sees_the_results_of_their_own_sessions_trainees_only(client, loaded):
    quiz = Quiz.objects.get(slug="quiz-essai")
    mine, theirs = _class(2, quiz), _class(3, quiz)
    trainer, other_trainer = UserFactory.create_batch(2, role="Formateur")
    session = SessionFactory(trainers=[trainer])
    for user in mine:
        EnrolmentFactory(session=session, trainee=user)
    other_session = SessionFactory(trainers=[other_trainer])
    for user in theirs:
        EnrolmentFactory(session=other_session, trainee=user)

    def seen(user):
        client.force_login(user)
        page = client.get(reverse("quizzes:quiz_results", args=[quiz.slug])).context["page"]
        export = client.get(reverse("quizzes:quiz_results_export", args=[quiz.slug, "csv"]))
        index = client.get(reverse("quizzes:results_index")).context["overview"]
        return (
            {row.user.pk for row in page},
            b"".join(export.streaming_content).decode("utf-8-sig"),
            next(o for o in index if o["quiz"] == quiz),
        )

    rows, csv_text, overview = seen(trainer)
    assert rows == {user.pk for user in mine}
    # By the Email column (random last names can coincide or contain one another).
    emails = {row[2] for row in csv.reader(io.StringIO(csv_text), delimiter=";")}
    assert {u.email for u in mine} <= emails and not emails & {u.email for u in theirs}
    assert overview["trainees"] == 2
    rows, _, overview = seen(UserFactory(role="Administrateur"))
    assert rows == {user.pk for user in [*mine, *theirs]}
    assert overview["trainees"] == 5
    rows, _, overview = seen(UserFactory(role="Formateur"))  # no session: nobody
    assert rows == set()


def test_item_analysis_is_sorted_worst_first_with_choice_counts(client, loaded):
    quiz = Quiz.objects.get(slug="quiz-essai")
    _class(4, quiz)
    UserFactory(role="Formateur")  # trainers' own tries are not counted
    trainer = UserFactory(role="Administrateur")
    submitted(trainer, quiz, wrong_keys={"q02", "q03"})
    client.force_login(trainer)
    response = client.get(reverse("quizzes:quiz_results", args=[quiz.slug]))
    results = response.context["results"]
    assert [i.question.key for i in results.items] == ["q01", "q02", "q03"]
    assert [i.success for i in results.items] == [50, 100, 100]
    wrong = next(c for c in results.items[0].choices if not c.is_correct)
    assert (wrong.count, wrong.percent) == (2, 50)
    assert results.trainee_count == len(results.page) == 4
    html = response.content.decode()
    assert '<meter class="item-meter"' in html
    assert "style=" not in html


def test_learning_gain_per_trainee_and_objective(client, loaded):
    final = Quiz.objects.get(slug="essai-finale")
    positioning = Quiz.objects.get(slug="essai-positionnement")
    users = _class(2, final, positioning)
    client.force_login(UserFactory(role="Administrateur"))
    response = client.get(reverse("quizzes:learning_gain"))
    gain = response.context["gain"]
    by_user = {t.user.pk: t for t in gain.trainees}
    # user 0: positioning q02 wrong (50 %), final q01 wrong (50 %); user 1: 0 % → 100 %
    assert (by_user[users[0].pk].overall.before, by_user[users[0].pk].overall.after) == (50, 50)
    assert (by_user[users[1].pk].overall.before, by_user[users[1].pk].overall.after) == (0, 100)
    assert (gain.average.before, gain.average.after, gain.average.delta) == (25, 75, 50)
    codes = [o.code for o in gain.objectives]
    distinguer = gain.objective_averages[codes.index("distinguer")]  # q01
    appliquer = gain.objective_averages[codes.index("appliquer")]  # q02
    assert (distinguer.before, distinguer.after) == (50, 50)
    assert (appliquer.before, appliquer.after) == (0, 100)
    html = response.content.decode()
    assert html.count('<svg viewBox="0 0 ') == 2
    assert "style=" not in html
    assert 'cx="295.0"' in html  # 50 % on the 170 → 420 axis


def test_the_retained_positioning_attempt_is_the_first_one(loaded):
    from quizzes import selectors

    positioning = Quiz.objects.get(slug="essai-positionnement")
    Quiz.objects.filter(pk=positioning.pk).update(max_attempts=2)
    positioning.refresh_from_db()
    user = UserFactory(role="Stagiaire")
    submitted(user, positioning, wrong_keys={"q01", "q02"})
    submitted(user, positioning)
    gain = selectors.learning_gain(users=[user])
    assert gain.trainees[0].overall.before == 0


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_results_pages_run_the_same_number_of_queries_for_5_and_30_trainees(client, loaded):
    final = Quiz.objects.get(slug="essai-finale")
    positioning = Quiz.objects.get(slug="essai-positionnement")
    client.force_login(UserFactory(role="Formateur"))
    urls = [
        reverse("quizzes:results_index"),
        reverse("quizzes:quiz_results", args=[final.slug]),
        reverse("quizzes:learning_gain"),
    ]
    _class(5, final, positioning)
    small = [count_queries(client, url) for url in urls]
    _class(25, final, positioning)
    large = [count_queries(client, url) for url in urls]
    assert large == small


def test_trainee_pages_run_a_constant_number_of_queries(client, loaded):
    user = UserFactory(role="Stagiaire")
    client.force_login(user)
    quiz = Quiz.objects.get(slug="quiz-essai")
    first = submitted(user, quiz)
    urls = [
        reverse("quizzes:quiz_list"),
        reverse("quizzes:my_results"),
        reverse("quizzes:attempt_result", args=[first.pk]),
    ]
    small = [count_queries(client, url) for url in urls]
    for _ in range(6):
        submitted(user, quiz, wrong_keys={"q02"})
    assert [count_queries(client, url) for url in urls] == small


# --------------------------------------------------------------------------- exports


def test_csv_export_is_french_excel_friendly_and_escapes_formulas(client, loaded):
    quiz = Quiz.objects.get(slug="quiz-essai")
    evil = UserFactory(role="Stagiaire", last_name="=HYPERLINK(1)", first_name="+Ana")
    submitted(evil, quiz, wrong_keys={"q01"})
    client.force_login(UserFactory(role="Administrateur"))
    response = client.get(reverse("quizzes:quiz_results_export", args=[quiz.slug, "csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="resultats-quiz-essai-')
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffNom;Prénom;Courriel;")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0].endswith(";q01;q02;q03")
    assert lines[1].startswith("'=HYPERLINK(1);'+Ana;")
    assert ";66,67;" in lines[1]
    assert lines[1].endswith(";0,00;1,00;1,00")


def test_xlsx_exports_open_with_openpyxl(client, loaded):
    from openpyxl import load_workbook

    final = Quiz.objects.get(slug="essai-finale")
    _class(2, final, Quiz.objects.get(slug="essai-positionnement"))
    client.force_login(UserFactory(role="Administrateur"))
    response = client.get(reverse("quizzes:quiz_results_export", args=[final.slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Nom", "Prénom", "Courriel")
    assert len(rows) == 3
    response = client.get(reverse("quizzes:learning_gain_export", args=["xlsx"]))
    rows = list(load_workbook(io.BytesIO(response.getvalue())).active.values)
    assert rows[-1][0] == "Moyenne du groupe"
    assert rows[-1][3:6] == (25, 75, 50)


def test_an_unknown_export_format_is_a_404(client, loaded):
    client.force_login(UserFactory(role="Formateur"))
    assert client.get("/quiz/resultats/quiz-essai/export.pdf").status_code == 404
