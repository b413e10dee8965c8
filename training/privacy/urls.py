"""URLs of the privacy pages, included inside the ``training`` namespace."""

from django.urls import path

from training.privacy import views

urlpatterns = [
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/export.json", views.my_data_json, name="my_data_json"),
    path("mes-donnees/consulter/", views.my_data_html, name="my_data_html"),
    path(
        "mes-donnees/effacement/",
        views.erasure_request_create,
        name="erasure_request_create",
    ),
    path("administration/effacements/", views.erasure_list, name="erasure_list"),
    path(
        "administration/effacements/<int:pk>/",
        views.erasure_decide,
        name="erasure_decide",
    ),
    path("administration/journal/", views.audit_list, name="audit_list"),
    path("administration/journal/export.csv", views.audit_csv, name="audit_csv"),
]
