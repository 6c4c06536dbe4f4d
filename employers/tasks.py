"""Celery tasks of the member-company portal. They take ids, re-read rows, and are idempotent:
a list is validated or imported only from the status that expects it, an invitation e-mail is
sent only to an enrolment not yet stamped as invited, ranking upserts, and the feed sync makes
the clients' feeds agree with the opening as it is when the task runs."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="employers.tasks.import_job_validate", acks_late=True)
def import_job_validate_task(job_id: int) -> str:
    job = services.import_job_validate(job_id=job_id)
    return job.status if job else "missing"


@shared_task(name="employers.tasks.import_job_commit", acks_late=True)
def import_job_commit_task(job_id: int) -> str:
    job = services.import_job_commit(job_id=job_id)
    return job.status if job else "missing"


@shared_task(
    name="employers.tasks.enrolment_invitations_send",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def enrolment_invitations_send_task(enrolment_ids: list[int]) -> int:
    return services.enrolment_invitations_send(enrolment_ids=enrolment_ids)


@shared_task(name="employers.tasks.opening_rank", acks_late=True)
def opening_rank_task(opening_id: int) -> int:
    return services.opening_rank(opening_id=opening_id)


@shared_task(name="employers.tasks.client_openings_rank", acks_late=True)
def client_openings_rank_task(client_id: int) -> int:
    return services.client_openings_rank(client_id=client_id)


@shared_task(name="employers.tasks.openings_rank_open", acks_late=True)
def openings_rank_open_task() -> int:
    return services.openings_rank_open()


@shared_task(name="employers.tasks.opening_feed_sync", acks_late=True)
def opening_feed_sync_task(opening_id: int) -> bool:
    return services.opening_feed_sync(opening_id=opening_id)
