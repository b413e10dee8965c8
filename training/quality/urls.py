"""Complaint and improvement-action URLs, in the ``training`` namespace."""

from django.urls import path

from training.quality import views

urlpatterns = [
    path("reclamation/", views.complaint_create, name="complaint_create"),
    path("reclamation/envoyee/", views.complaint_done, name="complaint_done"),
    path("qualite/reclamations/", views.complaint_list, name="complaint_list"),
    path("qualite/reclamations/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path(
        "qualite/reclamations/export.<str:fmt>",
        views.complaint_export,
        name="complaint_export",
    ),
    path("qualite/actions/", views.action_list, name="action_list"),
    path("qualite/actions/nouvelle/", views.action_create, name="action_create"),
    path("qualite/actions/<int:pk>/", views.action_update, name="action_update"),
    path("qualite/actions/export.<str:fmt>", views.action_export, name="action_export"),
]
