"""Signal receivers of the quizzes: what changes a results page retires the cached ones.

Connected in ``QuizzesConfig.ready()``: a submitted (or deleted) attempt, and any change of a
quiz, a question or a choice (the item analysis shows their text). An attempt also retires
its user's cached standing at the quizzes (the dashboard's panel), a quiz's change everyone's. The training side adds
what changes a trainer's scope or the names on the table (``training.sessions.receivers``).
"""

from django.db.models.signals import post_delete, post_save

from quizzes import services
from quizzes.models import Attempt, Choice, Question, Quiz


def _quizzes_changed(**kwargs) -> None:
    services.quizzes_changed()


def _attempt_saved(instance, **kwargs) -> None:
    services.attempts_changed(user_id=instance.user_id)
    if instance.status == Attempt.Status.SUBMITTED:  # an attempt started changes no result
        services.results_changed()


def _attempt_deleted(instance, **kwargs) -> None:
    services.attempts_changed(user_id=instance.user_id)
    services.results_changed()


def receivers_connect() -> None:
    """Connect the receivers (once: dispatch_uid)."""
    post_save.connect(_attempt_saved, sender=Attempt, dispatch_uid="results_attempt_saved")
    post_delete.connect(_attempt_deleted, sender=Attempt, dispatch_uid="results_attempt_deleted")
    for model in (Quiz, Question, Choice):
        name = model._meta.model_name
        post_save.connect(_quizzes_changed, sender=model, dispatch_uid=f"results_{name}_saved")
        post_delete.connect(_quizzes_changed, sender=model, dispatch_uid=f"results_{name}_deleted")
