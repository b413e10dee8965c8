"""The one import of Django's task framework.

The project runs on Django 5.2 with ``django-tasks``, the backport of Django 6's
``django.tasks``: moving to Django 6 means changing the imports of this file (and the backend
names in settings), nothing else. Every ``tasks.py`` of the project imports from here.
"""

from django_tasks import (
    DEFAULT_TASK_BACKEND_ALIAS,
    TaskResult,
    TaskResultStatus,
    default_task_backend,
    task,
    task_backends,
)
from django_tasks.exceptions import TaskResultDoesNotExist
from django_tasks.signals import task_finished

__all__ = [
    "DEFAULT_TASK_BACKEND_ALIAS",
    "TaskResult",
    "TaskResultDoesNotExist",
    "TaskResultStatus",
    "default_task_backend",
    "task",
    "task_backends",
    "task_finished",
]
