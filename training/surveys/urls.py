"""Survey URLs, in the ``training`` namespace."""

from django.urls import path

from training.surveys import views

urlpatterns = [
    path("questionnaire/<str:token>/", views.survey_answer, name="survey_answer"),
    path("questionnaires/<int:pk>/", views.survey_answer_mine, name="survey_answer_mine"),
    path(
        "questionnaires/ouvrir/<int:session_pk>/<slug:kind>/",
        views.survey_open,
        name="survey_open",
    ),
    path("sessions/<int:pk>/satisfaction/", views.session_surveys, name="session_surveys"),
    path(
        "sessions/<int:pk>/satisfaction/commanditaire/",
        views.sponsor_invite,
        name="sponsor_invite",
    ),
    path(
        "sessions/<int:pk>/satisfaction/delai/",
        views.session_survey_settings,
        name="session_survey_settings",
    ),
    path("satisfaction/resultats/", views.survey_results, name="survey_results"),
    path(
        "satisfaction/resultats/export.<str:fmt>",
        views.survey_results_export,
        name="survey_results_export",
    ),
    path("satisfaction/commentaires/", views.survey_comments, name="survey_comments"),
    path(
        "satisfaction/commentaires/<uuid:pk>/",
        views.survey_comment_moderate,
        name="survey_comment_moderate",
    ),
]
