"""Public pages and the dashboard, in the ``training`` namespace (``home`` has none)."""

from django.urls import path

from training.pages import views

urlpatterns = [
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
]
