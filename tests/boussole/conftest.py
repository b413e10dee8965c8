import pytest

from boussole.loader import boussole_apply, boussole_parse
from boussole.models import Guide
from modules.models import Course, GlossaryTerm, Module
from modules.services import LoadReport, course_content_parse
from training.content import FIXTURES_DIR


@pytest.fixture
def guide(db):
    """The real guide and cases, with only the course rows they point to (modules, glossary).

    Loaded inside the test's transaction, so nothing leaks into other tests (loading the
    whole course takes seconds; this takes a fraction of one).
    """
    parsed = course_content_parse(FIXTURES_DIR)
    # Another test of this worker may have loaded the whole course (``course_loaded``, once per
    # session, committed): its rows are then already here.
    if not Course.objects.filter(slug=parsed.course["slug"]).exists():
        course = Course.objects.create(slug=parsed.course["slug"], title=parsed.course["title"])
        Module.objects.bulk_create(
            Module(course=course, number=m["number"], slug=m["slug"], title=m["title"])
            for m in parsed.modules
        )
        GlossaryTerm.objects.bulk_create(
            GlossaryTerm(slug=g["slug"], term=g["term"], definition_source=g["definition"])
            for g in parsed.glossary
        )
    modules = {m["slug"] for m in parsed.modules}
    boussole_apply(
        boussole_parse(FIXTURES_DIR / "boussole.yaml", module_slugs=modules), LoadReport()
    )
    return Guide.objects.get()
