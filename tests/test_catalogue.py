"""French plurals: counts go through ngettext, and the catalogue check enforces it."""

import importlib.util
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from tests.factories import attendance_session

ROOT = Path(__file__).resolve().parent.parent


def _check_module():
    spec = importlib.util.spec_from_file_location(
        "check_catalogue", ROOT / "scripts" / "check_catalogue.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n'


def test_the_catalogue_check_refuses_a_plural_entry_without_its_second_french_form():
    check = _check_module()
    text = (
        HEADER
        + '\n#, python-format\nmsgid "%(n)s answer"\nmsgid_plural "%(n)s answers"\n'
        + 'msgstr[0] "%(n)s réponse"\nmsgstr[1] ""\n'
    )
    assert check.plural_problems(text) == ["plural form missing: %(n)s answer"]


def test_the_catalogue_check_refuses_a_count_before_a_plural_word_outside_ngettext():
    check = _check_module()
    text = (
        HEADER
        + '\n#, python-format\nmsgid "%(count)s present out of %(total)s"\n'
        + 'msgstr "%(count)s présents sur %(total)s"\n'
        + '\n#, python-format\nmsgid "Step %(number)s of the path"\nmsgstr "Étape %(number)s après"\n'
    )
    problems = check.plural_problems(text)
    assert len(problems) == 1 and problems[0].startswith("count without ngettext: %(count)s")


def test_the_catalogue_check_wants_the_french_plural_rule_in_the_header():
    check = _check_module()
    assert check.plural_problems('msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1;\\n"\n')


def test_the_real_catalogue_has_every_french_plural_form():
    check = _check_module()
    assert check.plural_problems(check.PO.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("singular", "plural", "values", "one", "two"),
    [
        (
            "%(counter)s attendee out of %(total)s",
            "%(counter)s attendees out of %(total)s",
            {"total": 3},
            "1 présent sur 3",
            "2 présents sur 3",
        ),
        (
            "%(attested)s half-day attested out of %(total)s.",
            "%(attested)s half-days attested out of %(total)s.",
            {"total": 4},
            "1 demi-journée attestée sur 4.",
            "2 demi-journées attestées sur 4.",
        ),
        (
            "Step %(number)s · %(left)s answer left",
            "Step %(number)s · %(left)s answers left",
            {"number": 5},
            "Étape 5 · encore 1 réponse",
            "Étape 5 · encore 2 réponses",
        ),
        (
            "%(read)s lesson read out of %(total)s",
            "%(read)s lessons read out of %(total)s",
            {"total": 9},
            "1 leçon lue sur 9",
            "2 leçons lues sur 9",
        ),
    ],
)
def test_counts_agree_in_french(singular, plural, values, one, two):
    key = {
        "%(counter)s": "counter",
        "%(attested)s": "attested",
        "%(left)s": "left",
        "%(read)s": "read",
    }
    name = next(v for k, v in key.items() if k in singular)
    with translation.override("fr"):
        assert ngettext(singular, plural, 1) % {**values, name: 1} == one
        assert ngettext(singular, plural, 2) % {**values, name: 2} == two


@pytest.mark.django_db
def test_the_attendance_tab_says_one_attendee_in_the_singular(client):
    from training.attendance import services

    session, slot, trainer, people = attendance_session(trainees=3, open_slot=True)
    services.status_mark(
        slot=slot, trainee=people[0], status="retard", reason="Train", author=trainer
    )
    client.force_login(trainer)
    html = client.get(reverse("training:attendance_session", args=[session.pk])).content.decode()
    assert "1 présent sur 3" in html
    assert "1 présents" not in html


def test_the_catalogue_check_refuses_a_string_two_parts_translate_differently():
    legal = 'msgid "outcome"\nmsgstr "résultat"\n'
    quality = 'msgid "outcome"\nmsgstr "résultat obtenu"\n'
    check_catalogue = _check_module()
    problems = check_catalogue.part_conflicts({"legalwatch.po": legal, "quality.po": quality})
    assert problems == [
        "translated twice: 'outcome' is « résultat » in legalwatch.po but « résultat obtenu » "
        "in quality.po"
    ]
    with_context = 'msgctxt "improvement action"\n' + quality
    assert check_catalogue.part_conflicts({"a.po": legal, "b.po": with_context}) == []
    assert check_catalogue.part_conflicts({"a.po": legal, "b.po": legal}) == []


def test_no_two_parts_of_the_real_catalogue_translate_a_string_differently():
    parts = {p.name: p.read_text() for p in (ROOT / "locale" / "parts").glob("*.po")}
    assert _check_module().part_conflicts(parts) == []
