"""URLs of the legal watch, included inside the ``training`` namespace."""

from django.urls import path

from training.legalwatch import views

urlpatterns = [
    path("administration/veille-juridique/", views.legal_watch, name="legal_watch"),
    path(
        "administration/veille-juridique/journal.csv",
        views.legal_watch_csv,
        name="legal_watch_csv",
    ),
    path(
        "administration/veille-juridique/journal.pdf",
        views.legal_watch_pdf,
        name="legal_watch_pdf",
    ),
    path(
        "administration/veille-juridique/modifications-admin.patch",
        views.content_edits_patch,
        name="content_edits_patch",
    ),
    path(
        "administration/veille-juridique/a-revoir/<int:pk>/revu/",
        views.legal_flag_resolve,
        name="legal_flag_resolve",
    ),
    path(
        "administration/veille-juridique/<slug:key>/",
        views.legal_reference,
        name="legal_reference",
    ),
    path(
        "administration/veille-juridique/<slug:key>/revu/",
        views.legal_flags_resolve,
        name="legal_flags_resolve",
    ),
]
