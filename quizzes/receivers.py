"""Signal receivers of the quizzes: what changes a results page retires the cached ones.

Connected in ``QuizzesConfig.ready()``: a submitted (or deleted) attempt, and any change of a
quiz, a question or a choice (the item analysis shows their text). The training side adds
what changes a trainer's scope or the names on the table (``training.sessions.receivers``).
"""

from django.db.models.signals import post_delete, post_save

from quizzes import services
from quizzes.models import Attempt, Choice, Question, Quiz


def _results_changed(**kwargs) -> None:
    services.results_changed()


def _attempt_saved(instance, **kwargs) -> None:
    if instance.status == Attempt.Status.SUBMITTED:  # an attempt started changes no result
        services.results_changed()


def receivers_connect() -> None:
    """Connect the receivers (once: dispatch_uid)."""
    post_save.connect(_attempt_saved, sender=Attempt, dispatch_uid="results_attempt_saved")
    post_delete.connect(_results_changed, sender=Attempt, dispatch_uid="results_attempt_deleted")
    for model in (Quiz, Question, Choice):
        name = model._meta.model_name
        post_save.connect(_results_changed, sender=model, dispatch_uid=f"results_{name}_saved")
        post_delete.connect(_results_changed, sender=model, dispatch_uid=f"results_{name}_deleted")
