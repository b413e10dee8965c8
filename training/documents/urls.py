"""Document URLs, included in the ``training`` namespace by training/urls.py."""

from django.urls import path

from training.documents import views

urlpatterns = [
    path(
        "sessions/<int:pk>/emargement/feuille-vierge.pdf",
        views.attendance_blank_pdf,
        name="attendance_blank_pdf",
    ),
    path("sessions/<int:pk>/documents/", views.session_documents, name="session_documents"),
    path(
        "sessions/<int:pk>/documents/<slug:kind>.pdf",
        views.session_document,
        name="session_document",
    ),
    path(
        "sessions/<int:pk>/documents/<slug:kind>/<int:trainee_pk>.pdf",
        views.session_trainee_document,
        name="session_trainee_document",
    ),
    path(
        "sessions/<int:pk>/documents/archive-<slug:which>/",
        views.session_bundle_start,
        name="session_bundle_start",
    ),
    path(
        "sessions/<int:pk>/documents/archives/<int:bundle_pk>/",
        views.session_bundle,
        name="session_bundle",
    ),
    path(
        "sessions/<int:pk>/documents/archives/<int:bundle_pk>/etat/",
        views.session_bundle_status,
        name="session_bundle_status",
    ),
    path(
        "sessions/<int:pk>/documents/archives/<int:bundle_pk>/archive.zip",
        views.session_bundle_download,
        name="session_bundle_download",
    ),
    path("mes-documents/<int:pk>/<slug:kind>.pdf", views.my_document, name="my_document"),
]
