from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import UpdateView

from modules import selectors as course_selectors
from training import permissions
from training.forms import ProfileForm
from training.mixins import role_required


def home(request):
    """The public programme page, from data administrators edit."""
    return render(request, "training/home.html", {"course": course_selectors.course_get()})


@role_required(lambda user: user.is_active)
def dashboard(request):
    """The landing page after login; its panels depend on the role."""
    course = course_selectors.course_get()
    context = {"course": course}
    if course is not None and permissions.can_follow_course(request.user):
        context["modules"] = course_selectors.modules_with_progress(
            user=request.user, course=course
        )
        context["progress"] = course_selectors.course_progress(user=request.user, course=course)
    return render(request, "training/dashboard.html", context)


class ProfileView(LoginRequiredMixin, UpdateView):
    form_class = ProfileForm
    template_name = "training/profile_form.html"
    success_url = reverse_lazy("training:profile")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        messages.success(self.request, _("Your profile has been saved."))
        return super().form_valid(form)


def legal_notice(request):
    return render(request, "training/legal_notice.html")


def privacy(request):
    return render(
        request,
        "training/privacy.html",
        {
            "evidence_years": settings.RETENTION_EVIDENCE_YEARS,
            "inactive_months": settings.RETENTION_INACTIVE_ACCOUNT_MONTHS,
            "login_months": settings.RETENTION_LOGIN_RECORDS_MONTHS,
        },
    )


def accessibility(request):
    return render(request, "training/accessibility.html")
