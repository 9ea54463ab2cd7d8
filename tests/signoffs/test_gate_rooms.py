"""The construction gate names the rooms still missing and links to them; the unit grid can
show only the households that have not agreed."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from projects.models import SignoffStatus as S
from projects.models import Stage
from projects.services import signoffs as svc
from projects.services.stages import blocking_reasons

from .conftest import at

pytestmark = pytest.mark.django_db


def agree(so, households):
    for h in households:
        svc.signoff_tick(campaign=so.campaign, household=h, status=S.AGREED, by=so.world.staff, now=at(2))


def test_the_refusal_names_the_rooms_not_yet_agreed(so):
    agree(so, so.head_households + so.other_households[:2])
    with translation.override("zh-hans"):
        reasons = blocking_reasons(so.project, Stage.CONSTRUCTION, now=at(3))
    rooms = sorted(h.room for h in so.other_households[2:])
    assert f"2号楼1单元还有2户未同意：{'、'.join(rooms)}" in reasons
    with translation.override("en"):
        reasons = blocking_reasons(so.project, Stage.CONSTRUCTION, now=at(3))
    assert f"2号楼1单元: 2 households have not agreed ({', '.join(rooms)})" in reasons


def test_the_board_links_each_unit_to_its_filtered_blocker_list(client, so):
    agree(so, so.head_households)
    client.force_login(so.world.staff)
    html = client.get(reverse("projects:signoff_board", args=[so.campaign.pk])).content.decode()
    blockers = reverse("projects:signoff_blockers", args=[so.campaign.pk])
    assert f'href="{blockers}?unit={so.world.other_unit.pk}"' in html
    assert f"?unit={so.world.unit.pk}" not in html  # a complete unit is not listed

    listed = client.get(blockers, {"unit": so.world.other_unit.pk}).content.decode()
    assert listed.count('data-testid="blocker-row"') == 4
    assert 'data-testid="unit-filter"' in listed
    everyone = client.get(blockers, {"unit": so.world.unit.pk}).content.decode()
    assert 'data-testid="blocker-row"' not in everyone


@pytest.mark.parametrize("page", ["projects:project_stage", "projects:project"])
def test_the_stage_and_project_pages_link_the_gate_to_the_blocker_list(client, so, page):
    so.project.stage = Stage.NOTICE
    so.project.save(update_fields=["stage"])
    client.force_login(so.world.admin)
    html = client.get(reverse(page, args=[so.project.pk])).content.decode()
    link = re.search(r'<a[^>]*data-testid="refusal-link"[^>]*>', html)
    assert link is not None
    assert reverse("projects:signoff_blockers", args=[so.campaign.pk]) in link.group(0)


def test_a_threshold_campaign_names_the_rooms_too_capped_with_the_count(so):
    """Under a 2/3 rule the refusal still says whose doors to knock on; past twelve rooms a
    unit's list ends "等N户" with the count of all of them."""
    from projects.models import DecisionRule
    from projects.selectors.signoffs import ROOMS_NAMED
    from tests import factories as f

    so.campaign.rule = DecisionRule.TWO_THIRDS
    so.campaign.save(update_fields=["rule"])
    extra = f.households(so.world.other_unit, ROOMS_NAMED + 2, start_floor=10)
    with translation.override("zh-hans"):
        reasons = blocking_reasons(so.project, Stage.CONSTRUCTION, now=at(3))
    missing = sorted(h.room for h in [*so.other_households, *extra])
    line = next(r for r in reasons if r.startswith("2号楼1单元还有"))
    total = len(missing)
    assert line.startswith(f"2号楼1单元还有{total}户未同意：")
    assert line.endswith(f"等{total}户")
    assert line.count("、") == ROOMS_NAMED - 1


def test_the_unit_grid_shows_only_the_households_not_yet_agreed(client, so):
    agree(so, so.head_households[:3])
    client.force_login(so.world.staff)
    url = reverse("projects:signoff_unit", args=[so.campaign.pk, so.world.unit.pk])
    everyone = client.get(url).content.decode()
    only = client.get(url, {"show": "not_agreed"}).content.decode()
    last = so.head_households[3]
    assert everyone.count(f'id="hh-{so.head_households[0].pk}"') == 1
    assert f'id="hh-{so.head_households[0].pk}"' not in only
    assert f'id="hh-{last.pk}"' in only


@pytest.mark.parametrize("role", ["department", "sub_district_staff"])
def test_departments_and_the_sub_district_get_counts_without_rooms(client, so, role):
    agree(so, so.head_households)
    client.force_login(getattr(so.world, role))
    html = client.get(reverse("projects:signoff_board", args=[so.campaign.pk])).content.decode()
    assert "2号楼1单元还有4户未同意" in html
    assert "2号楼1单元还有4户未同意：" not in html
    assert reverse("projects:signoff_blockers", args=[so.campaign.pk]) not in html
