"""Reads of background work: the failed tasks and deliveries for the administrators' page."""

from __future__ import annotations

from training.background.models import EmailDelivery, TaskFailure


def failures_recent(*, limit: int = 200) -> list[TaskFailure]:
    return list(TaskFailure.objects.all()[:limit])


def deliveries_failed(*, limit: int = 200) -> list[EmailDelivery]:
    return list(
        EmailDelivery.objects.filter(status=EmailDelivery.Status.FAILED)
        .select_related("recipient", "session")
        .order_by("-created_at")[:limit]
    )
