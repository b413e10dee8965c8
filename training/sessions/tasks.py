"""Background work of sessions: sending their emails (invitations, convocations, cancellation
notices), one delivery at a time, with retries. See training/background/services.py for what
« sent once » means."""

from __future__ import annotations

from collections import Counter

from core.tasks import task
from training.background.services import delivery_send, ids_chunks

# One task per this many emails: an import of 5,000 trainees is 50 tasks, not 5,000 rows to
# insert in the request that enqueues them.
BATCH = 100


@task()
def emails_send(delivery_ids: list[int]) -> dict[str, int]:
    """Send the queued emails ``delivery_ids``; a failed one is retried later on its own."""
    from training.sessions.emails import DeliveryMessages, delivery_sent

    build = DeliveryMessages()
    outcomes: Counter[str] = Counter()
    for delivery_id in delivery_ids:
        outcome = delivery_send(
            delivery_id=delivery_id, build=build, on_sent=delivery_sent, retry=_retry
        )
        outcomes[outcome.status] += 1
    return dict(outcomes)


def _retry(delivery_id: int, run_after) -> None:
    emails_send.using(run_after=run_after).enqueue([delivery_id])


def emails_enqueue(*, delivery_ids: list[int], run_after=None) -> None:
    """Hand queued deliveries to the worker (called once their rows are committed); with
    ``run_after``, not before that time."""
    task_ = emails_send.using(run_after=run_after) if run_after is not None else emails_send
    for chunk in ids_chunks(delivery_ids, BATCH):
        task_.enqueue(chunk)


def emails_requeue_lost(*, now=None) -> int:
    """Hand over again the emails queued for an hour with no attempt (their task was lost:
    the queue was unreachable when they were queued, or Redis was emptied). A duplicate task
    is harmless: a delivery is only ever sent from the « queued » state, row locked."""
    import datetime

    from django.db.models import Q
    from django.utils import timezone

    from training.background.models import EmailDelivery

    now = now or timezone.now()
    lost = now - datetime.timedelta(hours=1)
    queued = EmailDelivery.objects.filter(status=EmailDelivery.Status.QUEUED).filter(
        Q(next_attempt_at__isnull=True, created_at__lt=lost) | Q(next_attempt_at__lt=lost)
    )
    ids = list(queued.values_list("pk", flat=True)[:5000])
    if ids:
        EmailDelivery.objects.filter(pk__in=ids).update(next_attempt_at=now)
        emails_enqueue(delivery_ids=ids)
    return len(ids)
