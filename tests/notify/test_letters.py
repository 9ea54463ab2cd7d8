"""Household code letters for a whole compound, made in the background: progress on the job
page, a file only code managers download, codes that work, and each code issued once."""

import pytest
from django.urls import reverse

from notify.models import Job, JobKind, JobStatus
from notify.tasks import make_letters
from projects.models import Household, HouseholdCode
from projects.services.identity import check_household_code
from tests import factories as f
from tests.helpers import OFFICE, ROLES

pytestmark = pytest.mark.django_db


def households(world):
    return Household.objects.filter(unit__building__compound=world.compound)


def start(client, world, replace="missing"):
    return client.post(reverse("notify:compound_letters", args=[world.compound.pk]), {"replace": replace})


def test_letters_for_a_whole_compound_in_the_background(client, world):
    f.households(world.unit, 3, start_floor=2)
    total = households(world).count()
    client.force_login(world.staff)
    codes_page = client.get(
        reverse("projects:household_codes", args=[world.community.pk]), {"compound": world.compound.pk}
    )
    assert reverse("notify:compound_letters", args=[world.compound.pk]) in codes_page.content.decode()

    response = start(client, world)
    job = Job.objects.get(kind=JobKind.LETTERS)
    assert response.status_code == 302 and response.url == reverse("notify:job", args=[job.pk])
    assert job.status == JobStatus.QUEUED and job.total == total and job.compound == world.compound
    assert not HouseholdCode.objects.exists()  # nothing issued until the worker runs

    make_letters.call(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.done == total and job.file_name
    page = client.get(response.url).content.decode()
    assert reverse("notify:job_file", args=[job.pk]) in page
    html = b"".join(client.get(reverse("notify:job_file", args=[job.pk])).streaming_content).decode()
    assert html.count('data-testid="code-letter"') == total and "<svg" in html
    # The printed codes are the ones that work, one active code per household.
    import re

    printed = re.findall(r'data-testid="letter-code">([^<]+)<', html)
    assert len(printed) == total
    for code in printed[:2]:
        assert check_household_code(raw_code=code, client_address="127.0.0.1").revoked_at is None
    assert HouseholdCode.objects.filter(revoked_at__isnull=True).count() == total

    # Run again by a duplicate task: nothing more is issued, the file is not overwritten.
    make_letters.call(job.pk)
    assert HouseholdCode.objects.count() == total


def test_only_missing_codes_skips_households_that_have_one(client, world):
    client.force_login(world.staff)
    start(client, world)
    make_letters.call(Job.objects.get().pk)
    first = HouseholdCode.objects.count()
    start(client, world, replace="missing")
    second = Job.objects.latest("pk")
    make_letters.call(second.pk)
    assert HouseholdCode.objects.count() == first
    start(client, world, replace="all")
    make_letters.call(Job.objects.latest("pk").pk)
    assert HouseholdCode.objects.filter(revoked_at__isnull=True).count() == first
    assert HouseholdCode.objects.count() == 2 * first


@pytest.mark.parametrize("role", ROLES)
def test_only_the_office_starts_and_downloads_letters(client, act_as, world, role, settings):
    act_as(client, role)
    start(client, world)
    assert Job.objects.filter(kind=JobKind.LETTERS).exists() == (role in OFFICE)

    job = Job.objects.create(community=world.community, kind=JobKind.LETTERS, title="t", created_by=world.staff)
    path = settings.JOB_FILES_ROOT / f"{world.community.pk}/l.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("<p>codes</p>")
    Job.objects.filter(pk=job.pk).update(file_name=f"{world.community.pk}/l.html")
    response = client.get(reverse("notify:job_file", args=[job.pk]))
    if role in OFFICE:
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403) and not getattr(response, "streaming", False)


def test_staff_of_another_community_cannot_start_letters_here(client, world):
    client.force_login(world.other_staff)
    assert start(client, world).status_code == 403
    assert not Job.objects.exists()


def test_a_bad_choice_goes_back_to_the_codes_page(client, world):
    client.force_login(world.staff)
    response = start(client, world, replace="nonsense")
    assert response.status_code == 302 and not Job.objects.exists()
    assert client.get(reverse("notify:compound_letters", args=[world.compound.pk])).status_code == 405
