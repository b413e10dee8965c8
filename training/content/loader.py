"""Load every content file (course, quizzes, boussole, questionnaires, legal references) in one
transaction.

Everything is parsed and checked first (a malformed file, or a citation of a text the
registry of legal references does not hold, stops the load with its file and line); then the
database is updated, the citations indexed, the admins' edits kept (``guard.py``) and a
revision recorded when something changed.
"""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from boussole.loader import boussole_apply, boussole_parse
from core.cache import version_bumps_deferred
from modules.loader import LoadReport, course_content_apply, course_content_parse
from modules.services import content_changed
from quizzes.loader import quiz_bank_apply, quiz_bank_parse
from quizzes.services import quizzes_changed
from training.legalwatch.loader import citations_parse, legal_watch_apply, references_parse
from training.surveys.loader import questionnaires_apply, questionnaires_parse

from .guard import AdminEditGuard
from .services import revision_record

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


class AdminEditsKept(Exception):
    """``strict`` load refused: edits made in the admin would be kept (nothing changed)."""

    def __init__(self, guard: AdminEditGuard):
        super().__init__(f"{len(guard.kept)} edit(s) made in the admin")
        self.guard = guard


def content_load(
    *, base: Path = FIXTURES_DIR, dry_run: bool = False, force: bool = False, strict: bool = False
) -> LoadReport:
    """Validate all content files, then create or update the database; all or nothing.

    Raises ``modules.content.ContentError`` (file, line, reason) on the first malformed file;
    the database is then left exactly as it was. An edit made in the admin since the last
    load is kept (``report.guard.kept``) unless ``force``; with ``strict`` such an edit
    makes the whole load fail (``AdminEditsKept``) and nothing changes.
    """
    base = Path(base)
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
    parsed_surveys = questionnaires_parse(
        base,
        module_slugs={m["slug"] for m in parsed_course.modules},
        objective_codes={o["code"] for o in parsed_course.objectives},
    )
    registry = references_parse(base)
    citations = citations_parse(
        base,
        course=parsed_course,
        quizzes=parsed_quizzes,
        boussole=parsed_boussole,
        registry=registry,
    )
    with transaction.atomic():
        report.guard = AdminEditGuard.start(force=force)
        # The cached pages built from the content are retired once, at the end, not per row.
        with version_bumps_deferred():
            course = course_content_apply(parsed_course, report)
            quiz_bank_apply(parsed_quizzes, report, course=course)
            questionnaires_apply(parsed_surveys, report, course=course)
            if parsed_boussole is not None:
                boussole_apply(parsed_boussole, report)
            legal_watch_apply(registry, citations, report, base=base)
            content_changed()  # whatever the signals said
            quizzes_changed()
        if strict and report.guard.kept:
            raise AdminEditsKept(report.guard)
        report.guard.save()
        report.revision = revision_record(report=report, base=base)
        if dry_run:
            transaction.set_rollback(True)
    return report
