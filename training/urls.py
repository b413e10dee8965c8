"""Site URLs."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from training import views
from training.forms import EmailAuthenticationForm

admin.site.site_header = settings.ORGANISATION["name"]
admin.site.site_title = settings.ORGANISATION["name"]

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "comptes/connexion/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("comptes/deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("comptes/mot-de-passe/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "comptes/mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "comptes/reinitialisation/", auth_views.PasswordResetView.as_view(), name="password_reset"
    ),
    path(
        "comptes/reinitialisation/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "comptes/reinitialisation/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "comptes/reinitialisation/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("training.app_urls")),
    path("", include("modules.urls")),
    path("quiz/", include("quizzes.urls")),
    path("boussole/", include("boussole.urls")),
    path("langue/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
