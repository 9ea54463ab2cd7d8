"""Warn when a room number seems to have lost its leading zero.

A roster exported with rooms 0101, 0102… and opened in LibreOffice or WPS, or saved as CSV
and opened again, comes back as 101, 102…: the spreadsheet read the room as a number.
Imported as is, 101 would become a second household beside 0101. The import cannot know
for sure (some buildings do number rooms 101), so it warns, row by row, when the other
rooms of the same building, in the registry or in the file, are written with a leading
zero. Pure: the caller passes the rooms it knows.
"""

from collections import defaultdict
from collections.abc import Iterable

BuildingKey = tuple[int, str]  # (compound id, building name)


def lost_zero_warnings(
    rows: Iterable[tuple[int, dict]], known_rooms: dict[BuildingKey, Iterable[str]]
) -> dict[int, dict]:
    """Row number → ``{"code": "leading_zero", "room": "101", "like": "0101", "building": …}``
    for the rows whose room is a plain number without the leading zero its building uses."""
    rows = list(rows)
    padded: dict[BuildingKey, dict[str, str]] = defaultdict(dict)  # "101" → "0101"
    widths: dict[BuildingKey, int] = defaultdict(int)

    def note(key: BuildingKey, room: str) -> None:
        if room.isdecimal() and room.startswith("0") and room.strip("0"):
            padded[key].setdefault(room.lstrip("0"), room)
            widths[key] = max(widths[key], len(room))

    for key, rooms in known_rooms.items():
        for room in rooms:
            note(key, room)
    for _number, values in rows:
        note((values["compound_id"], values["building"]), values["room"])

    warnings = {}
    for number, values in rows:
        key, room = (values["compound_id"], values["building"]), values["room"]
        if key not in padded or not room.isdecimal() or room.startswith("0"):
            continue
        like = padded[key].get(room) or (room.zfill(widths[key]) if len(room) < widths[key] else None)
        if like:
            warnings[number] = {"code": "leading_zero", "room": room, "like": like, "building": values["building"]}
    return warnings
