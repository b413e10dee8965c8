"""The site's URLs plus one view with a bug (it reads a table that does not exist)."""

from django.db import connection
from django.urls import path

from training.urls import handler500
from training.urls import urlpatterns as site_urlpatterns


def broken(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table_at_all")
    raise AssertionError("unreachable")


urlpatterns = [*site_urlpatterns, path("panne/", broken)]
__all__ = ["handler500", "urlpatterns"]
