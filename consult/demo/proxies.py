"""Demo of paper that proves itself, on 蕴园's elevator ballot (called by its seed step
before the count):

- 1号楼's lowest-floor flat whose elderly owner (82, 刘淑珍 when the registry names nobody)
  now lives with her son across town: she authorised him in writing (委托书 No. 蕴园-委2026-001), staff recorded the
  authorisation on the household page, and his paper ballot names it;
- a paper ballot from the ballot box opened on the last day of voting, typed in the
  morning after closing: it carries the date the box was opened, so the tally shows it
  as "entered after closing, dated in time".
"""

from datetime import timedelta

from django.utils import timezone

from projects.models import Channel, Ownership

from ..models import EligibleHousehold, OptionKind
from ..services.ballots import cast_ballot
from ..services.proxies import proxy_authorise

PROXY_NUMBER = "蕴园-委2026-001"


def late_papers_and_proxy(ctx, ballot, households, staff) -> None:
    """``households``: eligible households of ``ballot`` that have not voted, lowest floor first."""
    if len(households) < 2:
        ctx.log("  · 蕴园 proxy and late-paper demo skipped: not enough households without a vote")
        return
    eligible = {e.household_id: e for e in EligibleHousehold.objects.filter(ballot=ballot)}
    options = {o.kind: o for o in ballot.options.all()}
    elder, from_the_box = households[:2]
    voted_on = ballot.closes_at - timedelta(days=3)
    # The owner as recorded in the registry when it lists one (the roster's owners step), else the name on the paper.
    link = Ownership.objects.filter(household=elder).select_related("owner").order_by("position", "pk").first()
    authorisation = proxy_authorise(
        household=elder,
        grantor=link.owner if link else None,
        grantor_name=link.owner.name if link else "刘淑珍",
        proxy_name="刘建军",
        proxy_phone="13911082266",
        number=PROXY_NUMBER,
        signed_on=timezone.localdate(voted_on) - timedelta(days=2),
        ballot=ballot,
        note="业主82岁，随儿子在外区居住，委托儿子代为表决。",
        by=staff,
        now=voted_on - timedelta(days=1),
    )
    cast_ballot(
        ballot=ballot,
        household=elder,
        option=options[OptionKind.FOR],
        channel=Channel.PAPER,
        entered_by=staff,
        paper_serial=eligible[elder.pk].paper_serial,
        paper_date=timezone.localdate(voted_on),
        proxy=authorisation,
        staff_entry=True,
        now=voted_on,
    )
    cast_ballot(
        ballot=ballot,
        household=from_the_box,
        option=options[OptionKind.FOR],
        channel=Channel.PAPER,
        entered_by=staff,
        paper_serial=eligible[from_the_box.pk].paper_serial,
        paper_date=ballot.last_voting_day,
        note="投票箱截止日开箱，次日录入",
        staff_entry=True,
        now=ballot.closes_at + timedelta(hours=1),
    )
    ctx.log(f"  · 蕴园 elevator ballot: 1 ballot under 委托书 {PROXY_NUMBER}, 1 box paper entered after closing")
