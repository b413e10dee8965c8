from django.urls import path

from modules import views

app_name = "modules"

urlpatterns = [
    path("cours/", views.course_detail, name="course_detail"),
    path("cours/ressources/", views.resource_list, name="resource_list"),
    path("cours/<slug:slug>/", views.module_detail, name="module_detail"),
    path("cours/<slug:module_slug>/<slug:slug>/", views.lesson_detail, name="lesson_detail"),
    path(
        "cours/<slug:module_slug>/<slug:slug>/lu/", views.lesson_mark_read, name="lesson_mark_read"
    ),
    path("glossaire/", views.glossary, name="glossary"),
    path("diaporama/<slug:slug>/", views.slides_present, name="slides_present"),
    path(
        "diaporama/<slug:slug>/presentateur/",
        views.slides_presenter,
        name="slides_presenter",
    ),
]
