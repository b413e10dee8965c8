"""The site's URLs plus a bare « hello » view, the baseline of ``make bench`` (bench only)."""

import functools

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from training.access import permissions
from training.urls import urlpatterns as site_urlpatterns


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


def hello_user(request):
    """What every logged-in page pays before its own work: session, user and role."""
    return HttpResponse(f"hello {permissions.role_of(request.user)}", content_type="text/plain")


def layout_user(request):
    """The site's layout (base.html) around an empty page, for a logged-in user."""
    return HttpResponse(_layout().render({}, request))


@functools.cache
def _layout():
    return engines["django"].from_string('{% extends "base.html" %}')


urlpatterns = [
    path("bench/hello/", hello, name="bench_hello"),
    path("bench/hello-user/", hello_user, name="bench_hello_user"),
    path("bench/layout-user/", layout_user, name="bench_layout_user"),
    *site_urlpatterns,
]
