"""Signal receivers: what changes whose results a trainer sees, or the names on them, retires
the cached quiz results pages (``quizzes.services.results_changed``).

A trainer's scope is the trainees enrolled in the sessions they run, an administrator's every
trainee (the « Stagiaire » group): enrolments, a session's trainers and a user's groups change
them; the table shows each trainee's name and organisation. Connected by
``TrainingConfig.ready()``.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from quizzes.services import results_changed
from training.accounts.models import User
from training.sessions.models import Enrolment, TrainingSession

# The user's fields a results page shows or sorts by (a login only changes last_login).
SHOWN_FIELDS = {"first_name", "last_name", "email", "organisation", "is_active"}


def _changed(**kwargs) -> None:
    results_changed()


def _user_saved(update_fields=None, **kwargs) -> None:
    if update_fields is None or SHOWN_FIELDS & set(update_fields):
        results_changed()


def receivers_connect() -> None:
    """Connect the receivers (once: dispatch_uid)."""
    post_save.connect(_changed, sender=Enrolment, dispatch_uid="results_enrolment_saved")
    post_delete.connect(_changed, sender=Enrolment, dispatch_uid="results_enrolment_deleted")
    m2m_changed.connect(
        _changed, sender=TrainingSession.trainers.through, dispatch_uid="results_trainers"
    )
    m2m_changed.connect(_changed, sender=User.groups.through, dispatch_uid="results_groups")
    post_save.connect(_user_saved, sender=User, dispatch_uid="results_user_saved")
    post_delete.connect(_changed, sender=User, dispatch_uid="results_user_deleted")
