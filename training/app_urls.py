from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("profil/", views.ProfileView.as_view(), name="profile"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
]
