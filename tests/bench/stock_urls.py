"""The stock project's one page (``make bench`` only): a logged-in « hello »."""

from django.http import HttpResponse
from django.urls import path


def stock_user(request):
    """Load the session and the user, render nothing: a stock Django logged-in floor."""
    return HttpResponse(f"hello {request.user.get_username()}", content_type="text/plain")


urlpatterns = [path("bench/stock-user/", stock_user, name="bench_stock_user")]
