"""Signal receivers that retire cached pages. Connected by ``TrainingConfig.ready()``.

- The quiz results pages (``quizzes.services.results_changed``): a trainer's scope is the
  trainees enrolled in the sessions they run, an administrator's every trainee (the
  « Stagiaire » group): enrolments, a session's trainers and a user's groups change them; the
  table shows each trainee's name and organisation.
- The sessions' programmes (``services.programme_changed``): a session, its half-days and
  their modules, its trainers and their names, the course's modules.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from modules.receivers import CONTENT_MODELS
from quizzes.services import results_changed
from training.accounts.models import User
from training.sessions.models import Enrolment, Slot, TrainingSession
from training.sessions.services import programme_changed

# The user's fields a results page shows or sorts by (a login only changes last_login).
SHOWN_FIELDS = {"first_name", "last_name", "email", "organisation", "is_active"}


def _changed(**kwargs) -> None:
    results_changed()


def _user_saved(update_fields=None, **kwargs) -> None:
    if update_fields is None or SHOWN_FIELDS & set(update_fields):
        results_changed()
        programme_changed()


def _programme_changed(**kwargs) -> None:
    programme_changed()


def _user_deleted(**kwargs) -> None:
    results_changed()
    programme_changed()


def receivers_connect() -> None:
    """Connect the receivers (once: dispatch_uid)."""
    post_save.connect(_changed, sender=Enrolment, dispatch_uid="results_enrolment_saved")
    post_delete.connect(_changed, sender=Enrolment, dispatch_uid="results_enrolment_deleted")
    m2m_changed.connect(
        _changed, sender=TrainingSession.trainers.through, dispatch_uid="results_trainers"
    )
    m2m_changed.connect(_changed, sender=User.groups.through, dispatch_uid="results_groups")
    post_save.connect(_user_saved, sender=User, dispatch_uid="cached_user_saved")
    post_delete.connect(_user_deleted, sender=User, dispatch_uid="cached_user_deleted")
    for model in (TrainingSession, Slot, *CONTENT_MODELS):
        name = f"{model._meta.app_label}_{model._meta.model_name}"
        post_save.connect(_programme_changed, sender=model, dispatch_uid=f"programme_{name}")
        post_delete.connect(
            _programme_changed, sender=model, dispatch_uid=f"programme_{name}_deleted"
        )
    for through in (TrainingSession.trainers.through, Slot.modules.through):
        m2m_changed.connect(
            _programme_changed, sender=through, dispatch_uid=f"programme_{through._meta.model_name}"
        )
