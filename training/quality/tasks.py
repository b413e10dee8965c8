"""Background work of complaints: the acknowledgement and the answer emails leave from the
task worker, never from the request (a mail server that is down does not fail a complaint)."""

from core.tasks import task


@task()
def complaint_acknowledge(complaint_id: int) -> bool:
    from training.quality.services import complaint_acknowledge as acknowledge

    return acknowledge(complaint_id=complaint_id)


@task()
def complaint_answer_send(complaint_id: int) -> bool:
    from training.quality.services import complaint_answer_send as send

    return send(complaint_id=complaint_id)
