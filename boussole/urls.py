from django.urls import path

from . import views

app_name = "boussole"

urlpatterns = [
    path("", views.home, name="home"),
    path("parcours/", views.walk, name="walk"),
    path("parcours/fiche.pdf", views.fiche_pdf, name="fiche_pdf"),
    path("cas/", views.case_list, name="case_list"),
    path("cas/<slug:slug>/", views.case_detail, name="case_detail"),
    path("cas/<slug:slug>/projection/", views.case_projection, name="case_projection"),
    path("plan/", views.outline, name="outline"),
]
