"""Long work in the background: a ``Job`` row for staff, a task in Django's queue for a worker.

A sending job is enqueued as a few parallel *lanes* of the same task: each lane drains the
job's deliveries through the claim in ``delivery``, so two workers split a 10,000-household
reminder between them and neither sends a row the other holds. When rows are still waiting
(quiet hours, a retry's back-off, tomorrow's daily limit), the last lane re-enqueues the job
for the moment the first of them may go.
"""

import os
import socket
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from ..models import Delivery, DeliveryStatus, Job, JobKind, JobStatus

LANE_SIZE = 500
MAX_LANES = 4


def worker_id() -> str:
    """Names the machine and process in each claim, so a stuck row says who held it."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"


def lanes_for(total: int) -> int:
    return max(1, min(MAX_LANES, -(-total // LANE_SIZE)))


def start_job(job: Job, *, run_after: datetime | None = None) -> None:
    """Enqueue the job's task(s); call inside the transaction that created the job."""
    from ..tasks import make_letters, make_notices, send_job

    task = {JobKind.SEND: send_job, JobKind.NOTICES: make_notices, JobKind.LETTERS: make_letters}[job.kind]
    if run_after is not None:
        task = task.using(run_after=run_after)
    lanes = lanes_for(job.total) if job.kind == JobKind.SEND else 1
    results = [task.enqueue(job.pk) for _lane in range(lanes)]
    Job.objects.filter(pk=job.pk).update(task_id=str(results[0].id)[:64])


def refresh_progress(job: Job) -> Job:
    """Count the job's deliveries that are settled, in one query, and store it."""
    counts = Delivery.objects.filter(message__job=job).aggregate(
        done=Count("pk", filter=Q(status__in=[DeliveryStatus.SENT, DeliveryStatus.FAILED])),
        failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
        open=Count("pk", filter=Q(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING])),
    )
    job.done = min(counts["done"], job.total)
    job.failed = counts["failed"]
    Job.objects.filter(pk=job.pk).update(done=job.done, failed=job.failed)
    job.open = counts["open"]
    return job


def run_send_job(job_id: int, *, now_func=timezone.now) -> Job:
    """One lane of a sending job: drain, record progress, and come back later if rows wait."""
    from . import delivery

    job = Job.objects.get(pk=job_id)
    if job.status in (JobStatus.DONE, JobStatus.FAILED):
        return job
    Job.objects.filter(pk=job.pk, started_at__isnull=True).update(started_at=now_func())
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    message_ids = list(job.messages.values_list("pk", flat=True))
    worker = worker_id()
    delivery.drain(worker=worker, message_ids=message_ids, now_func=now_func, on_batch=lambda: refresh_progress(job))
    refresh_progress(job)
    if job.open:
        when = delivery.next_due(message_ids)
        # Several lanes may get here; each re-enqueues one lane, which is harmless: a lane
        # with nothing due ends at once.
        if when is not None and when > now_func():
            Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
            start_job_lane(job, when)
        return job
    Job.objects.filter(pk=job.pk).exclude(status=JobStatus.DONE).update(status=JobStatus.DONE, finished_at=now_func())
    job.refresh_from_db()
    return job


def start_job_lane(job: Job, when: datetime) -> None:
    from ..tasks import send_job

    send_job.using(run_after=when).enqueue(job.pk)


def job_file_path(job: Job):
    return settings.JOB_FILES_ROOT / job.file_name


def fail_job(job_id: int, error: str) -> None:
    Job.objects.filter(pk=job_id).update(status=JobStatus.FAILED, error=error[:300], finished_at=timezone.now())
