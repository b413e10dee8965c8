"""Background work of documents: building a session's bundle (ZIP) in the worker.

The worker may print the missing PDFs on ``WORKER_PDF_PROCESSES`` forked printers: it is a
long-lived process of its own, single-threaded (its scheduler is a separate process), so
forking it is safe; a process serving a request never forks.
"""

from __future__ import annotations

import datetime

from django.conf import settings

from core.tasks import task


@task()
def bundle_build(bundle_id: int) -> str:
    """Build the ZIP of one ``DocumentBundle`` (see services.bundle_build)."""
    from training.documents.services import bundle_build as build

    return build(bundle_id=bundle_id, processes=settings.WORKER_PDF_PROCESSES)


def bundle_enqueue(*, bundle_id: int, run_after: datetime.datetime | None = None) -> None:
    task_ = bundle_build.using(run_after=run_after) if run_after is not None else bundle_build
    task_.enqueue(bundle_id)
