"""Household code letters for a whole compound, as a background job.

Codes are issued building by building, each building in its own transaction, and its letters
appended to the job's file at once, so the progress staff watch is real and a job that dies
half way still leaves the letters of the codes it issued (a rerun with "only households
without a code" finishes the rest). The letters are the desk page's own partial
(``projects/identity/_letters.html``) and context. The file holds codes, which are secrets:
it lives under JOB_FILES_ROOT, and only staff who may manage codes download it."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from projects.models import Building, Household
from projects.services.identity import issue_household_codes
from projects.views.identity import HOUSEHOLD_RELATED, letter_context

from .models import Job, JobKind, JobStatus
from .notices import job_base_url


def start_letters_job(*, compound, replace: bool, by, base_url: str) -> Job:
    """Create the job and enqueue its task; call inside a transaction."""
    from .services.jobs import start_job

    with override(settings.LANGUAGE_CODE):
        title = _("Household code letters: %(compound)s") % {"compound": compound.name}
    job = Job.objects.create(
        community=compound.community,
        kind=JobKind.LETTERS,
        title=title,
        compound=compound,
        replace_codes=replace,
        total=Household.objects.filter(unit__building__compound=compound).count(),
        base_url=base_url[:200],
        created_by=by,
    )
    start_job(job)
    return job


def render_letter_job(job_id: int) -> str:
    """The ``make_letters`` task: one HTML file with every issued letter, one per page."""
    job = Job.objects.select_related("community", "compound", "created_by").get(pk=job_id)
    # Runs once: a second run would issue codes whose letters overwrite the first run's file.
    if not Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    ):
        return job.file_name
    base = job_base_url(job)
    name = f"{job.community_id}/letters-{job.pk}.html"
    path = settings.JOB_FILES_ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    done = letters = 0
    with override(settings.LANGUAGE_CODE), path.open("w", encoding="utf-8") as out:
        out.write(render_to_string("notify/letters_file_head.html", {"job": job, "base_url": base}))
        for building in Building.objects.filter(compound=job.compound).order_by("sort_key", "name"):
            households = (
                Household.objects.filter(unit__building=building)
                .select_related(HOUSEHOLD_RELATED)
                .order_by("unit__sort_key", "unit__name", "floor", "room")
            )
            issued = issue_household_codes(households=households, by=job.created_by, replace=job.replace_codes)
            if issued:
                context = letter_context(issued, job.community, base)
                out.write(render_to_string("projects/identity/_letters.html", context))
                out.flush()
                letters += len(issued)
            done += households.count()
            # The file name is set from the first building on: if the worker dies, the
            # letters of the codes already issued can still be downloaded.
            Job.objects.filter(pk=job.pk).update(done=min(done, job.total), file_name=name)
        out.write("</body></html>\n")
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, done=job.total, file_name=name, finished_at=timezone.now()
    )
    return name
