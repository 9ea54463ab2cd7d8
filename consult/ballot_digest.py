"""The SHA-256 digest of a ballot's cast ballots: a published result anyone can check.

When a result is published its digest is stored (``Ballot.result_digest``) and printed on
the public result and the notice. Changing, adding or removing any cast ballot afterwards,
even straight in the database, gives a different digest; staff recompute it from the
ballot page ("核对摘要") or with ``manage.py verify_ballot_digest``.

The canonical serialisation (version 1), so that anyone holding the cast ballots can
recompute it without this code:

    {"v":1,"ballot":<ballot id>,"cast":[<row>, <row>, …]}

with one row per cast ballot of the ballot, valid and voided alike, in ascending id order:

    [<cast ballot id>, <household id>, "<option key>", "<channel>", "<cast_at>",
     "<paper_reference>", "<paper_date>" or null, "<voided_at>" or null]

- option key: the option's kind and position, ``"for:1"``, ``"against:2"``,
  ``"abstain:3"``, ``"choice:1"``…;
- channel: the stored code (``online``, ``paper``, ``meeting``, ``home_visit``…);
- cast_at and voided_at: UTC in ISO 8601 with microseconds,
  ``"2025-03-03T01:00:00.000000+00:00"``; voided_at is null for a valid ballot;
- paper_date: ``"YYYY-MM-DD"``, or null.

The document is JSON without spaces (separators ``,`` and ``:``), non-ASCII characters
written as themselves, encoded in UTF-8; the digest is the lower-case hex SHA-256 of those
bytes. In Python: ``hashlib.sha256(json.dumps(doc, ensure_ascii=False,
separators=(",", ":")).encode()).hexdigest()``.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from .models import Ballot, BallotAction, CastBallot

VERSION = 1
FIELDS = (
    "pk",
    "household_id",
    "option__kind",
    "option__position",
    "channel",
    "cast_at",
    "paper_reference",
    "paper_date",
    "voided_at",
)


def _instant(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def canonical_row(row: dict) -> list:
    """One cast ballot (a ``values(*FIELDS)`` row) as it enters the document."""
    return [
        row["pk"],
        row["household_id"],
        f"{row['option__kind']}:{row['option__position']}",
        row["channel"],
        _instant(row["cast_at"]),
        row["paper_reference"],
        row["paper_date"].isoformat() if row["paper_date"] is not None else None,
        _instant(row["voided_at"]),
    ]


def canonical_document(ballot_id: int, rows) -> bytes:
    """The bytes that are hashed (see the module docstring)."""
    document = {"v": VERSION, "ballot": ballot_id, "cast": [canonical_row(row) for row in rows]}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def compute_digest(ballot: Ballot) -> str:
    """The digest of the ballot's cast ballots as they are in the database now (one query)."""
    rows = CastBallot.objects.filter(ballot_id=ballot.pk).order_by("pk").values(*FIELDS)
    return hashlib.sha256(canonical_document(ballot.pk, rows)).hexdigest()


@dataclass(frozen=True)
class DigestCheck:
    """``stored``: on the ballot; ``in_history``: in its append-only "published" event
    ("" for results published before digests were kept in the history)."""

    stored: str
    in_history: str
    recomputed: str

    @property
    def matches(self) -> bool:
        return bool(self.stored) and self.recomputed == self.stored and self.in_history in ("", self.stored)


def check_digest(ballot: Ballot) -> DigestCheck:
    """Recompute the digest and compare it with both copies written at publication."""
    published = ballot.events.filter(action=BallotAction.PUBLISHED).order_by("-at", "-pk").first()
    in_history = str((published.note_params or {}).get("digest", "")) if published else ""
    return DigestCheck(stored=ballot.result_digest, in_history=in_history, recomputed=compute_digest(ballot))
