"""A project that requires a passed ballot stays out of construction until a ballot linked to
it, under a rule at least as strict, is counted, published, passed, past its public notice,
with every objection answered. One test per thing that can be missing, and the pass."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from consult.ballot_gate import passed_ballot_refusals
from consult.models import Ballot, BallotStatus, OptionKind
from consult.services import ballots as services
from projects.models import Channel, DecisionRule, Stage
from projects.services.stages import StageBlocked, blocking_reasons, project_change_stage
from tests import factories as f

from .conftest import vote

pytestmark = pytest.mark.django_db

T = datetime(2026, 5, 4, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # voting opens at T - 1 h, closes T + 7 d
CLOSED = T + timedelta(days=7, hours=1)
PUBLISHED = T + timedelta(days=8)
NOTICE_OVER = PUBLISHED + timedelta(days=7)


@pytest.fixture
def project(world, tower):
    project = f.project(
        community=world.community,
        title="1号楼加装电梯",
        stage=Stage.NOTICE,
        requires_passed_ballot=DecisionRule.ART278_MAJOR,
    )
    project.units.set([world.unit])
    return project


def linked_ballot(world, project, *, rule=DecisionRule.ART278_MAJOR, custom=None):
    ballot = f.ballot(world, rule=rule, custom=custom, now=T)
    Ballot.objects.filter(pk=ballot.pk).update(project=project)
    ballot.refresh_from_db()
    return ballot


def decide(world, ballot, households, *, agree=True, publish=True):
    for h in households:
        vote(ballot, h, OptionKind.FOR if agree else OptionKind.AGAINST, now=T)
    services.ballot_close(ballot=ballot, by=world.admin, now=CLOSED)
    if publish:
        services.ballot_publish(ballot=ballot, by=world.admin, notice_days=7, now=PUBLISHED)
    ballot.refresh_from_db()
    return ballot


def reasons(project, now):
    with translation.override("en"):
        return [str(r) for r in blocking_reasons(project, Stage.CONSTRUCTION, now=now)]


def test_no_ballot_blocks_and_links_to_a_new_ballot_for_the_project(project):
    with translation.override("en"):
        (refusal,) = passed_ballot_refusals(project, now=T)
    assert "this project has no ballot yet" in refusal
    assert "Civil Code Art. 278: major matter" in refusal
    assert refusal.url == reverse("consult:ballot_create", args=[project.community_id]) + f"?project={project.pk}"
    with pytest.raises(StageBlocked):
        project_change_stage(project=project, to_stage=Stage.CONSTRUCTION, by=None, now=T)


def test_a_passed_ballot_under_a_weaker_rule_does_not_count(world, project, tower):
    ballot = decide(world, linked_ballot(world, project, rule=DecisionRule.ART278_ORDINARY), tower)
    assert ballot.passed
    found = reasons(project, NOTICE_OVER)
    assert any("decided by a weaker rule" in r and ballot.title in r for r in found)


def test_an_open_ballot_blocks_until_voting_closes(world, project):
    linked_ballot(world, project)
    found = reasons(project, T)
    assert any(r.startswith("Construction needs the ballot") for r in found)
    assert "Voting is still open, until 2026-05-11 08:00." in found


def test_a_counted_but_unpublished_ballot_blocks(world, project, tower):
    decide(world, linked_ballot(world, project), tower, publish=False)
    assert "It has been counted but the result is not published yet." in reasons(project, NOTICE_OVER)


def test_a_ballot_under_public_notice_blocks_until_the_notice_ends(world, project, tower):
    decide(world, linked_ballot(world, project), tower)
    assert "The result is under public notice until 2026-05-19 09:00." in reasons(
        project, NOTICE_OVER - timedelta(minutes=1)
    )
    assert reasons(project, NOTICE_OVER) == []


def test_an_unanswered_objection_blocks_after_the_notice(world, project, tower):
    ballot = decide(world, linked_ballot(world, project), tower)
    objection = services.objection_record(
        ballot=ballot,
        household=tower[0],
        text="采光受影响",
        channel=Channel.OFFICE,
        entered_by=world.staff,
        now=PUBLISHED + timedelta(days=1),
    )
    assert "1 objection has not been answered." in reasons(project, NOTICE_OVER)
    services.objection_reply(objection=objection, reply="井道外移", by=world.staff, now=NOTICE_OVER)
    assert reasons(project, NOTICE_OVER) == []


def test_a_ballot_that_did_not_pass_blocks(world, project, tower):
    decide(world, linked_ballot(world, project), tower, agree=False)
    assert "It did not pass." in reasons(project, NOTICE_OVER)


def test_a_decided_ballot_lets_the_project_into_construction(world, project, tower):
    decide(world, linked_ballot(world, project), tower)
    transition = project_change_stage(project=project, to_stage=Stage.CONSTRUCTION, by=world.admin, now=NOTICE_OVER)
    assert transition.to_stage == Stage.CONSTRUCTION


def test_a_cancelled_ballot_is_no_ballot(world, project):
    ballot = linked_ballot(world, project)
    services.ballot_cancel(ballot=ballot, by=world.admin, reason="范围错了", now=T)
    assert ballot.status == BallotStatus.CANCELLED
    assert any("this project has no ballot yet" in r for r in reasons(project, T))


def test_a_stricter_custom_rule_counts(world, project, tower):
    strict = [
        {"stage": "participation", "measure": m, "ratio": "4/5", "comparison": "at_least"} for m in ("area", "heads")
    ] + [
        {"stage": "agreement", "measure": m, "base": "participating", "ratio": "9/10", "comparison": "at_least"}
        for m in ("area", "heads")
    ]
    decide(world, linked_ballot(world, project, rule=DecisionRule.CUSTOM, custom=strict), tower)
    assert reasons(project, NOTICE_OVER) == []


def test_a_project_that_requires_no_ballot_is_not_held(world, tower):
    project = f.project(community=world.community, stage=Stage.NOTICE)
    assert project.requires_passed_ballot == ""
    assert reasons(project, T) == []


def test_going_back_is_never_held(world, project):
    project.stage = Stage.CONSTRUCTION
    project.save(update_fields=["stage"])
    project_change_stage(project=project, to_stage=Stage.NOTICE, by=world.admin, note="重新公示", now=T)


def test_the_project_page_shows_the_block_with_a_link_to_the_ballot(client, world, project):
    ballot = linked_ballot(world, project)  # voting ended long before today, never counted
    client.force_login(world.staff)
    html = client.get(reverse("projects:project", args=[project.pk])).content.decode()
    assert 'data-testid="stage-blockers"' in html
    assert f'href="{ballot.get_absolute_url()}" data-testid="refusal-link"' in html


def test_the_new_ballot_link_proposes_the_required_rule(client, world, project):
    (refusal,) = passed_ballot_refusals(project, now=T)
    client.force_login(world.staff)
    form = client.get(refusal.url).context["form"]
    assert form.initial["project"] == project.pk and form.initial["scope_kind"] == "project"
    assert form.initial["rule"] == DecisionRule.ART278_MAJOR
