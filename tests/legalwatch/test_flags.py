"""Marking a text « modifié » flags every item that cites it — counted here from the content
itself, not from the index the loader built — and nothing else; trainers see a notice and
documents say « contenu en cours de révision » until the flags are resolved."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from boussole import graph
from boussole.models import Case, Guide
from modules.models import GlossaryTerm, Lesson, Module, Slide, TrainerNote
from quizzes.models import Question
from tests.factories import UserFactory
from training.legalwatch import services
from training.legalwatch.models import ItemKind, LegalReference, ReviewFlag, Verification

pytestmark = pytest.mark.django_db

# « 226-14 » as the course writes it: never « L. 226-14 » nor part of a longer number.
ART_226_14 = re.compile(r"(?<![LRD]\.\s)(?<![\w-])226-14(?![\w-])")


def _joined(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


def _node_text(node) -> str:
    parts = [node.get("text"), node.get("title"), node.get("help")]
    for option in node["options"]:
        parts += [option["label"], option["condition"], *option["to_check"], *option["bases"]]
    return _joined(*parts)


def _verdict_text(verdict) -> str:
    return _joined(
        verdict["title"],
        verdict["summary"],
        verdict["tell_the_person"],
        *verdict["to_check"],
        *verdict["deciding_bases"],
        *verdict["legal_bases"],
    )


def content_texts() -> dict[tuple[str, str], str]:
    """The text of every item of the loaded content, read from the database."""
    texts = {}
    for lesson in Lesson.objects.all():
        texts[(ItemKind.LESSON, lesson.slug)] = _joined(lesson.title, lesson.source)
    for slide in Slide.objects.select_related("module"):
        texts[(ItemKind.SLIDE, f"{slide.module.slug}/{slide.order}")] = _joined(
            slide.title, slide.source, slide.notes_source
        )
    for question in Question.objects.select_related("quiz").prefetch_related("choices"):
        choices = [f"{c.text}\n{c.feedback_source}" for c in question.choices.all()]
        texts[(ItemKind.QUESTION, f"{question.quiz.slug}/{question.key}")] = _joined(
            question.text_source, question.legal_basis, question.explanation_source, *choices
        )
    for term in GlossaryTerm.objects.all():
        texts[(ItemKind.GLOSSARY, term.slug)] = _joined(
            term.term, term.definition_source, term.legal_basis
        )
    for module in Module.objects.all():
        texts[(ItemKind.MODULE, module.slug)] = _joined(
            module.title, *module.objectives, module.intro_source
        )
    for note in TrainerNote.objects.select_related("module"):
        texts[(ItemKind.TRAINER_NOTE, note.module.slug)] = note.source
    guide = Guide.objects.get()
    for node_id, node in guide.graph["nodes"].items():
        texts[(ItemKind.NODE, node_id)] = _node_text(node)
    for verdict_id, verdict in guide.graph["verdicts"].items():
        texts[(ItemKind.VERDICT, verdict_id)] = _verdict_text(verdict)
    for case in Case.objects.all():
        texts[(ItemKind.CASE, case.slug)] = _joined(
            case.title, case.situation_source, case.explanation_source, *case.key_conditions
        )
    return texts


@pytest.fixture
def admin(db):
    return UserFactory(role="Administrateur")


@pytest.fixture
def trainer(db):
    return UserFactory(role="Formateur")


def mark(reference_key: str, outcome: str, by) -> Verification:
    return services.verification_record(
        reference=LegalReference.objects.get(key=reference_key),
        checked_on=timezone.localdate(),
        checked_by=by,
        source_consulted="Légifrance, version en vigueur",
        outcome=outcome,
    )


def test_marking_art_226_14_modified_flags_exactly_the_items_that_cite_it(course_loaded, admin):
    texts = content_texts()
    citing = {item for item, text in texts.items() if ART_226_14.search(text)}
    expected = {
        kind: {key for k, key in citing if k == kind}
        for kind in (ItemKind.LESSON, ItemKind.SLIDE, ItemKind.QUESTION, ItemKind.VERDICT)
    }
    # The course really cites it in every kind of content (else the test proves nothing).
    assert all(expected.values()), {k: len(v) for k, v in expected.items()}

    verification = mark("c-pen-226-14", Verification.Outcome.MODIFIED, admin)

    flagged = set(verification.flags.values_list("item_kind", "item_key"))
    for kind, keys in expected.items():
        assert {key for k, key in flagged if k == kind} == keys, kind
    # … and nothing that does not cite it, whatever its kind.
    assert flagged <= citing
    assert {key for k, key in flagged if k == ItemKind.GLOSSARY} == {
        key for k, key in citing if k == ItemKind.GLOSSARY
    }


def test_unchanged_flags_nothing_and_another_text_flags_only_its_own_items(course_loaded, admin):
    mark("c-pen-226-14", Verification.Outcome.UNCHANGED, admin)
    assert not ReviewFlag.objects.exists()

    verification = mark("c-civ-1240", Verification.Outcome.REPEALED, admin)
    texts = content_texts()
    flagged = set(verification.flags.values_list("item_kind", "item_key"))
    assert flagged
    for item in flagged:
        assert re.search(r"1240", texts[item]), item


def test_a_second_modification_adds_no_duplicate_flag(course_loaded, admin):
    first = mark("c-pen-226-14", Verification.Outcome.MODIFIED, admin)
    second = mark("c-pen-226-14", Verification.Outcome.REPEALED, admin)
    assert second.flags.count() == 0
    assert ReviewFlag.objects.open().count() == first.flags.count()


def test_a_verification_in_the_future_is_refused(course_loaded, admin):
    with pytest.raises(ValidationError):
        services.verification_record(
            reference=LegalReference.objects.get(key="c-pen-226-14"),
            checked_on=timezone.localdate() + datetime.timedelta(days=1),
            checked_by=admin,
            source_consulted="Légifrance",
            outcome="modified",
        )
    assert not Verification.objects.exists()


def _flagged_lesson_and_other():
    flagged = ReviewFlag.objects.filter(item_kind=ItemKind.LESSON).values_list(
        "item_key", flat=True
    )
    lesson = Lesson.objects.select_related("module").get(slug=flagged[0])
    other = Lesson.objects.select_related("module").exclude(slug__in=list(flagged)).first()
    return lesson, other


NOTICE = "Contenu en cours de révision"


def test_trainers_see_a_notice_on_flagged_items_and_trainees_do_not(
    client, course_loaded, admin, trainer
):
    mark("c-pen-226-14", Verification.Outcome.MODIFIED, admin)
    lesson, other = _flagged_lesson_and_other()
    client.force_login(trainer)
    assert NOTICE in client.get(lesson.get_absolute_url()).content.decode()
    assert NOTICE not in client.get(other.get_absolute_url()).content.decode()
    module_page = client.get(lesson.module.get_absolute_url()).content.decode()
    assert NOTICE in module_page and lesson.title.replace("'", "&#x27;") in module_page
    question = ReviewFlag.objects.filter(item_kind=ItemKind.QUESTION).first()
    quiz_slug, key = question.item_key.split("/")
    results = client.get(reverse("quizzes:quiz_results", args=[quiz_slug])).content.decode()
    assert "Questions en cours de révision" in results and f"#question-{key}" in results

    client.force_login(UserFactory(role="Stagiaire"))
    assert NOTICE not in client.get(lesson.get_absolute_url()).content.decode()
    assert NOTICE not in client.get(lesson.module.get_absolute_url()).content.decode()


def test_resolving_the_flags_clears_the_notices(client, course_loaded, admin, trainer):
    mark("c-pen-226-14", Verification.Outcome.MODIFIED, admin)
    lesson, _other = _flagged_lesson_and_other()
    flag = ReviewFlag.objects.get(item_kind=ItemKind.LESSON, item_key=lesson.slug)
    services.flag_resolve(flag=flag, by=admin, note="Leçon relue, rien à changer.")
    client.force_login(trainer)
    assert NOTICE not in client.get(lesson.get_absolute_url()).content.decode()
    # The module still has other items to review, until they all are.
    assert NOTICE in client.get(lesson.module.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError):
        services.flag_resolve(flag=flag, by=admin)

    count = services.flags_resolve(reference=flag.reference, by=admin, note="Tout relu.")
    assert count == ReviewFlag.objects.filter(reference=flag.reference).count() - 1
    assert not ReviewFlag.objects.open().exists()
    assert NOTICE not in client.get(lesson.module.get_absolute_url()).content.decode()


def test_the_boussole_verdict_page_and_its_sheet_carry_the_notice(
    client, course_loaded, admin, trainer
):
    mark("c-pen-226-14", Verification.Outcome.MODIFIED, admin)
    flagged = set(
        ReviewFlag.objects.filter(item_kind=ItemKind.VERDICT).values_list("item_key", flat=True)
    )
    case = next(c for c in Case.objects.all() if c.expected_verdict in flagged)
    query = "?p=" + graph.path_encode([tuple(a) for a in case.answers])
    client.force_login(trainer)
    page = client.get(reverse("boussole:walk") + query).content.decode()
    assert NOTICE in page
    client.force_login(UserFactory(role="Stagiaire"))
    assert NOTICE not in client.get(reverse("boussole:walk") + query).content.decode()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext missing")
    pdf = client.get(reverse("boussole:fiche_pdf") + query).content
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Contenu en cours de révision" in text and "226-14" in text


def test_the_handout_says_content_under_review_until_reviewed(course_loaded, admin):
    from tests.factories import attested_session
    from training.documents import services as documents
    from training.documents.data import SessionData
    from training.documents.registry import KINDS

    session, _trainer, _trainees = attested_session(trainees=1)
    before, html = documents._inputs(KINDS["handout"], SessionData(session), None)
    assert NOTICE not in html
    assert re.search(r"Contenu\s*:\s*révision\s+\d+", html)  # the revision it is made from
    mark("c-pen-226-14", Verification.Outcome.MODIFIED, admin)
    flagged, html = documents._inputs(KINDS["handout"], SessionData(session), None)
    slides = ReviewFlag.objects.filter(item_kind=ItemKind.SLIDE).count()
    assert flagged != before
    assert html.count('class="slide-review"') == slides
    services.flags_resolve(reference=LegalReference.objects.get(key="c-pen-226-14"), by=admin)
    after, html = documents._inputs(KINDS["handout"], SessionData(session), None)
    assert NOTICE not in html and after == before


calls = []


def fake_action(*, verification, flags):
    calls.append((verification.reference.key, len(flags)))
    return f"ACTION-{verification.pk}"


def test_a_modified_text_opens_an_improvement_action_through_the_hook(
    course_loaded, admin, settings
):
    settings.LEGAL_WATCH_ACTION_HOOK = "tests.legalwatch.test_flags.fake_action"
    calls.clear()
    verification = mark("c-pen-226-14", Verification.Outcome.MODIFIED, admin)
    verification.refresh_from_db()
    assert verification.action_reference == f"ACTION-{verification.pk}"
    assert calls == [("c-pen-226-14", verification.flags.count())]
    mark("c-pen-226-13", Verification.Outcome.UNCHANGED, admin)
    assert len(calls) == 1


def test_the_presenter_view_marks_the_slides_under_review(client, course_loaded, admin, trainer):
    mark("c-pen-226-14", Verification.Outcome.MODIFIED, admin)
    flags = ReviewFlag.objects.filter(item_kind=ItemKind.SLIDE)
    module_slug = flags.first().item_key.split("/")[0]
    count = sum(1 for f in flags if f.item_key.startswith(f"{module_slug}/"))
    client.force_login(trainer)
    page = client.get(reverse("modules:slides_presenter", args=[module_slug])).content.decode()
    assert page.count('class="notes-review"') == count


def test_by_default_a_modified_text_opens_an_improvement_action_of_the_quality_feature(
    course_loaded, admin
):
    from training.quality.models import ImprovementAction

    verification = mark("c-pen-226-14", Verification.Outcome.MODIFIED, admin)
    verification.refresh_from_db()
    action = ImprovementAction.objects.get()
    assert action.source == ImprovementAction.Source.LEGAL_WATCH
    assert action.owner == admin and action.status == ImprovementAction.Status.PLANNED
    assert "226-14" in action.title
    assert f"{verification.flags.count()} éléments du cours citent ce texte" in action.description
    assert verification.action_reference == f"n° {action.pk}"
    mark("c-pen-226-13", Verification.Outcome.UNCHANGED, admin)
    assert ImprovementAction.objects.count() == 1


def test_the_quick_check_for_open_flags_agrees_with_the_flags(course_loaded, admin):
    """``open_flags_exist`` (plain SQL, sent by pages before reading flags) answers as the ORM
    does: per kind and key prefix, only open flags, ``%`` and ``_`` in a prefix taken as text."""
    from training.legalwatch.selectors import open_flags_exist

    assert not ReviewFlag.objects.open().exists()
    assert not open_flags_exist(kind=ItemKind.QUESTION)
    mark("c-pen-226-14", Verification.Outcome.MODIFIED, admin)
    flagged = ReviewFlag.objects.open()
    question = flagged.filter(item_kind=ItemKind.QUESTION).first()
    quiz_slug = question.item_key.split("/", 1)[0]
    assert open_flags_exist(kind=ItemKind.QUESTION, prefix=f"{quiz_slug}/")
    assert open_flags_exist(kind="question")
    for kind, _label in ItemKind.choices:
        assert open_flags_exist(kind=kind) == flagged.filter(item_kind=kind).exists()
    assert not open_flags_exist(kind=ItemKind.QUESTION, prefix="%")
    assert not open_flags_exist(kind=ItemKind.QUESTION, prefix=quiz_slug.replace("-", "_"))
    assert not open_flags_exist(kind=ItemKind.QUESTION, prefix="quiz-qui-n-existe-pas/")
    flagged.update(resolved_at=timezone.now())
    assert not open_flags_exist(kind=ItemKind.QUESTION, prefix=f"{quiz_slug}/")
