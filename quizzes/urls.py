from django.urls import path, register_converter

from quizzes import views


class ExportFormat:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormat, "export")

app_name = "quizzes"

# Fixed segments come before <slug>; the loader refuses quiz slugs that would shadow them.
urlpatterns = [
    path("", views.quiz_list, name="quiz_list"),
    path("mes-resultats/", views.my_results, name="my_results"),
    path("tentatives/<int:pk>/", views.attempt_take, name="attempt_take"),
    path("tentatives/<int:pk>/resultat/", views.attempt_result, name="attempt_result"),
    path("resultats/", views.results_index, name="results_index"),
    path("resultats/progression/", views.learning_gain, name="learning_gain"),
    path(
        "resultats/progression/export.<export:fmt>",
        views.learning_gain_export,
        name="learning_gain_export",
    ),
    path("resultats/<slug:slug>/", views.quiz_results, name="quiz_results"),
    path(
        "resultats/<slug:slug>/export.<export:fmt>",
        views.quiz_results_export,
        name="quiz_results_export",
    ),
    path("<slug:slug>/", views.quiz_detail, name="quiz_detail"),
    path("<slug:slug>/commencer/", views.attempt_start, name="attempt_start"),
]
