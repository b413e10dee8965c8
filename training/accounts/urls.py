"""Account URLs: Django's login, logout and password views (names without a namespace, as
Django's own templates and settings expect them) and the profile (``training:profile``)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from training.accounts import views
from training.accounts.forms import EmailAuthenticationForm, QueuedPasswordResetForm

urlpatterns = [
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
        "comptes/reinitialisation/",
        views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
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
]

# Included in the ``training`` namespace.
training_urlpatterns = [
    path("profil/", views.ProfileView.as_view(), name="profile"),
]
