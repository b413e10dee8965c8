"""Who may read survey results and publish comments (named predicates)."""

from training.access import permissions
from training.surveys.models import Questionnaire


def can_read_survey_results(user) -> bool:
    """Return whether the user reads survey results (trainers: their sessions, aggregated)."""
    return permissions.can_run_sessions(user)


def can_moderate_comments(user) -> bool:
    """Return whether the user publishes or hides free-text comments (administrators)."""
    return permissions.can_administer(user)


def questionnaire_kinds_readable(user) -> list[str]:
    """Return the kinds of questionnaire whose results the user reads.

    Trainers read the trainees' and the employers' questionnaires; the trainers' own
    appreciations of their sessions are read by the administrators.
    """
    if permissions.can_administer(user):
        return [k.value for k in Questionnaire.Kind]
    if permissions.can_run_sessions(user):
        return [k.value for k in Questionnaire.Kind if k != Questionnaire.Kind.TRAINER]
    return []
