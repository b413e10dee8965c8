"""Signal receivers of the course: a change of its content retires the cached pages.

Connected in ``ModulesConfig.ready()``. Every save or deletion of a content model, through
the admin, the loader or anything else that sends Django's signals, calls
``services.content_changed``; a trainee's progress (``LessonProgress``) is not content: its
changes retire that trainee's cached progress only (``services.progress_changed``).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from modules import models, services

CONTENT_MODELS = (
    models.Course,
    models.CourseObjective,
    models.Module,
    models.Lesson,
    models.Slide,
    models.GlossaryTerm,
    models.Resource,
    models.TrainerNote,
)


def _content_changed(**kwargs) -> None:
    services.content_changed()


def _progress_changed(instance, **kwargs) -> None:
    services.progress_changed(user_id=instance.user_id)


def receivers_connect() -> None:
    """Connect the receivers (once: dispatch_uid)."""
    for model in CONTENT_MODELS:
        name = model._meta.model_name
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"content_saved_{name}")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"content_deleted_{name}")
    post_save.connect(
        _progress_changed, sender=models.LessonProgress, dispatch_uid="progress_saved"
    )
    post_delete.connect(
        _progress_changed, sender=models.LessonProgress, dispatch_uid="progress_deleted"
    )
    m2m_changed.connect(
        _content_changed,
        sender=models.Module.course_objectives.through,
        dispatch_uid="content_module_objectives",
    )
