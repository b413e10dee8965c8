"""Content versions: a load that changes something records a revision (what changed, per
module, and the source files' fingerprints); trainees see « Contenu à jour au … » and the
history; the handout prints the revision it was made from."""

import datetime
import hashlib
import shutil
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from modules.models import Lesson, Module
from tests.factories import UserFactory
from training.content import selectors
from training.content.loader import content_load
from training.content.models import ContentRevision
from training.legalwatch.models import LegalReference
from training.legalwatch.services import verification_record

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
PARIS = datetime.timezone(datetime.timedelta(hours=1))


@pytest.fixture
def content(tmp_path):
    base = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, base)
    return base


def edit_first_lesson_of_module_5(base: Path) -> Lesson:
    lesson = Lesson.objects.filter(module__number=5).order_by("order").first()
    path = next((base / "course/05-consequences-juridiques").glob("01-*.md"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## Un délit, une peine", "## Un délit, une peine encourue", 1))
    return lesson


def test_a_load_that_changes_a_lesson_records_a_revision_of_its_module(course_loaded, content):
    before = selectors.content_revision_current()
    lesson = edit_first_lesson_of_module_5(content)
    report = content_load(base=content)
    revision = report.revision
    assert revision.number == before.number + 1
    assert selectors.content_revision_current() == revision
    assert revision.changes["modules"] == {
        "consequences-juridiques": {"lessons": {"updated": [lesson.title]}}
    }
    assert revision.totals == {"created": 0, "updated": 1, "removed": 0}
    path = next(p for p in revision.fingerprints if p.startswith("course/05") and "/01-" in p)
    assert revision.fingerprints[path] == hashlib.sha256((content / path).read_bytes()).hexdigest()
    assert revision.fingerprint != before.fingerprint


def test_a_load_that_changes_nothing_records_nothing(course_loaded):
    count = ContentRevision.objects.count()
    assert content_load().revision is None
    assert ContentRevision.objects.count() == count


def test_glossary_changes_belong_to_the_course_not_to_a_module(course_loaded, content):
    glossary = content / "glossary.yaml"
    glossary.write_text(
        glossary.read_text().replace("Commission nationale", "La Commission nationale", 1)
    )
    revision = content_load(base=content).revision
    assert revision.changes["modules"] == {}
    assert revision.changes["course"] == {"glossary": {"updated": ["CNIL"]}}


def test_trainees_see_the_update_date_and_the_history_of_a_module(client, course_loaded, content):
    module = Module.objects.get(number=5)
    lesson = edit_first_lesson_of_module_5(content)
    later = datetime.datetime(2027, 3, 15, 9, 0, tzinfo=PARIS)
    with time_machine.travel(later, tick=False):
        content_load(base=content)
        verification_record(
            reference=LegalReference.objects.get(key="c-pen-226-13"),
            checked_on=later.date(),
            checked_by=UserFactory(role="Administrateur"),
            source_consulted="Légifrance",
            outcome="unchanged",
        )
    client.force_login(UserFactory(role="Stagiaire"))
    page = client.get(module.get_absolute_url()).content.decode()
    assert "Contenu à jour au 15 mars 2027." in page
    assert "Historique des mises à jour" in page
    assert "1 leçon mise à jour" in page and lesson.title.replace("'", "&#x27;") in page
    assert "texte vérifié : art. 226-13 C. pén., inchangé" in page
    # Another module did not change: its date stays the first publication's.
    other = client.get(Module.objects.get(number=1).get_absolute_url()).content.decode()
    assert "Contenu à jour au 15 mars 2027." not in other
    first = timezone.localdate(ContentRevision.objects.order_by("number").first().created_at)
    assert "contenu publié" in other and str(first.year) in other


def test_the_module_page_reads_the_history_in_a_constant_number_of_queries(
    client, course_loaded, content, django_assert_max_num_queries
):
    client.force_login(UserFactory(role="Stagiaire"))
    module = Module.objects.get(number=5)
    client.get(module.get_absolute_url())
    with django_assert_max_num_queries(16) as small:
        client.get(module.get_absolute_url())
    for _ in range(3):
        edit_first_lesson_of_module_5(content)
        (content / "course/05-consequences-juridiques").joinpath("trainer-notes.md").write_text(
            f"## Déroulé et timing\n\nVersion {_}.\n"
        )
        content_load(base=content)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(module.get_absolute_url())


def test_the_handout_prints_the_revision_it_was_made_from(course_loaded, content):
    from tests.factories import attested_session
    from training.documents import services as documents
    from training.documents.data import SessionData
    from training.documents.registry import KINDS

    session, _trainer, _trainees = attested_session(trainees=1)
    current = selectors.content_revision_current()
    fingerprint, html = documents._inputs(KINDS["handout"], SessionData(session), None)
    assert f"révision {current.number} du" in html and current.fingerprint in html
    edit_first_lesson_of_module_5(content)
    revision = content_load(base=content).revision
    changed, html = documents._inputs(KINDS["handout"], SessionData(session), None)
    assert f"révision {revision.number} du" in html and changed != fingerprint
