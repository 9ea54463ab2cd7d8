"""Plausible Chinese names and phone numbers for demo households and staff.

Everything is drawn from the ``random.Random`` the seed command passes in, so one
``--seed`` always gives the same people. Names follow what a 台账 of an old estate really
looks like: owners are mostly born in the 1940s–1970s (建国, 秀兰, 桂英…), a minority are
younger, and about a third of flats are registered to a couple.
"""

import itertools
import random


def words(text: str) -> tuple[str, ...]:
    """A space-separated word list, easier to read and edit than a column of quoted names."""
    return tuple(text.split())


# The most common surnames with rough relative frequencies (per mille of the population).
SURNAMES = {
    "王": 72, "李": 72, "张": 68, "刘": 54, "陈": 46, "杨": 33, "黄": 23, "赵": 22, "吴": 20,
    "周": 19, "徐": 17, "孙": 15, "马": 14, "朱": 14, "胡": 13, "郭": 12, "何": 12, "高": 12,
    "林": 12, "罗": 11, "郑": 10, "梁": 10, "谢": 8, "宋": 8, "唐": 8, "许": 7, "韩": 7,
    "冯": 7, "邓": 7, "曹": 7, "彭": 6, "曾": 6, "肖": 6, "田": 6, "董": 6, "袁": 5, "潘": 5,
    "于": 5, "蒋": 5, "蔡": 5, "余": 5, "杜": 5, "叶": 5, "程": 5, "苏": 4, "魏": 4, "吕": 4,
    "丁": 4, "任": 4, "沈": 4, "姚": 4, "卢": 4, "姜": 4, "崔": 4, "钟": 3, "谭": 3, "陆": 3,
    "汪": 3, "范": 3, "金": 3, "石": 3, "廖": 3, "贾": 3, "夏": 3, "付": 3, "方": 3, "白": 3,
    "邹": 3, "孟": 3, "熊": 3, "秦": 3, "邱": 3, "江": 3, "尹": 3, "薛": 2, "闫": 2, "段": 2,
    "雷": 2, "侯": 2, "史": 2, "郝": 2, "毛": 2, "常": 2, "康": 2, "武": 2, "牛": 2,
}  # fmt: skip

OLDER_MALE = words(
    "建国 建华 建军 建平 国强 国庆 国华 国栋 志强 志刚 志明 德明 德胜 德福 文彬 文华 卫东 卫国 "
    "红军 海涛 海军 永刚 永强 永生 立新 立军 春生 宝山 金山 玉林 振华 长青 庆华 福生 树林 "
    "广仁 连顺 宝林 凤山 明 军 伟 强 勇 斌 刚 涛 平 林 华 杰 辉 忠 亮"
)
OLDER_FEMALE = words(
    "秀兰 秀英 桂英 桂兰 桂芝 玉兰 玉珍 玉芬 淑珍 淑华 淑英 淑芬 凤英 凤兰 凤琴 丽华 丽娟 "
    "红梅 红霞 秀珍 秀芳 美玲 春梅 冬梅 翠兰 素芬 慧敏 金凤 月英 兰英 瑞芬 雅琴 "
    "静 敏 丽 芳 娟 霞 燕 萍 红 英 华 梅"
)
YOUNGER = words(
    "子涵 浩然 宇轩 欣怡 一诺 梓萱 思远 雨桐 俊杰 佳琪 晓东 晓燕 海燕 雪梅 文静 嘉怡 "
    "博文 天宇 子豪 诗涵 磊 鹏 超 浩 婷 洁 琳 昊"
)

# Mobile prefixes in common use: China Mobile/Unicom/Telecom 13x, 15x and 18x.
MOBILE_PREFIXES = [f"13{d}" for d in range(10)] + [f"15{d}" for d in "01235789"] + [f"18{d}" for d in range(10)]

_SURNAME_LIST = list(SURNAMES)
_SURNAME_CUM_WEIGHTS = list(itertools.accumulate(SURNAMES.values()))


def surname(rng: random.Random) -> str:
    return rng.choices(_SURNAME_LIST, cum_weights=_SURNAME_CUM_WEIGHTS)[0]


def person_name(rng: random.Random, *, younger_share: float = 0.15) -> str:
    """One full name: surname + one- or two-character given name."""
    family = surname(rng)
    if rng.random() < younger_share:
        given = rng.choice(YOUNGER)
    else:
        given = rng.choice(OLDER_MALE if rng.random() < 0.5 else OLDER_FEMALE)
    return family + given


def owner_names(rng: random.Random, *, couple_share: float = 0.3) -> str:
    """The owner(s) as written on the property register: one name, or a couple "王建国、李秀兰"."""
    if rng.random() < couple_share:
        husband = surname(rng) + rng.choice(OLDER_MALE)
        wife = surname(rng) + rng.choice(OLDER_FEMALE)
        return f"{husband}、{wife}"
    return person_name(rng)


def mobile_phone(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def landline(rng: random.Random, area_code: str) -> str:
    """A fixed line as an elderly resident living alone often still gives, e.g. 010-67923456."""
    digits = 8 if area_code in {"010", "020", "021", "022", "023"} else 7
    first = rng.choice("2345678")
    return f"{area_code}-{first}{rng.randrange(10 ** (digits - 1)):0{digits - 1}d}"
