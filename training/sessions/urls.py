"""Session URLs (scheduling, trainees, resources, results, calendars), in the ``training``
namespace."""

from django.urls import path

from training.sessions import views

urlpatterns = [
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/toutes/", views.session_admin_list, name="session_admin_list"),
    path("sessions/nouvelle/", views.session_create, name="session_create"),
    path("sessions/calendrier/", views.session_calendar, name="session_calendar"),
    path(
        "sessions/calendrier/<int:year>/<int:month>/",
        views.session_calendar,
        name="session_calendar_month",
    ),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/modifier/", views.session_update, name="session_update"),
    path("sessions/<int:pk>/dupliquer/", views.session_duplicate, name="session_duplicate"),
    path("sessions/<int:pk>/annuler/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/calendrier.ics", views.session_ics, name="session_ics"),
    path(
        "sessions/<int:pk>/creneaux/<int:slot_pk>/",
        views.slot_update,
        name="slot_update",
    ),
    path("sessions/<int:pk>/stagiaires/", views.session_trainees, name="session_trainees"),
    path(
        "sessions/<int:pk>/stagiaires/ajouter/",
        views.enrolment_create,
        name="enrolment_create",
    ),
    path(
        "sessions/<int:pk>/stagiaires/importer/",
        views.enrolment_import,
        name="enrolment_import",
    ),
    path(
        "sessions/<int:pk>/stagiaires/<int:enrolment_pk>/retirer/",
        views.enrolment_remove,
        name="enrolment_remove",
    ),
    path(
        "sessions/<int:pk>/stagiaires/<int:enrolment_pk>/convocation/",
        views.convocation_resend,
        name="convocation_resend",
    ),
    path(
        "sessions/<int:pk>/stagiaires/convocations/",
        views.convocations_resend,
        name="convocations_resend",
    ),
    path("sessions/<int:pk>/resultats/", views.session_results, name="session_results"),
    path("sessions/<int:pk>/ressources/", views.session_resources, name="session_resources"),
    path(
        "sessions/<int:pk>/ressources/ajouter/",
        views.session_resource_create,
        name="session_resource_create",
    ),
    path(
        "sessions/<int:pk>/ressources/<int:resource_pk>/supprimer/",
        views.session_resource_delete,
        name="session_resource_delete",
    ),
    # Calendar feed
    path("calendrier/abonnement/", views.calendar_feed, name="calendar_feed"),
    path(
        "calendrier/abonnement/regenerer/",
        views.calendar_token_regenerate,
        name="calendar_token_regenerate",
    ),
    path(
        "calendrier/flux/<slug:token>.ics",
        views.calendar_feed_ics,
        name="calendar_feed_ics",
    ),
]
