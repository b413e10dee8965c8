"""Operations URLs, included in the ``training`` namespace by training/urls.py."""

from django.urls import path

from training.operations import views

urlpatterns = [
    path("sante/", views.health, name="health"),
]
