"""The background tasks (Django's tasks API; a ``manage.py db_worker`` runs them).

Tasks take ids, never objects: the queue stores their arguments as JSON, and a task may run
on another machine minutes later."""

from django_tasks import task

from .services import jobs


@task()
def send_job(job_id: int) -> int:
    """Send a job's messages (one lane of it); returns how many are settled so far."""
    try:
        return jobs.run_send_job(job_id).done
    except Exception as error:
        jobs.fail_job(job_id, str(error))
        raise


@task()
def make_notices(job_id: int) -> str:
    """Render the printable stairwell notices of a job's message into one file to print."""
    from .notices import render_notice_job

    try:
        return render_notice_job(job_id)
    except Exception as error:
        jobs.fail_job(job_id, str(error))
        raise


@task()
def make_letters(job_id: int) -> str:
    """Issue a compound's household codes building by building and render their letters."""
    from .letters import render_letter_job

    try:
        return render_letter_job(job_id)
    except Exception as error:
        jobs.fail_job(job_id, str(error))
        raise
