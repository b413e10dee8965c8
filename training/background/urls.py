"""Background work URLs, included in the ``training`` namespace by training/urls.py."""

from django.urls import path

from training.background import views

urlpatterns = [
    path("administration/taches/", views.task_failures, name="task_failures"),
]
