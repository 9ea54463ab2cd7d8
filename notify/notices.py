"""Printable stairwell notices (楼道张贴): one A4 page per stairwell, large type, and a QR
code to the compound's noticeboard, for the residents who have no phone or no consent.

The page a staff member prints at the desk and the file a job renders for a whole compound
come from the same template; the job writes the file under JOB_FILES_ROOT, where only the
checked download view reaches it."""

from dataclasses import dataclass

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import override

from projects.models import Compound, Unit

from .models import Job, JobStatus, Message, MessageChannel


@dataclass
class NoticePage:
    place: str
    compound: Compound
    url: str
    qr_svg: str


def _qr(url: str) -> str:
    # segno writes the SVG itself from the URL; no user input reaches it unescaped.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=8, border=2, omitsize=True))  # noqa: S308


def notice_pages(message: Message, base_url: str) -> list[NoticePage]:
    """One page per stairwell of the message's buildings, else per compound. Two queries."""

    def page(place, compound):
        url = base_url + reverse("projects:noticeboard", args=[compound.pk])
        return NoticePage(place=place, compound=compound, url=url, qr_svg=_qr(url))

    buildings = list(message.buildings.values_list("pk", flat=True))
    if buildings:
        units = Unit.objects.filter(building__in=buildings).select_related("building__compound")
        units = units.order_by("building__sort_key", "building__name", "sort_key", "name")
        qr_by_compound = {}
        pages = []
        for unit in units:
            compound = unit.building.compound
            if compound.pk not in qr_by_compound:
                qr_by_compound[compound.pk] = page("", compound)
            shared = qr_by_compound[compound.pk]
            pages.append(NoticePage(f"{compound.name} {unit}", compound, shared.url, shared.qr_svg))
        return pages
    if message.compound_id:
        return [page(message.compound.name, message.compound)]
    compounds = Compound.objects.filter(community=message.community_id).order_by("name")
    return [page(c.name, c) for c in compounds]


def render_notices(message: Message, base_url: str, *, standalone: bool) -> str:
    with override(settings.LANGUAGE_CODE):
        return render_to_string(
            "notify/notice_file.html" if standalone else "notify/_notice_pages.html",
            {
                "message": message,
                "community": message.community,
                "pages": notice_pages(message, base_url),
                "base_url": base_url,
                "printed_on": timezone.localdate(),
            },
        )


def render_notice_job(job_id: int) -> str:
    """The ``make_notices`` task: write every stairwell's page into one HTML file."""
    job = Job.objects.select_related("community").get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    message = job.messages.select_related("community", "compound").get(channel=MessageChannel.PRINT)
    html = render_notices(message, job_base_url(job), standalone=True)
    name = f"{job.community_id}/notices-{job.pk}.html"
    path = settings.JOB_FILES_ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    pages = html.count('class="notice"')
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, total=pages, done=pages, file_name=name, finished_at=timezone.now()
    )
    return name


def job_base_url(job: Job) -> str:
    """The public address printed under the QR code: SITE_URL, else the one staff used."""
    return settings.SITE_URL.rstrip("/") if settings.SITE_URL else (job.base_url or "http://127.0.0.1:8000")
