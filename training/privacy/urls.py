"""URLs of the privacy pages, included inside the ``training`` namespace."""

from django.urls import path

from training import views_privacy

urlpatterns = [
    path("mes-donnees/", views_privacy.my_data, name="my_data"),
    path("mes-donnees/export.json", views_privacy.my_data_json, name="my_data_json"),
    path("mes-donnees/consulter/", views_privacy.my_data_html, name="my_data_html"),
    path(
        "mes-donnees/effacement/",
        views_privacy.erasure_request_create,
        name="erasure_request_create",
    ),
    path("administration/effacements/", views_privacy.erasure_list, name="erasure_list"),
    path(
        "administration/effacements/<int:pk>/",
        views_privacy.erasure_decide,
        name="erasure_decide",
    ),
    path("administration/journal/", views_privacy.audit_list, name="audit_list"),
    path("administration/journal/export.csv", views_privacy.audit_csv, name="audit_csv"),
]
