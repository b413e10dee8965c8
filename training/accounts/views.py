"""The user's own profile and the throttled password reset (login, logout and the other
password pages are Django's views, in ``urls``)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import UpdateView

from training.accounts import services
from training.accounts.auth import client_ip_address
from training.accounts.forms import ProfileForm


class ProfileView(LoginRequiredMixin, UpdateView):
    form_class = ProfileForm
    template_name = "training/profile_form.html"
    success_url = reverse_lazy("training:profile")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        messages.success(self.request, _("Your profile has been saved."))
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, throttled per client address and per email.

    Over a limit nothing is sent and the visitor lands on the same « email sent » page as
    anyone else: the answer never tells whether the account exists or the throttle applied.
    """

    def form_valid(self, form):
        if services.password_reset_allowed(
            email=form.cleaned_data["email"], ip_address=client_ip_address(self.request)
        ):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())
