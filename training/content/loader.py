"""Load every content file (course, quizzes, boussole) in one transaction."""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from boussole.loader import boussole_apply, boussole_parse
from core.cache import version_bumps_deferred
from modules.loader import LoadReport, course_content_apply, course_content_parse
from modules.services import content_changed
from quizzes.loader import quiz_bank_apply, quiz_bank_parse
from quizzes.services import quizzes_changed

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


def content_load(*, base: Path = FIXTURES_DIR, dry_run: bool = False) -> LoadReport:
    """Validate all content files, then create or update the database; all or nothing.

    Raises ``modules.content.ContentError`` (file, line, reason) on the first malformed file;
    the database is then left exactly as it was.
    """
    report = LoadReport()
    parsed_course = course_content_parse(base)
    parsed_quizzes = quiz_bank_parse(
        base,
        objective_codes={o["code"] for o in parsed_course.objectives},
        module_slugs={m["slug"] for m in parsed_course.modules},
    )
    # The guide is optional so that small content trees (tests, drafts) load without it.
    boussole_path = base / "boussole.yaml"
    parsed_boussole = (
        boussole_parse(boussole_path, module_slugs={m["slug"] for m in parsed_course.modules})
        if boussole_path.exists()
        else None
    )
    with transaction.atomic():
        # The cached pages built from the content are retired once, at the end, not per row.
        with version_bumps_deferred():
            course = course_content_apply(parsed_course, report)
            quiz_bank_apply(parsed_quizzes, report, course=course)
            if parsed_boussole is not None:
                boussole_apply(parsed_boussole, report)
            content_changed()  # whatever the signals said
            quizzes_changed()
        if dry_run:
            transaction.set_rollback(True)
    return report
