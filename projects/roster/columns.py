"""The roster's columns: one definition shared by the template, the import and the export,
so an exported file can be edited and imported again.

The headers and the cell words (住宅/底商, 是/否) are the file format community offices
already use in their 台账, not interface text: they stay Chinese whatever language the
page is shown in, so files move between offices unchanged. English headers and words are
accepted too.
"""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..models import AreaSource, HouseholdKind, OwnerKind


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...]
    required: bool
    width: int
    help: Promise
    example: str | int | float
    text: bool = True  # keep as text in Excel (no lost leading zeros, no dates)


COLUMNS: tuple[Column, ...] = (
    Column(
        "compound",
        "小区",
        ("小区名称", "小区名", "compound", "estate"),
        True,
        14,
        _("Must already exist in this community, spelled as in the registry."),
        "佳和园",
    ),
    Column(
        "building",
        "楼栋",
        ("楼号", "楼栋号", "楼", "building"),
        True,
        10,
        _("For example 3号楼. A plain number such as 3 is read as 3号楼. New buildings are created."),
        "1号楼",
    ),
    Column(
        "unit",
        "单元",
        ("单元号", "unit", "entrance", "stairwell"),
        True,
        8,
        _("For example 2单元. A plain number such as 2 is read as 2单元. New units are created."),
        "1单元",
    ),
    Column(
        "room",
        "房号",
        ("房间号", "门牌号", "户号", "room", "room number"),
        True,
        8,
        _("Room number, unique within the unit, e.g. 301."),
        "301",
    ),
    Column(
        "floor",
        "楼层",
        ("所在楼层", "层", "floor"),
        False,
        6,
        _("A whole number. When empty it is taken from the room number (301 → 3)."),
        3,
        text=False,
    ),
    Column(
        "area",
        "专有面积",
        ("专有部分面积", "面积", "area", "exclusive area"),
        False,
        10,
        _("Exclusive floor area in m², greater than 0. Empty: not recorded for a new household, unchanged otherwise."),
        85.5,
        text=False,
    ),
    Column(
        "kind",
        "类型",
        ("房屋类型", "户型类别", "kind", "type"),
        False,
        8,
        _("住宅 (residential) or 底商 (ground-floor shop). Empty: 住宅 for a new household, unchanged otherwise."),
        "住宅",
    ),
    Column(
        "owners",
        "业主姓名",
        ("业主", "姓名", "产权人", "owner", "owners", "owner names", "owner name"),
        False,
        14,
        _("One or more names, separated by 、. Empty: unchanged."),
        "王建国、李秀英",
    ),
    Column(
        "phone",
        "联系电话",
        ("电话", "手机", "手机号", "联系方式", "phone", "mobile", "telephone"),
        False,
        14,
        _("An 11-digit mobile number or a landline such as 010-12345678. Empty: unchanged."),
        "13812345678",
    ),
    Column(
        "elderly_alone",
        "独居老人",
        ("elderly alone", "elderly living alone"),
        False,
        9,
        _("是 or 否. Empty: unchanged (否 for a new household)."),
        "否",
    ),
    Column(
        "mobility_impaired",
        "行动不便",
        ("mobility impaired",),
        False,
        9,
        _("是 or 否. Empty: unchanged (否 for a new household)."),
        "否",
    ),
    Column(
        "bedridden",
        "卧床",
        ("卧床老人", "bedridden"),
        False,
        7,
        _("是 or 否. Empty: unchanged (否 for a new household)."),
        "否",
    ),
    Column(
        "owner_kind",
        "业主类型",
        ("产权人类型", "owner kind", "owner type"),
        False,
        10,
        _("个人, 产权单位 (e.g. the unit owning 公房) or 建设单位 (the developer). Empty: 个人."),
        "个人",
    ),
    Column(
        "owner_reference",
        "业主编号",
        ("证件尾号", "owner reference", "owner id"),
        False,
        10,
        _("Optional. The same number on several rows makes one person who owns several flats (one name only)."),
        "",
    ),
    Column(
        "area_source",
        "面积来源",
        ("面积依据", "area source"),
        False,
        10,
        _("不动产登记簿, 测绘 or 合同 (SPC interpretation Art. 8). Empty: unchanged (不详 for a new household)."),
        "不动产登记簿",
    ),
)

BY_KEY = {column.key: column for column in COLUMNS}
FLAG_KEYS = ("elderly_alone", "mobility_impaired", "bedridden")

KIND_WORDS = {
    "住宅": HouseholdKind.RESIDENTIAL,
    "住户": HouseholdKind.RESIDENTIAL,
    "residential": HouseholdKind.RESIDENTIAL,
    "底商": HouseholdKind.SHOP,
    "商铺": HouseholdKind.SHOP,
    "shop": HouseholdKind.SHOP,
}
KIND_LABELS = {HouseholdKind.RESIDENTIAL: "住宅", HouseholdKind.SHOP: "底商"}

OWNER_KIND_WORDS = {
    "个人": OwnerKind.PERSON,
    "自然人": OwnerKind.PERSON,
    "person": OwnerKind.PERSON,
    "产权单位": OwnerKind.PROPERTY_UNIT,
    "单位": OwnerKind.PROPERTY_UNIT,
    "property unit": OwnerKind.PROPERTY_UNIT,
    "建设单位": OwnerKind.DEVELOPER,
    "开发商": OwnerKind.DEVELOPER,
    "开发企业": OwnerKind.DEVELOPER,
    "developer": OwnerKind.DEVELOPER,
}
OWNER_KIND_LABELS = {OwnerKind.PERSON: "个人", OwnerKind.PROPERTY_UNIT: "产权单位", OwnerKind.DEVELOPER: "建设单位"}

AREA_SOURCE_WORDS = {
    "不动产登记簿": AreaSource.REGISTER,
    "登记簿": AreaSource.REGISTER,
    "产权证": AreaSource.REGISTER,
    "register": AreaSource.REGISTER,
    "测绘": AreaSource.SURVEY,
    "实测": AreaSource.SURVEY,
    "survey": AreaSource.SURVEY,
    "合同": AreaSource.CONTRACT,
    "购房合同": AreaSource.CONTRACT,
    "contract": AreaSource.CONTRACT,
    "不详": AreaSource.UNKNOWN,
    "未知": AreaSource.UNKNOWN,
    "unknown": AreaSource.UNKNOWN,
}
AREA_SOURCE_LABELS = {
    AreaSource.REGISTER: "不动产登记簿",
    AreaSource.SURVEY: "测绘",
    AreaSource.CONTRACT: "合同",
    AreaSource.UNKNOWN: "不详",
}

YES, NO = "是", "否"
FLAG_WORDS = {
    YES: True,
    "y": True,
    "yes": True,
    "true": True,
    "1": True,
    "√": True,
    "✓": True,
    NO: False,
    "n": False,
    "no": False,
    "false": False,
    "0": False,
    "×": False,
}

# A row whose compound cell starts with one of these is the template's example: skipped.
EXAMPLE_MARKERS = ("示例", "example")
EXAMPLE_PREFIX = "示例："


def normalise_header(text) -> str:
    """'联系电话（手机）' → '联系电话', ' Owner_Names ' → 'owner names', '小区*' → '小区'."""
    text = str(text or "")
    text = re.sub(r"[（(\[【].*?[)）\]】]", "", text)
    text = text.replace("*", "").replace("：", "").replace(":", "")
    text = re.sub(r"[_\-\s]+", " ", text).strip().lower()
    return text


HEADER_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases, _column.key):
        HEADER_LOOKUP[normalise_header(_name)] = _column.key
del _column, _name


def column_label(key: str) -> str:
    return BY_KEY[key].header


ROSTER_SHEET = "住户名册"
HELP_SHEET = "填写说明"
