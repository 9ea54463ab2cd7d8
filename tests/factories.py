"""Small builders for test data. Plain functions: each returns saved objects with sensible
defaults, and any field can be overridden by keyword. The registry's objects are created
directly; consult's (meetings, wishes, ballots) through their services."""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from projects.models import (
    Building,
    Channel,
    Community,
    Compound,
    Department,
    Household,
    Membership,
    Project,
    Role,
    SubDistrict,
    SubDistrictMembership,
    Unit,
)

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def sub_district(**kw) -> SubDistrict:
    kw.setdefault("name", f"街道{_n()}")
    return SubDistrict.objects.create(**kw)


def community(**kw) -> Community:
    if "sub_district" not in kw:
        kw["sub_district"] = sub_district()
    kw.setdefault("name", f"社区{_n()}")
    # No minimum public notice unless a test asks for one: tests of other construction guards
    # move notice → construction at once. The real default (7 days) is tested in
    # tests/projects/test_notice_length.py and tests/projects/test_scope_bypass.py.
    kw.setdefault("notice_min_days", 0)
    return Community.objects.create(**kw)


def compound(**kw) -> Compound:
    if "community" not in kw:
        kw["community"] = community()
    kw.setdefault("name", f"小区{_n()}")
    return Compound.objects.create(**kw)


def building(**kw) -> Building:
    if "compound" not in kw:
        kw["compound"] = compound()
    kw.setdefault("name", f"{_n()}号楼")
    return Building.objects.create(**kw)


def unit(**kw) -> Unit:
    if "building" not in kw:
        kw["building"] = building()
    kw.setdefault("name", f"{_n()}单元")
    return Unit.objects.create(**kw)


def household(**kw) -> Household:
    if "unit" not in kw:
        kw["unit"] = unit()
    n = _n()
    kw.setdefault("room", str(100 + n))
    kw.setdefault("floor", 1)
    kw.setdefault("area", Decimal("60.00"))
    kw.setdefault("owner_names", f"业主{n}")
    kw.setdefault("phone", "13800138000")
    return Household.objects.create(**kw)


def households(unit_obj: Unit, count: int, *, area=Decimal("60.00"), start_floor=1, per_floor=2) -> list[Household]:
    """``count`` households stacked floor by floor in one unit, inserted in one query."""
    rows = []
    for i in range(count):
        floor = start_floor + i // per_floor
        rows.append(
            Household(
                unit=unit_obj,
                room=f"{floor}{(i % per_floor) + 1:02d}",
                floor=floor,
                area=area,
                owner_names=f"业主{_n()}",
                phone="13900139000",
            )
        )
    return Household.objects.bulk_create(rows)


def user(**kw):
    kw.setdefault("username", f"user{_n()}")
    password = kw.pop("password", "pass-for-tests-1")
    u = get_user_model().objects.create_user(password=password, **kw)
    return u


def member(community_obj: Community, role: str = Role.STAFF, *, buildings=(), department=None, **kw):
    u = user(**kw)
    if role == Role.DEPARTMENT and department is None:
        department = Department.objects.create(sub_district=community_obj.sub_district, name=f"部门{_n()}")
    m = Membership.objects.create(user=u, community=community_obj, role=role, department=department)
    if buildings:
        m.buildings.set(buildings)
    return u


def sub_district_staff(sub_district_obj: SubDistrict, **kw):
    u = user(**kw)
    SubDistrictMembership.objects.create(user=u, sub_district=sub_district_obj)
    return u


def project(**kw) -> Project:
    if "community" not in kw:
        kw["community"] = community()
    kw.setdefault("title", f"改造项目{_n()}")
    return Project.objects.create(**kw)


# --- consult: built through the services, so history rows, receipt codes and the checks on
# who entered what exist as they would in real use. Each feature's conftest imports these.


def meeting(community_obj=None, by=None, *, starts_at=None, compound=None, departments=(), now=None, **data):
    """A draft meeting in three days (a 拉家常 in the community room unless told otherwise)."""
    from consult.models import MeetingKind
    from consult.services.meetings import meeting_create

    community_obj = community_obj or community()
    data.setdefault("kind", MeetingKind.CHAT)
    data.setdefault("topic", "底商污水管线拉家常")
    data.setdefault("place", "社区活动室")
    data["starts_at"] = starts_at or timezone.now() + timedelta(days=3)
    data["compound"] = compound
    return meeting_create(
        community=community_obj, data=data, invited_departments=departments, by=by or member(community_obj), now=now
    )


def action_item(meeting_obj, by, *, deadline=None, **kw):
    """An action item of a held meeting, due in ten days; owned by ``by`` unless an owner is given."""
    from consult.services.action_items import action_item_create

    kw.setdefault("title", f"待办事项{_n()}")
    if "owner_user" not in kw and "owner_department" not in kw:
        kw["owner_user"] = by
    deadline = deadline or timezone.localdate() + timedelta(days=10)
    return action_item_create(meeting=meeting_obj, deadline=deadline, by=by, **kw)


def wish(compound_obj=None, *, by=None, household=None, channel=None, **kw):
    """A wish: submitted online by a resident unless ``by`` (staff) entered it."""
    from consult.models import WishCategory
    from consult.services.wishes import wish_submit

    if channel is None:
        channel = Channel.ONLINE if by is None else Channel.QUESTIONNAIRE
    kw.setdefault("title", "楼道加装扶手")
    kw.setdefault("category", WishCategory.ELDERLY)
    if household is None and by is None:
        kw.setdefault("contact_phone", "13912345678")
        kw.setdefault("contact_name", "王秀英")
    return wish_submit(compound=compound_obj or compound(), channel=channel, entered_by=by, household=household, **kw)


def support(wish_obj, household_obj, **kw):
    """A household backing a wish (online unless ``channel`` and ``entered_by`` say otherwise)."""
    from consult.services.wishes import support_add

    return support_add(wish=wish_obj, household=household_obj, **kw)


def ballot(
    world,
    *,
    scope_kind=None,
    target=None,
    rule=None,
    option_set=None,
    choices=None,
    custom=None,
    open_it=True,
    now=None,
    opens_in=timedelta(hours=-1),
    lasts=timedelta(days=7),
    community=None,
):
    """A ballot of ``world`` over one unit (``world.unit`` unless ``target``), open since an
    hour ago for a week, by the Civil Code's ordinary rule with agree / disagree / abstain."""
    from consult.models import OptionSet, ScopeKind
    from consult.services import ballots as services
    from projects.models import DecisionRule

    now = now or timezone.now()
    option_set = option_set or OptionSet.AGREE
    options = (
        services.choice_options(choices, with_abstain=True)
        if option_set == OptionSet.CHOICE
        else services.agree_options()
    )
    created = services.ballot_create(
        community=community or world.community,
        title="加装电梯表决",
        option_set=option_set,
        options=options,
        rule=rule or DecisionRule.ART278_ORDINARY,
        custom_thresholds=custom or [],
        scope_kind=scope_kind or ScopeKind.UNIT,
        target=target or world.unit,
        opens_at=now + opens_in,
        closes_at=now + opens_in + lasts,
        by=world.admin,
        now=now + opens_in - timedelta(minutes=5),
    )
    if open_it:
        services.ballot_open(ballot=created, by=world.admin, now=now + opens_in)
        created.refresh_from_db()
    return created
