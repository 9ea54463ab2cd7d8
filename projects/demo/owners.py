"""Demo owners (seed steps 15 and 65).

Step 15 links every demo household to its owners: one person per name on the register
(namesakes on different flats stay different people, as the data migration does), and
marks the recorded areas as taken from the 不动产登记簿. Then 体委小区 gets what the news
report says about it: its 产权单位 is 市体校 (市体育运动学校), which holds the 公房 flats of
the first stairwell of each building; one 3号楼 owner holds two flats; and one 公房 flat
has never been surveyed, so it has no recorded area.

Step 65 opens a residents' consultation (居民意愿征询) on 体委小区's charging posts: every
household that lives there counts, the 公房 tenants included, and it opens although one
area is missing because it counts households only. The owners' decision on the same compound
is in ``consult.demo.owners``.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ..demo import DemoContext, register_demo_step
from ..demo.rows import insert_rows
from ..models import (
    AreaSource,
    Household,
    Owner,
    OwnerKind,
    Ownership,
    Project,
    SignoffCampaign,
    SignoffStatus,
    WorkType,
)
from ..selectors.scope import affected_households
from ..services import signoffs as svc
from ..services.owners import split_names

BATCH = 2000
SCHOOL = "市体校"
UNSURVEYED = ("3号楼", "2单元", "101")  # 体委小区's flat without a recorded area


def _link_register_owners() -> int:
    """One person Owner per name per household, in bulk."""
    Household.objects.filter(area__isnull=False).update(area_source=AreaSource.REGISTER)
    rows = Household.objects.exclude(owner_names="").values_list(
        "pk", "owner_names", "unit__building__compound__community_id"
    )
    pending, total = [], 0
    for household_id, names, community_id in rows.iterator(chunk_size=BATCH):
        pending += [
            (household_id, i, Owner(community_id=community_id, name=name[:100]))
            for i, name in enumerate(split_names(names))
        ]
        if len(pending) >= BATCH:
            total += _save(pending)
            pending = []
    return total + _save(pending)


def _save(pending) -> int:
    owners = Owner.objects.bulk_create([owner for _h, _p, owner in pending], batch_size=BATCH)
    insert_rows(
        Ownership,
        ("owner_id", "household_id", "position"),
        (
            (owner.pk, household_id, position)
            for (household_id, position, _o), owner in zip(pending, owners, strict=True)
        ),
    )
    return len(owners)


def _tiwei(ctx: DemoContext) -> None:
    flats = Household.objects.filter(unit__building__compound__name="体委小区").select_related(
        "unit__building__compound"
    )
    if not flats.exists():
        ctx.log("owners: 体委小区 not found; skipped")
        return
    community_id = flats.first().unit.building.compound.community_id
    school = Owner.objects.create(community_id=community_id, kind=OwnerKind.PROPERTY_UNIT, name=SCHOOL)
    public = list(flats.filter(unit__sort_key=1))  # the first stairwell of every building: 公房
    tenants_listed_as_owners = list(Ownership.objects.filter(household__in=public).values_list("owner_id", flat=True))
    Ownership.objects.filter(household__in=public).delete()
    Owner.objects.filter(pk__in=tenants_listed_as_owners).delete()
    Ownership.objects.bulk_create(Ownership(owner=school, household=h) for h in public)
    Household.objects.filter(pk__in=[h.pk for h in public]).update(
        owner_names=SCHOOL, notes="公房，住户为承租人（产权单位：市体校）"
    )
    # One owner who bought two flats in 3号楼 (the same person: a reference ties them).
    pair = list(flats.filter(unit__building__name="3号楼").exclude(pk__in=[h.pk for h in public])[:2])
    if len(pair) == 2:
        first = Ownership.objects.filter(household=pair[0]).select_related("owner").first()
        if first is not None:
            Owner.objects.filter(pk=first.owner_id).update(reference="0417")
            replaced = list(Ownership.objects.filter(household=pair[1]).values_list("owner_id", flat=True))
            Ownership.objects.filter(household=pair[1]).delete()
            Owner.objects.filter(pk__in=replaced).delete()
            Ownership.objects.create(owner_id=first.owner_id, household=pair[1])
            Household.objects.filter(pk=pair[1].pk).update(owner_names=first.owner.name)
    building, unit, room = UNSURVEYED
    Household.objects.filter(
        unit__building__compound__name="体委小区", unit__building__name=building, unit__name=unit, room=room
    ).update(area=None, area_source=AreaSource.UNKNOWN, notes="公房改制遗留，面积尚未测绘")
    ctx.log(f"owners: 体委小区 — {SCHOOL} holds {len(public)} 公房 flats; {building}{unit}{room} has no recorded area")


def seed_owners(ctx: DemoContext) -> None:
    with transaction.atomic():
        count = _link_register_owners()
        ctx.log(f"owners: {count} owners linked to their households")
        _tiwei(ctx)


def seed_tiwei_consultation(ctx: DemoContext) -> None:
    """A residents' consultation: counts households, so 市体校's tenants each count."""
    project = Project.objects.filter(work_type=WorkType.CHARGING, compounds__name="体委小区").order_by("pk").first()
    staff = get_user_model().objects.filter(username="demo_staff").first()
    if project is None or staff is None or SignoffCampaign.objects.filter(project=project).exists():
        ctx.log("owners: 体委小区 charging project not found; consultation skipped")
        return
    today = timezone.localdate(ctx.now)
    campaign = svc.signoff_campaign_open(
        project=project,
        data={
            "title": "体委小区增设充电桩居民意愿征询",
            "consent_text": "本户同意在小区内增设电动车充电桩，选址以设计方案公示为准。",
            "decision_kind": "residents",
            "rule": "two_thirds",
            "paper_required": True,
            "deadline": today + timedelta(days=14),
        },
        by=staff,
        now=ctx.now - timedelta(days=6),
    )
    households = list(affected_households(project).order_by("unit__building__sort_key", "unit__sort_key", "room"))
    for i, household in enumerate(households):
        if i % 5 == 4:
            continue  # not reached yet
        at = ctx.now - timedelta(days=5) + timedelta(minutes=10 * i)
        if i % 11 == 3:
            svc.signoff_record_status(
                campaign=campaign, household=household, status=SignoffStatus.REFUSED, by=staff, now=at
            )
            continue
        svc.signoff_record_status(
            campaign=campaign,
            household=household,
            status=SignoffStatus.AGREED,
            by=staff,
            now=at,
            signer_name=household.owner_names.split("、")[0] or "住户",
            signed_on=timezone.localdate(at),
            paper_reference=f"CD-{i + 1:03d}",
        )
    ctx.log(f"owners: 体委小区 residents' consultation over {len(households)} households")


register_demo_step(15, "owners", seed_owners)
register_demo_step(65, "tiwei consultation", seed_tiwei_consultation)
