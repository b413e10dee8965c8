"""BPF URLs (administrators), included in the ``training`` namespace by training/urls.py."""

from django.urls import path

from training.bpf import views

urlpatterns = [
    path("administration/bpf/", views.bpf, name="bpf"),
    path("administration/bpf/<int:year>.<slug:extension>", views.bpf_export, name="bpf_export"),
    path(
        "administration/bpf/inscriptions/<int:pk>/",
        views.bpf_enrolment_edit,
        name="bpf_enrolment_edit",
    ),
]
