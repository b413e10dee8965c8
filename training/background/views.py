"""The administrators' page of background work: is the queue moving, what failed for good."""

from django.shortcuts import render

from training.access import permissions
from training.access.mixins import role_required
from training.background import selectors
from training.background.health import queue_health


@role_required(permissions.can_administer)
def task_failures(request):
    """Tasks that failed after their retries, with their error, and the queue's health."""
    return render(
        request,
        "training/task_failures.html",
        {
            "health": queue_health(),
            "failures": selectors.failures_recent(),
            "deliveries": selectors.deliveries_failed(),
        },
    )
