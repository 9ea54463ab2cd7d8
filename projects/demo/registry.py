"""Demo step "registry" (order 10): the places, households, departments and staff accounts.

At ``scale == "demo"`` it builds the named places of the news reports (旧宫镇's 佳和园 with its
21 ground-floor shops, 南路一's 32-household riser tower, 北门社区's 800 households …) that
every later demo step looks up by name. At ``scale == "district"`` it builds the benchmark
data set: one sub-district with 12 communities, 60 compounds, 900 buildings and 50,000
households. Both go through the same bulk writer (``writer.py``): one ``bulk_create`` per table, never a
query per row, so the query count does not grow with the number of households.

What later steps find in ``ctx.data`` (both scales):
    "sub_districts", "communities", "compounds", "departments": lists of saved objects;
    "users": {username: User};
    "counts": {"communities": n, "compounds": n, "buildings": n, "units": n,
               "households": n, "shops": n, "users": n}.
"""

import random

from django.utils.translation import gettext as _

from ..models import Building, HouseholdKind, Role
from . import DemoContext, register_demo_step
from .layout import OLD_WALKUP, BuildingPlan, Shape, UnitPlan, fit_to_total, sample_building, split
from .people import owner_names, words
from .writer import (
    Accounts,
    CareRates,
    CommunityPlan,
    CompoundPlan,
    Shop,
    SubDistrictPlan,
    Written,
    write_places,
)

RESTAURANT_NOTE = "餐饮"

DEPARTMENT_NAMES = ["水务站", "城管队", "经发办", "社区办", "物业公司", "设计单位", "施工单位"]

# The 21 shops by 佳和园's west gate: 16 restaurants (whose grease clogged the old sewer) and 5 others.
RESTAURANTS = [
    "老北京炸酱面馆", "兰州牛肉拉面", "沙县小吃", "东北饺子馆", "川味麻辣烫", "重庆小面",
    "老街包子铺", "黄焖鸡米饭", "西北手擀面", "湘味家常菜", "串串烧烤", "卤煮火烧",
    "驴肉火烧", "麻辣香锅", "羊蝎子火锅", "早点铺",
]  # fmt: skip
OTHER_SHOPS = [("便民超市", "零售"), ("美发店", "服务"), ("五金建材", "零售"), ("社区药店", "零售"), ("干洗店", "服务")]

# 北门: over 30% of households have someone over 60; 清逸园 and 上林苑 likewise.
ELDERLY_HEAVY = CareRates(elderly_alone=0.08, mobility_impaired=0.05, bedridden=0.01)


def seed_registry(ctx: DemoContext) -> None:
    if ctx.scale == "district":
        build_district(ctx)
    else:
        build_demo(ctx)


# --- the named demo -------------------------------------------------------------------------


def _sampled(rng: random.Random, count: int) -> list[BuildingPlan]:
    """``count`` walk-ups 1号楼, 2号楼 … of 5–6 floors, 2–3 units, 2–3 flats per landing."""
    return [sample_building(rng, f"{n}号楼", OLD_WALKUP) for n in range(1, count + 1)]


def _jiaheyuan(rng: random.Random) -> CompoundPlan:
    """佳和园: six walk-ups; 1号楼 and 2号楼 face the west gate with 21 shops on the ground floor."""
    buildings = _sampled(rng, 6)
    for building, shop_count in zip(buildings[:2], (11, 10), strict=True):
        for unit in building.units:
            unit.first_floor = 2
        building.floors = 5
        building.units.append(UnitPlan("底商", shop_count, kind=HouseholdKind.SHOP, own_floors=1))
    shops = [Shop(f"{name}（{owner_names(rng, couple_share=0)}）", RESTAURANT_NOTE, (35, 150)) for name in RESTAURANTS]
    shops += [Shop(f"{name}（{owner_names(rng, couple_share=0)}）", note, (20, 80)) for name, note in OTHER_SHOPS]
    rng.shuffle(shops)
    return CompoundPlan("佳和园", "北京市大兴区旧宫镇佳和园", 1998, buildings, (55, 110), shops=shops)


def _nanluyi(rng: random.Random) -> CompoundPlan:
    """南路一: a 1980s estate of small flats; 5号楼 is the 16-floor tower on one riser."""
    buildings = _sampled(rng, 12)
    buildings[4] = BuildingPlan("5号楼", 16, [UnitPlan("1单元", 2)])
    overrides = {("5号楼", "1单元", "902"): {"bedridden": True, "mobility_impaired": True, "elderly_alone": False}}
    return CompoundPlan(
        "南路一", "北京市门头沟区大峪街道南路一区", 1984, buildings, (45, 80), ELDERLY_HEAVY, overrides=overrides
    )


def _beimen(rng: random.Random) -> list[CompoundPlan]:
    """北门社区: exactly 800 households over its three courtyards."""
    courtyards = [
        ("北门东院", 1988, _sampled(rng, 9)),
        ("北门西院", 1992, _sampled(rng, 8)),
        ("北门南院", 1995, _sampled(rng, 7)),
    ]
    fit_to_total([b for _n, _y, buildings in courtyards for b in buildings], 800, rng, OLD_WALKUP)
    return [
        CompoundPlan(name, f"山东省济宁市任城区古槐街道{name}", year, buildings, (50, 100), ELDERLY_HEAVY)
        for name, year, buildings in courtyards
    ]


def _yunyuan() -> CompoundPlan:
    """蕴园: three walk-ups; elevators were added to 3号楼3单元 and to 1号楼."""
    buildings = [
        BuildingPlan("1号楼", 6, [UnitPlan(f"{i}单元", 2) for i in (1, 2)]),
        BuildingPlan("2号楼", 6, [UnitPlan(f"{i}单元", 2) for i in (1, 2, 3)]),
        BuildingPlan("3号楼", 6, [UnitPlan(f"{i}单元", 2) for i in (1, 2, 3, 4)]),
    ]
    return CompoundPlan("蕴园", "山西省阳泉市城区上站街道蕴园小区", 1994, buildings, (55, 95))


def demo_plan(rng: random.Random) -> list[SubDistrictPlan]:
    """The named places of the news reports. 北门 has its real 800 households; the larger
    estates are scaled down (清逸园 has 5,850 residents, 上林苑 3,300) to about 900 and 700
    households so that seeding stays a matter of seconds."""
    jiugong = "北京市大兴区旧宫镇"
    qingyi = CompoundPlan("清逸园", f"{jiugong}清逸园", 1990, _sampled(rng, 26), (48, 95), ELDERLY_HEAVY)
    shanglin = CompoundPlan("上林苑", f"{jiugong}上林苑", 2002, _sampled(rng, 21), (60, 120), ELDERLY_HEAVY)
    tiwei = CompoundPlan("体委小区", "山西省阳泉市城区南山路街道体委小区", 1989, _sampled(rng, 5))
    return [
        SubDistrictPlan(
            "旧宫镇",
            "010",
            [
                CommunityPlan("佳和园社区", f"{jiugong}佳和园小区西门", [_jiaheyuan(rng)]),
                CommunityPlan("清逸园社区", f"{jiugong}清逸园小区", [qingyi]),
                CommunityPlan("上林苑社区", f"{jiugong}上林苑小区", [shanglin]),
            ],
            departments=["旧宫镇水务站", *DEPARTMENT_NAMES[1:]],
        ),
        SubDistrictPlan(
            "大峪街道", "010", [CommunityPlan("南路一社区", "北京市门头沟区大峪街道南路一区", [_nanluyi(rng)])]
        ),
        SubDistrictPlan(
            "古槐街道", "0537", [CommunityPlan("北门社区", "山东省济宁市任城区古槐街道北门", _beimen(rng))]
        ),
        SubDistrictPlan(
            "上站街道", "0353", [CommunityPlan("小阳泉北社区", "山西省阳泉市城区上站街道小阳泉北", [_yunyuan()])]
        ),
        SubDistrictPlan(
            "南山路街道", "0353", [CommunityPlan("南山南路社区", "山西省阳泉市城区南山路街道南山南路", [tiwei])]
        ),
    ]


def build_demo(ctx: DemoContext) -> Written:
    written = write_places(demo_plan(ctx.rng), ctx.rng)
    by_name = {c.name: c for c in written.communities}
    head_building = written.buildings[("南路一", "5号楼")]
    water = next(d for d in written.departments if d.name == "旧宫镇水务站")
    jiugong = next(s for s in written.sub_districts if s.name == "旧宫镇")
    accounts = Accounts(ctx.rng)
    accounts.superuser("admin", "系统管理员")
    accounts.member("demo_staff", written.communities, Role.ADMIN)
    accounts.member("bm_staff", [by_name["北门社区"]], Role.STAFF)
    accounts.member("nly_staff", [by_name["南路一社区"]], Role.STAFF)
    accounts.member("nly_head", [by_name["南路一社区"]], Role.BUILDING_HEAD, buildings=[head_building])
    accounts.member("jh_water", [by_name["佳和园社区"]], Role.DEPARTMENT, department=water)
    accounts.street("jgz_street", jiugong)
    users = accounts.save()
    _remember(ctx, written, users)
    for community, count in written.households_by_community.items():
        ctx.log(_("%(community)s: %(count)s households") % {"community": community, "count": count})
    return written


# --- the district benchmark -----------------------------------------------------------------

# Taller and wider than the named demo's walk-ups: 900 buildings must hold 50,000 flats.
DISTRICT_SHAPE = Shape(
    floors={5: 0.25, 6: 0.45, 7: 0.30},
    units={2: 0.15, 3: 0.55, 4: 0.30},
    per_floor={2: 0.15, 3: 0.85},
)
_PLACE_PREFIXES = words(
    "和平 幸福 建设 光明 团结 育才 文化 东风 红星 友谊 新华 朝阳 振兴 胜利 向阳 解放 "
    "工农 青年 民主 长安 永安 太平 安居 康乐 春晖 丰收 利民 兴业 铁路 电力"
)
_COMMUNITY_SUFFIXES = ["里社区", "路社区", "街社区", "社区"]
_COMPOUND_SUFFIXES = ["小区", "家园", "新村", "东里", "西里", "南里", "北里", "花园", "公寓", "苑"]
_AREA_PROFILES = [(45, 75), (50, 90), (55, 100), (60, 120)]


def _unique_names(rng: random.Random, count: int, suffixes: list[str]) -> list[str]:
    names = [p + s for s in suffixes for p in _PLACE_PREFIXES]
    if count > len(names):
        names += [f"{n}{i}" for i in range(2, count // len(names) + 2) for n in list(names)]
    rng.shuffle(names)
    return names[:count]


def _compounds_per_community(compounds: int, communities: int, rng: random.Random) -> list[int]:
    """The first community is a large one (a fifth of the compounds, about 10,000 households
    at full size), as big estates are: a ballot or sign-off over 10,000 households of one
    community is what the benchmarks measure. The rest share the remainder evenly."""
    if communities == 1:
        return [compounds]
    big = max(1, compounds // 5)
    return [big, *split(compounds - big, communities - 1, rng)]


def district_plan(
    rng: random.Random, *, households_target: int, communities: int, compounds: int, buildings: int
) -> SubDistrictPlan:
    community_names = _unique_names(rng, communities, _COMMUNITY_SUFFIXES)
    compound_names = iter(_unique_names(rng, compounds, _COMPOUND_SUFFIXES))
    buildings_per_compound = iter(split(buildings, compounds, rng))
    community_plans = []
    all_buildings = []
    for community_name, compound_count in zip(
        community_names, _compounds_per_community(compounds, communities, rng), strict=True
    ):
        compound_plans = []
        for _i in range(compound_count):
            name = next(compound_names)
            count = next(buildings_per_compound)
            plans = [sample_building(rng, f"{n}号楼", DISTRICT_SHAPE) for n in range(1, count + 1)]
            all_buildings += plans
            compound_plans.append(
                CompoundPlan(name, f"示范街道{name}", rng.randint(1980, 2000), plans, rng.choice(_AREA_PROFILES))
            )
        community_plans.append(CommunityPlan(community_name, f"示范街道{community_name}", compound_plans))
    fit_to_total(all_buildings, households_target, rng, DISTRICT_SHAPE)
    return SubDistrictPlan("示范街道", "010", community_plans, departments=["示范街道水务站", *DEPARTMENT_NAMES[1:]])


def build_district(
    ctx: DemoContext,
    *,
    households_target: int = 50_000,
    communities: int = 12,
    compounds: int = 60,
    buildings: int = 900,
) -> Written:
    """The benchmark data set. Tests pass a smaller size; the queries stay the same kind and
    number per table (bulk inserts), whatever the size."""
    rng = ctx.rng
    plan = district_plan(
        rng, households_target=households_target, communities=communities, compounds=compounds, buildings=buildings
    )
    written = write_places([plan], rng)
    water = next(d for d in written.departments if d.name.endswith("水务站"))
    buildings_by_community: dict[int, list[Building]] = {}
    for building in written.buildings.values():
        buildings_by_community.setdefault(building.compound.community_id, []).append(building)
    accounts = Accounts(rng)
    accounts.superuser("admin", "系统管理员")
    accounts.member("demo_staff", written.communities, Role.ADMIN)
    accounts.street("district_street", written.sub_districts[0])
    for number, community in enumerate(written.communities, start=1):
        prefix = f"c{number:02d}"
        own_buildings = buildings_by_community[community.pk]
        accounts.member(f"{prefix}_admin", [community], Role.ADMIN)
        for i in (1, 2):
            accounts.member(f"{prefix}_staff{i}", [community], Role.STAFF)
            accounts.member(
                f"{prefix}_head{i}", [community], Role.BUILDING_HEAD, buildings=own_buildings[3 * (i - 1) : 3 * i]
            )
        accounts.member(f"{prefix}_dept", [community], Role.DEPARTMENT, department=water)
    users = accounts.save()
    _remember(ctx, written, users)
    ctx.log(
        _("%(households)s households in %(buildings)s buildings of %(compounds)s compounds")
        % {
            "households": f"{written.households:,}",
            "buildings": f"{len(written.buildings):,}",
            "compounds": len(written.compounds),
        }
    )
    return written


def _remember(ctx: DemoContext, written: Written, users: dict) -> None:
    ctx.data.update(
        sub_districts=written.sub_districts,
        communities=written.communities,
        compounds=written.compounds,
        departments=written.departments,
        users=users,
        counts={
            "communities": len(written.communities),
            "compounds": len(written.compounds),
            "buildings": len(written.buildings),
            "units": written.units,
            "households": written.households,
            "shops": written.shops,
            "users": len(users),
        },
    )


register_demo_step(10, "registry", seed_registry)
