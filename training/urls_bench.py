"""The site's URLs plus a bare « hello » view, the baseline of ``make bench`` (bench only)."""

from django.http import HttpResponse
from django.urls import path

from training.urls import urlpatterns as site_urlpatterns


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *site_urlpatterns]
