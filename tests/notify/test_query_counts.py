"""The outbox, a message's recipients, the jobs list and the consent page cost the same
number of queries with 5 and with 40 messages, recipients and jobs."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notify.models import Delivery, DeliveryStatus, Job, JobKind, Message, MessageChannel, MessageKind
from tests import factories as f

from .conftest import consent

pytestmark = pytest.mark.django_db
SIZES = [5, 40]


def populate(world, n: int) -> Message:
    households = f.households(world.unit, n, start_floor=2)
    for household in households[:n]:
        consent(household, world.staff)
    statuses = [DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.QUEUED]
    first = None
    for i in range(n):
        job = Job.objects.create(community=world.community, kind=JobKind.SEND, title=f"任务{i}", created_by=world.staff)
        message = Message.objects.create(
            community=world.community,
            kind=MessageKind.CONSTRUCTION,
            channel=MessageChannel.SMS,
            ref="project:1",
            scope_label="1号楼",
            subject=f"停水{i}",
            text="停水",
            triggered_by=world.staff,
            job=job,
        )
        Delivery.objects.bulk_create(
            Delivery(
                message=message,
                household=h,
                phone=h.phone,
                status=statuses[j % 3],
                sent_at=timezone.now() if statuses[j % 3] == DeliveryStatus.SENT else None,
            )
            for j, h in enumerate(households)
        )
        first = first or message
    return first


@pytest.mark.parametrize("n", SIZES)
def test_outbox(client, world, n, django_assert_max_num_queries):
    populate(world, n)
    client.force_login(world.staff)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("notify:outbox", args=[world.community.pk]))
    assert len(response.context["page_obj"]) == min(n, 25)


@pytest.mark.parametrize("n", SIZES)
def test_message_recipients(client, world, n, django_assert_max_num_queries):
    message = populate(world, n)
    client.force_login(world.staff)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("notify:message", args=[message.pk]))
    assert len(response.context["page_obj"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_jobs(client, world, n, django_assert_max_num_queries):
    populate(world, n)
    client.force_login(world.staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notify:jobs", args=[world.community.pk]))
    assert len(response.context["page_obj"]) == min(n, 25)


@pytest.mark.parametrize("n", SIZES)
def test_job_page_and_consent_page(client, world, n, django_assert_max_num_queries):
    message = populate(world, n)
    client.force_login(world.staff)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("notify:job", args=[message.job_id])).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notify:consent", args=[world.community.pk]))
    assert len(response.context["consents"]) == n
