"""Attendance URLs, included in the ``training`` namespace by training/urls.py."""

from django.urls import path

from training.attendance import views

urlpatterns = [
    path("sessions/<int:pk>/emargement/", views.attendance_session, name="attendance_session"),
    path(
        "sessions/<int:pk>/emargement/<int:slot_pk>/ouvrir/",
        views.attendance_slot_open,
        name="attendance_slot_open",
    ),
    path(
        "sessions/<int:pk>/emargement/<int:slot_pk>/console/",
        views.attendance_console,
        name="attendance_console",
    ),
    path(
        "sessions/<int:pk>/emargement/<int:slot_pk>/projeter/",
        views.attendance_projection,
        name="attendance_projection",
    ),
    path(
        "sessions/<int:pk>/emargement/<int:slot_pk>/etat.json",
        views.attendance_console_state,
        name="attendance_console_state",
    ),
    path(
        "sessions/<int:pk>/emargement/<int:slot_pk>/qr.svg",
        views.attendance_qr,
        name="attendance_qr",
    ),
    path(
        "sessions/<int:pk>/emargement/<int:slot_pk>/statut/",
        views.attendance_status_mark,
        name="attendance_status_mark",
    ),
    path(
        "sessions/<int:pk>/emargement/<int:slot_pk>/papier/",
        views.attendance_paper,
        name="attendance_paper",
    ),
    path(
        "sessions/<int:pk>/emargement/<int:slot_pk>/cloturer/",
        views.attendance_slot_close,
        name="attendance_slot_close",
    ),
    path(
        "sessions/<int:pk>/emargement/signatures/<int:signature_pk>/corriger/",
        views.attendance_signature_correct,
        name="attendance_signature_correct",
    ),
    path(
        "sessions/<int:pk>/emargement/signatures/<int:signature_pk>/preuve/",
        views.attendance_evidence,
        name="attendance_evidence",
    ),
    path("emargement/", views.attendance_sign_home, name="attendance_sign_home"),
    path("emargement/<int:slot_pk>/signer/", views.attendance_sign, name="attendance_sign"),
    path(
        "emargement/<int:slot_pk>/essai/",
        views.attendance_rehearsal_sign,
        name="attendance_rehearsal_sign",
    ),
    path("emargement/exports/", views.attendance_export, name="attendance_export"),
]
