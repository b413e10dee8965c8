from django.urls import include, path

from training import views, views_sessions

app_name = "training"

urlpatterns = [
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("profil/", views.ProfileView.as_view(), name="profile"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    # Sessions
    path("sessions/", views_sessions.session_list, name="session_list"),
    path("sessions/toutes/", views_sessions.session_admin_list, name="session_admin_list"),
    path("sessions/nouvelle/", views_sessions.session_create, name="session_create"),
    path("sessions/calendrier/", views_sessions.session_calendar, name="session_calendar"),
    path(
        "sessions/calendrier/<int:year>/<int:month>/",
        views_sessions.session_calendar,
        name="session_calendar_month",
    ),
    path("sessions/<int:pk>/", views_sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/modifier/", views_sessions.session_update, name="session_update"),
    path(
        "sessions/<int:pk>/dupliquer/", views_sessions.session_duplicate, name="session_duplicate"
    ),
    path("sessions/<int:pk>/annuler/", views_sessions.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/calendrier.ics", views_sessions.session_ics, name="session_ics"),
    path(
        "sessions/<int:pk>/creneaux/<int:slot_pk>/",
        views_sessions.slot_update,
        name="slot_update",
    ),
    path("sessions/<int:pk>/stagiaires/", views_sessions.session_trainees, name="session_trainees"),
    path(
        "sessions/<int:pk>/stagiaires/ajouter/",
        views_sessions.enrolment_create,
        name="enrolment_create",
    ),
    path(
        "sessions/<int:pk>/stagiaires/importer/",
        views_sessions.enrolment_import,
        name="enrolment_import",
    ),
    path(
        "sessions/<int:pk>/stagiaires/<int:enrolment_pk>/retirer/",
        views_sessions.enrolment_remove,
        name="enrolment_remove",
    ),
    path(
        "sessions/<int:pk>/stagiaires/<int:enrolment_pk>/convocation/",
        views_sessions.convocation_resend,
        name="convocation_resend",
    ),
    path("sessions/<int:pk>/resultats/", views_sessions.session_results, name="session_results"),
    path(
        "sessions/<int:pk>/ressources/", views_sessions.session_resources, name="session_resources"
    ),
    path(
        "sessions/<int:pk>/ressources/ajouter/",
        views_sessions.session_resource_create,
        name="session_resource_create",
    ),
    path(
        "sessions/<int:pk>/ressources/<int:resource_pk>/supprimer/",
        views_sessions.session_resource_delete,
        name="session_resource_delete",
    ),
    # Calendar feed
    path("calendrier/abonnement/", views_sessions.calendar_feed, name="calendar_feed"),
    path(
        "calendrier/abonnement/regenerer/",
        views_sessions.calendar_token_regenerate,
        name="calendar_token_regenerate",
    ),
    path(
        "calendrier/flux/<slug:token>.ics",
        views_sessions.calendar_feed_ics,
        name="calendar_feed_ics",
    ),
    path("", include("training.urls_attendance")),
    path("", include("training.documents.urls")),
    path("", include("training.privacy.urls")),
]
