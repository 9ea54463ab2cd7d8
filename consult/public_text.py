"""Check text that will be posted publicly for personal data (PIPL Art. 25).

Staff write the public summary, the report back, vote questions and action item titles
themselves; this catches the slips a busy note-taker makes: a resident's name from the
meeting's community, a mobile or landline number, an ID card number. Pure: the caller
passes in the names to look for.
"""

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from projects.privacy import mask_name, mask_phone

_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
_ID_CARD = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_NAME_SEPARATORS = re.compile(r"[、，,/;；\s]+")
MIN_NAME_LENGTH = 2


def split_names(values: Iterable[str]) -> set[str]:
    """``["张三、李四", "王五"]`` → ``{"张三", "李四", "王五"}``: owner names may hold several."""
    names = set()
    for value in values:
        for part in _NAME_SEPARATORS.split(value or ""):
            part = part.strip()
            if len(part) >= MIN_NAME_LENGTH:
                names.add(part)
    return names


def personal_data_found(text: str, names: Iterable[str]) -> list[str]:
    """One message per kind of slip, naming what was found in masked form."""
    text = text or ""
    problems = []
    phones = _MOBILE.findall(text) + _LANDLINE.findall(text)
    if phones:
        problems.append(
            _("Contains a phone number (%(found)s). Public notices give the community office number only.")
            % {"found": "、".join(mask_phone(p) for p in phones)}
        )
    if _ID_CARD.search(text):
        problems.append(_("Contains an ID card number."))
    found = sorted(name for name in names if name in text)
    if found:
        problems.append(
            _("Names a resident (%(found)s). Write “a resident”, “the shop owners” or the building instead.")
            % {"found": "、".join(mask_name(n) for n in found)}
        )
    return problems
