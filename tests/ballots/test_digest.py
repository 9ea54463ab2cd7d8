"""The SHA-256 digest of a published result: recomputable from the documented
serialisation, stable, and different as soon as any cast ballot differs; checked from the
staff page (audited) and by ``manage.py verify_ballot_digest`` (exit status)."""

import datetime
import hashlib
import json
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from consult.ballot_digest import check_digest, compute_digest
from consult.models import Ballot, CastBallot, OptionKind
from consult.services import ballots as services
from projects.models import AuditEvent, Channel

from .conftest import make_ballot, option, vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world, tower):
    """A ballot over the tower, voted online, on paper (with its date) and at the office,
    one ballot voided and cast again, counted and published."""
    now = timezone.now()
    start = now - timedelta(days=10)
    ballot = make_ballot(world, now=start)
    vote(ballot, tower[0], now=start + timedelta(hours=1))
    vote(
        ballot,
        tower[1],
        OptionKind.AGAINST,
        by=world.staff,
        channel=Channel.PAPER,
        paper_serial="纸-7",
        paper_date=(start + timedelta(days=1)).date(),
        now=start + timedelta(days=2),
    )
    wrong = vote(ballot, tower[2], OptionKind.ABSTAIN, by=world.staff, channel=Channel.HOME_VISIT, now=start)
    services.void_cast_ballot(cast=wrong, by=world.staff, reason="录错了户", now=start + timedelta(hours=2))
    vote(ballot, tower[2], by=world.staff, channel=Channel.HOME_VISIT, now=start + timedelta(hours=3))
    services.ballot_close(ballot=ballot, by=world.admin, now=ballot.closes_at)
    return services.ballot_publish(ballot=ballot, by=world.admin, now=ballot.closes_at)


def by_hand(ballot: Ballot) -> str:
    """The digest recomputed from the docstring of ``consult.ballot_digest`` alone."""

    def instant(value):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00") if value else None

    rows = [
        [
            c.pk,
            c.household_id,
            f"{c.option.kind}:{c.option.position}",
            c.channel,
            instant(c.cast_at),
            c.paper_reference,
            c.paper_date.strftime("%Y-%m-%d") if c.paper_date else None,
            instant(c.voided_at),
        ]
        for c in CastBallot.objects.filter(ballot=ballot).select_related("option").order_by("pk")
    ]
    text = json.dumps({"v": 1, "ballot": ballot.pk, "cast": rows}, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tamper(model, pk, **values):
    """Change a row behind the app's back. On PostgreSQL the append-only trigger would
    refuse, so it is switched off for this transaction (only a superuser can), as an
    attacker with full control of the database could."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    model.objects.filter(pk=pk).update(**values)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def test_publishing_fixes_the_digest_of_every_cast_ballot(published):
    assert published.result_digest == by_hand(published)
    assert len(published.result_digest) == 64
    assert CastBallot.objects.filter(ballot=published).count() == 4  # the voided one counts too
    event = published.events.get(action="published")
    assert event.note_params["digest"] == published.result_digest
    assert published.result_digest in event.display_note


def test_the_digest_is_stable(published):
    assert compute_digest(published) == compute_digest(Ballot.objects.get(pk=published.pk)) == published.result_digest
    assert check_digest(published).matches


def _other_channel(cast, ballot):
    channel = Channel.PHONE if cast.channel != Channel.PHONE else Channel.HOME_VISIT
    return {"channel": channel, "entered_by": cast.entered_by or ballot.created_by, "paper_reference": "P-1"}


CHANGES = {
    "option": lambda c, ballot: {"option": option(ballot, "against" if c.option.kind == "for" else "for")},
    "cast_at": lambda c, ballot: {"cast_at": c.cast_at + timedelta(seconds=1)},
    "cast_at by a microsecond": lambda c, ballot: {"cast_at": c.cast_at + timedelta(microseconds=1)},
    "channel": _other_channel,
    "paper_reference": lambda c, ballot: {"paper_reference": c.paper_reference + "x", "entered_by": ballot.created_by},
    "paper_date": lambda c, ballot: {
        "paper_date": (c.paper_date or c.cast_at.date()) - timedelta(days=1),
        "entered_by": ballot.created_by,
    },
    "household": lambda c, ballot: {
        "household": ballot.eligible.exclude(household__cast_ballots__ballot=ballot).first().household
    },
}


@pytest.mark.parametrize("which", [0, 1, 3], ids=["online", "paper", "last"])
def test_any_change_to_any_cast_ballot_changes_the_digest(published, which):
    cast = list(CastBallot.objects.filter(ballot=published).order_by("pk"))[which]
    for name, change in CHANGES.items():
        values = change(cast, published)
        if cast.channel == Channel.ONLINE and "entered_by" in values:
            values.setdefault("channel", Channel.HOME_VISIT)  # an online row has no paper and no clerk
        with transaction.atomic():
            tamper(CastBallot, cast.pk, **values)
            check = check_digest(published)
            assert check.recomputed != published.result_digest and not check.matches, name
            transaction.set_rollback(True)
    assert check_digest(published).matches  # every change was rolled back


def test_voiding_or_unvoiding_after_publication_changes_the_digest(published, world):
    valid = CastBallot.objects.filter(ballot=published, voided_at__isnull=True).first()
    tamper(CastBallot, valid.pk, voided_at=timezone.now(), voided_by=world.staff, void_reason="事后作废")
    assert not check_digest(published).matches
    tamper(CastBallot, valid.pk, voided_at=None, voided_by=None, void_reason="")
    assert check_digest(published).matches
    voided = CastBallot.objects.filter(ballot=published, voided_at__isnull=False).first()
    tamper(CastBallot, voided.pk, voided_at=voided.voided_at + timedelta(seconds=1))
    assert not check_digest(published).matches


def test_a_ballot_added_or_removed_changes_the_digest(published):
    last = CastBallot.objects.filter(ballot=published).order_by("pk").last()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    CastBallot.objects.filter(pk=last.pk).delete()
    assert not check_digest(published).matches


def test_a_rewritten_stored_digest_is_caught_by_the_history(published):
    """Someone who edits the cast ballots and then rewrites ``result_digest`` to match still
    meets the copy in the append-only "published" event."""
    cast = CastBallot.objects.filter(ballot=published).first()
    tamper(CastBallot, cast.pk, channel=Channel.PHONE)
    Ballot.objects.filter(pk=published.pk).update(result_digest=compute_digest(published))
    published.refresh_from_db()
    assert published.result_digest == compute_digest(published)
    assert not check_digest(published).matches


def test_an_unpublished_ballot_has_no_digest_and_cannot_be_checked(world):
    ballot = make_ballot(world)
    vote(ballot, world.household)
    services.ballot_close(ballot=ballot, by=world.admin, now=ballot.closes_at)
    ballot.refresh_from_db()
    assert ballot.result_digest == ""
    with pytest.raises(services.BallotError):
        services.ballot_verify_digest(ballot=ballot, by=world.admin)


# --- where it is shown and checked -----------------------------------------------------------


def test_the_public_result_and_the_notice_print_the_digest(client, published):
    for name in ("consult:ballot_public", "consult:ballot_notice"):
        html = client.get(reverse(name, args=[published.pk])).content.decode()
        assert published.result_digest in html and "SHA-256" in html


def alerts(response) -> str:
    """The text of the messages shown after a redirect."""
    return " ".join(re.findall(r'<div class="alert[^"]*" role="alert">(.*?)</div>', response.content.decode(), re.S))


def test_staff_verify_from_the_ballot_page_and_the_check_is_audited(client, act_as, world, published):
    act_as(client, world.staff)
    page = client.get(reverse("consult:ballot", args=[published.pk])).content.decode()
    url = reverse("consult:ballot_verify_digest", args=[published.pk])
    assert url in page

    said = alerts(client.post(url, follow=True))
    assert said.startswith("一致：") and published.result_digest in said
    event = AuditEvent.objects.get(action="ballot_digest_verified")
    assert event.actor == world.staff and event.community == world.community
    assert event.after == {"stored": published.result_digest, "recomputed": published.result_digest, "matches": True}

    cast = CastBallot.objects.filter(ballot=published).first()
    tamper(CastBallot, cast.pk, channel=Channel.PHONE)
    said = alerts(client.post(url, follow=True))
    assert said.startswith("不一致：") and compute_digest(published) in said and published.result_digest in said
    assert AuditEvent.objects.filter(action="ballot_digest_verified").latest("pk").after["matches"] is False


def test_verify_is_post_only(client, act_as, world, published):
    act_as(client, world.staff)
    assert client.get(reverse("consult:ballot_verify_digest", args=[published.pk])).status_code == 405


def test_verifying_an_unpublished_ballot_is_refused_with_a_message(client, act_as, world):
    ballot = make_ballot(world)
    act_as(client, world.staff)
    said = alerts(client.post(reverse("consult:ballot_verify_digest", args=[ballot.pk]), follow=True))
    assert said == "结果公布后才有摘要可以核对。"
    assert not AuditEvent.objects.filter(action="ballot_digest_verified").exists()


# --- the management command ------------------------------------------------------------------


def test_command_exits_zero_when_the_digest_matches(published, capsys):
    call_command("verify_ballot_digest", str(published.pk))
    assert published.result_digest in capsys.readouterr().out
    call_command("verify_ballot_digest", "--all")


def test_command_exits_one_on_a_mismatch(published, capsys):
    cast = CastBallot.objects.filter(ballot=published).first()
    tamper(CastBallot, cast.pk, paper_reference="改")
    with pytest.raises(CommandError) as failed:
        call_command("verify_ballot_digest", str(published.pk))
    assert failed.value.returncode == 1
    with pytest.raises(CommandError) as failed:
        call_command("verify_ballot_digest", "--all")
    assert failed.value.returncode == 1
    assert compute_digest(published) in capsys.readouterr().out


def test_command_exits_two_when_there_is_nothing_to_check(world):
    unpublished = make_ballot(world)
    for ballot_id in (unpublished.pk, 999999):
        with pytest.raises(CommandError) as failed:
            call_command("verify_ballot_digest", str(ballot_id))
        assert failed.value.returncode == 2


def test_command_needs_a_ballot_or_all(db):
    with pytest.raises(CommandError):
        call_command("verify_ballot_digest")
