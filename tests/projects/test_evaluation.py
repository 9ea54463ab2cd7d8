"""Acceptance records and the satisfaction survey: one answer per household (database
constraint), online and by staff, corrections with history, the rate and the eligible count."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from projects.models import AcceptanceRecord, Channel, SatisfactionChange, SatisfactionResponse, Stage
from projects.sections import household_sections
from projects.selectors.evaluation import satisfaction_summary
from projects.services.evaluation import satisfaction_correct, satisfaction_record_for, satisfaction_submit_online
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(world):
    """A project in evaluation covering both buildings of world's compound, 10 households."""
    project = f.project(community=world.community, stage=Stage.EVALUATION, title="西门污水管线")
    project.compounds.set([world.compound])
    extra = f.households(world.unit, 8, start_floor=3)
    return project, [world.household, world.other_household, *extra]


def test_one_answer_per_household_is_a_database_rule(world, rated):
    project, households = rated
    now = timezone.now()
    SatisfactionResponse.objects.create(
        project=project, household=households[0], score=5, channel="online", created_at=now, updated_at=now
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SatisfactionResponse.objects.create(
            project=project, household=households[0], score=1, channel="online", created_at=now, updated_at=now
        )


@pytest.mark.parametrize("score", [0, 6])
def test_scores_outside_1_to_5_are_refused_by_the_database(world, rated, score):
    project, households = rated
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        SatisfactionResponse.objects.create(
            project=project, household=households[0], score=score, channel="online", created_at=now, updated_at=now
        )


def test_a_proxy_answer_must_say_who_entered_it(world, rated):
    project, households = rated
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        SatisfactionResponse.objects.create(
            project=project, household=households[0], score=4, channel=Channel.PAPER, created_at=now, updated_at=now
        )


def test_satisfaction_rate_and_eligible_households(world, rated):
    project, households = rated
    for household, score in zip(households[:7], [5, 5, 4, 4, 3, 2, 5], strict=True):
        satisfaction_record_for(
            project=project, household=household, score=score, channel=Channel.PAPER, by=world.staff
        )
    summary = satisfaction_summary(project)
    assert (summary["responses"], summary["satisfied"], summary["eligible"]) == (7, 5, 10)
    assert str(summary["rate_percent"]) == "71.4"  # 5/7
    assert [row["count"] for row in summary["distribution"]] == [3, 2, 1, 1, 0]


def test_staff_entry_records_channel_and_who_and_refuses_a_second_answer(world, rated):
    project, households = rated
    response = satisfaction_record_for(
        project=project, household=households[0], score=4, comment="还行", channel=Channel.HOME_VISIT, by=world.staff
    )
    assert (response.channel, response.entered_by) == (Channel.HOME_VISIT, world.staff)
    with pytest.raises(ValidationError):
        satisfaction_record_for(
            project=project, household=households[0], score=1, channel=Channel.PAPER, by=world.staff
        )
    with pytest.raises(ValidationError):
        satisfaction_record_for(
            project=project, household=households[1], score=1, channel=Channel.ONLINE, by=world.staff
        )
    assert SatisfactionResponse.objects.count() == 1


def test_households_outside_the_scope_are_not_surveyed(world, rated):
    project, _households = rated
    with pytest.raises(ValidationError):
        satisfaction_record_for(
            project=project, household=world.foreign_household, score=5, channel=Channel.PAPER, by=world.staff
        )
    with pytest.raises(ValidationError):
        satisfaction_submit_online(project=project, household=world.foreign_household, score=5)


@pytest.mark.parametrize("stage", [Stage.CONSTRUCTION, Stage.ACCEPTANCE])
def test_the_survey_opens_in_evaluation(world, rated, stage):
    project, households = rated
    type(project).objects.filter(pk=project.pk).update(stage=stage)
    project.refresh_from_db()
    with pytest.raises(ValidationError):
        satisfaction_submit_online(project=project, household=households[0], score=5)
    with pytest.raises(ValidationError):
        satisfaction_record_for(
            project=project, household=households[0], score=5, channel=Channel.PAPER, by=world.staff
        )


def test_late_paper_answers_can_be_typed_in_after_completion_but_not_online(world, rated):
    project, households = rated
    type(project).objects.filter(pk=project.pk).update(stage=Stage.COMPLETED)
    project.refresh_from_db()
    satisfaction_record_for(project=project, household=households[0], score=5, channel=Channel.PAPER, by=world.staff)
    with pytest.raises(ValidationError):
        satisfaction_submit_online(project=project, household=households[1], score=5)


def test_correction_keeps_the_history(world, rated):
    project, households = rated
    response = satisfaction_record_for(
        project=project, household=households[0], score=2, channel=Channel.PAPER, by=world.staff
    )
    with pytest.raises(ValidationError):
        satisfaction_correct(response=response, score=4, comment="", reason="", by=world.admin)
    satisfaction_correct(response=response, score=4, comment="录入时看错了", reason="问卷上写的是4分", by=world.admin)
    response.refresh_from_db()
    assert response.score == 4
    log = list(
        SatisfactionChange.objects.filter(response=response).values_list(
            "old_score", "new_score", "entered_by", "reason"
        )
    )
    assert log == [(None, 2, world.staff.pk, ""), (2, 4, world.admin.pk, "问卷上写的是4分")]


def test_resident_online_answer_and_change_of_mind(world, rated):
    project, households = rated
    first = satisfaction_submit_online(project=project, household=households[0], score=3, comment="有点吵")
    again = satisfaction_submit_online(project=project, household=households[0], score=5, comment="修好了")
    assert first.pk == again.pk
    again.refresh_from_db()
    assert (again.score, again.channel, again.entered_by) == (5, Channel.ONLINE, None)
    assert again.changes.count() == 2


def test_resident_rates_through_the_page(client, act_as, world, rated):
    project, households = rated
    act_as(client, world.household)
    url = reverse("projects:rate", args=[project.pk])
    response = client.post(url, {"score": "5", "comment": "很满意", "next": f"/c/{world.compound.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/c/{world.compound.pk}/"
    client.post(url, {"score": "5", "comment": "很满意"})  # a double submit
    assert SatisfactionResponse.objects.get().score == 5
    assert SatisfactionResponse.objects.count() == 1
    client.post(url, {"score": "9"})  # a bad score leaves the answer alone
    assert SatisfactionResponse.objects.get().score == 5
    assert client.post(url, {"score": "4", "next": "https://evil.example/"})["Location"].startswith("/c/")


def test_resident_of_another_compound_cannot_rate(client, act_as, world, rated):
    project, _households = rated
    act_as(client, world.foreign_household)
    assert client.post(reverse("projects:rate", args=[project.pk]), {"score": "1"}).status_code == 403
    assert not SatisfactionResponse.objects.exists()


def test_household_section_offers_the_rating_only_when_affected_and_in_evaluation(world, rated):
    project, _households = rated
    request = RequestFactory().get("/household/")
    rendered = household_sections.render_list(world.household, request)
    sections = {section.key: context for section, context in rendered}
    assert [p.pk for p in sections["rate_projects"]["projects"]] == [project.pk]
    html = render_to_string(
        "projects/evaluation/rate_section.html", {"section": sections["rate_projects"], "request": request}
    )
    assert reverse("projects:rate", args=[project.pk]) in html and "西门污水管线" in html
    assert "rate_projects" not in {s.key for s, _c in household_sections.render_list(world.foreign_household, request)}
    type(project).objects.filter(pk=project.pk).update(stage=Stage.COMPLETED)
    assert "rate_projects" not in {s.key for s, _c in household_sections.render_list(world.household, request)}


def test_household_section_knows_the_current_answer_and_respects_removals(world, rated):
    from projects.services.scope import scope_adjust

    project, _households = rated
    satisfaction_submit_online(project=project, household=world.household, score=4)
    request = RequestFactory().get("/household/")
    (context,) = [c for s, c in household_sections.render_list(world.household, request) if s.key == "rate_projects"]
    assert context["projects"][0].my_score == 4
    scope_adjust(project=project, household=world.other_household, included=False, reason="空置", by=world.staff)
    assert "rate_projects" not in {s.key for s, _c in household_sections.render_list(world.other_household, request)}


def test_staff_survey_page_entry_and_missing_list(client, world, rated):
    project, households = rated
    client.force_login(world.staff)
    url = reverse("projects:satisfaction", args=[project.pk])
    response = client.post(
        url, {"unit": world.unit.pk, "room": world.household.room, "channel": "questionnaire", "score": "4"}
    )
    assert response.status_code == 302
    again = client.post(
        url, {"unit": world.unit.pk, "room": world.household.room, "channel": "questionnaire", "score": "1"}
    )
    assert again.status_code == 200  # already answered: a form error, not a second answer
    assert SatisfactionResponse.objects.get().score == 4
    missing = client.get(url, {"show": "missing"}).content.decode()
    assert world.other_household.room in missing
    page = client.get(url).content.decode()
    assert "1 / 10" in page and "100.0%" in page
    response_obj = SatisfactionResponse.objects.get()
    detail = reverse("projects:satisfaction_response", args=[response_obj.pk])
    assert client.post(detail, {"score": "5", "comment": "", "reason": ""}).status_code == 200
    assert client.post(detail, {"score": "5", "comment": "", "reason": "电话回访改口"}).status_code == 302
    response_obj.refresh_from_db()
    assert response_obj.score == 5


def test_acceptance_record_and_publication(client, world, rated):
    project, _households = rated
    client.force_login(world.staff)
    url = reverse("projects:acceptance_create", args=[project.pk])
    data = {
        "date": "2021-05-28",
        "participants": "旧宫镇水务站\n施工单位",
        "resident_representatives": "商户代表 王某某",
        "findings": "190米管线通水合格",
        "passed": "on",
        "published": "on",
    }
    assert client.post(url, data).status_code == 302
    record = AcceptanceRecord.objects.get()
    assert record.recorded_by == world.staff and record.passed
    public = client.get(reverse("projects:public_project", args=[world.compound.pk, project.pk])).content.decode()
    assert "190米管线通水合格" in public
    assert "王某某" not in public  # representatives are never published
    client.post(reverse("projects:acceptance_edit", args=[record.pk]), {**data, "published": ""})
    public = client.get(reverse("projects:public_project", args=[world.compound.pk, project.pk])).content.decode()
    assert "190米管线通水合格" not in public


def test_acceptance_before_construction_is_refused(client, world):
    project = f.project(community=world.community, stage=Stage.DESIGN)
    client.force_login(world.staff)
    response = client.post(
        reverse("projects:acceptance_create", args=[project.pk]),
        {"date": "2021-05-28", "participants": "x", "resident_representatives": "y", "findings": "z"},
    )
    assert response.status_code == 200
    assert not AcceptanceRecord.objects.exists()
