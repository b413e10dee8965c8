"""Proof pack URLs, included in the ``training`` namespace by training/urls.py; the build's
page, status and download are the bundles' (training/documents/urls.py)."""

from django.urls import path

from training.proofs import views

urlpatterns = [
    path("sessions/<int:pk>/preuves/", views.session_proofs, name="session_proofs"),
    path(
        "sessions/<int:pk>/preuves/constituer/",
        views.session_proofs_start,
        name="session_proofs_start",
    ),
]
