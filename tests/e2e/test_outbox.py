"""Browser test of the outbox: staff open a ballot, remind the households that have not
voted, follow the job's progress and read the outbox (desktop)."""

import re

import pytest

from notify.models import Job, JobKind
from notify.services.jobs import run_send_job
from tests import factories as f
from tests.ballots.conftest import make_ballot, vote
from tests.notify.conftest import consent, tomorrow_morning

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_remind_households_that_have_not_voted_and_follow_the_job(
    desktop, live_server, login_as, world, settings, tmp_path
):
    settings.NOTIFY_FILE_PATH = tmp_path / "outbox.jsonl"
    settings.JOB_FILES_ROOT = tmp_path / "jobs"
    households = [world.household, *f.households(world.unit, 5, start_floor=2)]
    for i, household in enumerate(households):
        household.phone = f"1370000{i:04d}"
        household.save(update_fields=["phone"])
        consent(household, world.staff)
    ballot = make_ballot(world)
    vote(ballot, households[0])
    login_as(desktop, world.staff)

    desktop.goto(live_server.url + ballot.get_absolute_url())
    desktop.get_by_role("link", name="提醒还没投票的住户").click()
    preview = desktop.get_by_test_id("send-preview")
    assert "5 户" in preview.inner_text() and ballot.title in preview.inner_text()
    desktop.get_by_label("短信").check()
    desktop.get_by_label("楼道张贴通知（打印）").check()
    desktop.get_by_role("button", name="发送").click()

    assert re.search(r"/notify/job/\d+/$", desktop.url)
    assert desktop.get_by_test_id("job-status").inner_text() == "等待中"
    assert "0 / 5" in desktop.get_by_test_id("job-progress").inner_text()

    # The worker's turn (tests run the job themselves: the queue never runs behind their back).
    run_send_job(Job.objects.get(kind=JobKind.SEND).pk, now_func=tomorrow_morning)
    desktop.reload()
    assert desktop.get_by_test_id("job-status").inner_text() == "完成"
    assert "5 / 5" in desktop.get_by_test_id("job-progress").inner_text()

    desktop.get_by_test_id("job-messages").get_by_role("link").first.click()
    rows = desktop.get_by_test_id("delivery-row")
    assert rows.count() == 5
    text = desktop.get_by_test_id("deliveries").inner_text()
    assert "137****0001" in text and "13700000001" not in text and "已发送" in text

    desktop.goto(live_server.url + f"/notify/community/{world.community.pk}/outbox/")
    assert desktop.get_by_test_id("outbox-row").count() == 2  # the SMS and the printed notice
