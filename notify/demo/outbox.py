"""Demo outbox: the messages the demo communities sent over the last weeks, as the pages
would show them after real use: SMS consent recorded for most phones (on paper at meetings,
by phone, at the office), a few opt-outs, reminders for 北门东院's open ballot with most
sent, some still waiting for the morning, and some failed after their retries; a 停水 notice
for 南路一's riser works sent to the residents' group and printed; a meeting announcement.

Built with bulk inserts and no provider: the rows say what happened, as a worker would have
written them."""

from datetime import timedelta

from django.contrib.auth import get_user_model

from consult.models import Ballot, BallotStatus, Meeting, Wish, WishStatus
from projects.demo import DemoContext, register_demo_step
from projects.models import Building, Channel, Community, Household

from .. import triggers
from ..models import (
    ContactConsent,
    Delivery,
    DeliveryStatus,
    GroupWebhook,
    Job,
    JobKind,
    JobStatus,
    Message,
    MessageChannel,
    MessageKind,
    SkipReason,
)
from ..policy import normalize_phone

CONSENT_CHANNELS = [Channel.MEETING, Channel.PAPER, Channel.PHONE, Channel.OFFICE, Channel.HOME_VISIT]
ERRORS = ["HTTP 500", "timed out", "HTTP 400 号码无效"]


def consents(ctx: DemoContext, community: Community, staff, *, share: float) -> int:
    rows = []
    households = Household.objects.filter(unit__building__compound__community=community).exclude(phone="")
    for household in households.only("pk", "phone").order_by("pk"):
        if ctx.rng.random() > share:
            continue
        channel = ctx.rng.choice(CONSENT_CHANNELS)
        at = ctx.now - timedelta(days=ctx.rng.randint(20, 60), hours=ctx.rng.randint(0, 8))
        rows.append(
            ContactConsent(
                community=community,
                household=household,
                phone=normalize_phone(household.phone),
                granted=True,
                channel=channel,
                entered_by=staff,
                paper_reference=f"TY-{household.pk:05d}" if channel == Channel.PAPER else "",
                recorded_at=at,
            )
        )
        if ctx.rng.random() < 0.03:  # changed their mind later
            rows.append(
                ContactConsent(
                    community=community,
                    household=household,
                    phone=normalize_phone(household.phone),
                    granted=False,
                    channel=Channel.PHONE,
                    entered_by=staff,
                    note="电话告知不再接收短信",
                    recorded_at=at + timedelta(days=10),
                )
            )
    ContactConsent.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def history(ctx: DemoContext, draft, *, channels, by, at, fail_share=0.04, waiting_share=0.0) -> Job:
    """A message as it stands some time after it was sent, written row by row."""
    job = Job.objects.create(
        community=draft.community, kind=JobKind.SEND, title=draft.subject, created_by=by, created_at=at, started_at=at
    )
    if draft.households is None:
        recipients = list(draft.phones)
    else:
        recipients = [(h, h.phone) for h in draft.households.only("pk", "phone").order_by("pk")]
    consented = dict(
        ContactConsent.objects.filter(community=draft.community)
        .order_by("phone", "recorded_at", "pk")
        .values_list("phone", "granted")
    )  # ordered so the latest answer per phone wins
    rows, done, failed = [], 0, 0
    for channel in channels:
        message = Message.objects.create(
            community=draft.community,
            kind=draft.kind,
            channel=channel,
            ref=draft.ref,
            scope_label=draft.scope_label,
            compound=draft.compound,
            subject=draft.subject,
            text=draft.sms_text if channel == MessageChannel.SMS else draft.notice_text,
            triggered_by=by,
            created_at=at,
            job=job if channel != MessageChannel.PRINT else None,
        )
        if draft.buildings:
            message.buildings.set(draft.buildings)
        if channel == MessageChannel.GROUP:
            for group in GroupWebhook.objects.filter(community=draft.community):
                rows.append(
                    Delivery(
                        message=message,
                        group=group,
                        status=DeliveryStatus.SENT,
                        attempts=1,
                        claimed_by="demo-worker",
                        claimed_at=at,
                        sent_at=at + timedelta(seconds=2),
                        provider_ref="wecom:demo",
                    )
                )
                done += 1
        if channel != MessageChannel.SMS:
            continue
        for household, phone in recipients:
            number = normalize_phone(phone)
            answer = consented.get(number)
            row = Delivery(message=message, household=household, phone=number, next_attempt_at=at)
            if not number or not answer:
                row.status = DeliveryStatus.SKIPPED
                row.skip_reason = (
                    SkipReason.NO_PHONE
                    if not number
                    else SkipReason.NO_CONSENT
                    if answer is None
                    else SkipReason.OPTED_OUT
                )
            elif ctx.rng.random() < fail_share:
                error = ctx.rng.choice(ERRORS)
                row.status, row.last_error = DeliveryStatus.FAILED, error
                row.attempts = 1 if error.startswith("HTTP 4") else 5
                row.claimed_by, row.claimed_at = "demo-worker", at + timedelta(hours=2)
                failed += 1
                done += 1
            elif ctx.rng.random() < waiting_share:
                row.status, row.next_attempt_at = DeliveryStatus.QUEUED, ctx.now + timedelta(hours=10)
                row.attempts, row.last_error = 1, "timed out"
            else:
                row.status, row.attempts = DeliveryStatus.SENT, 1
                row.claimed_by, row.claimed_at = "demo-worker", at
                row.sent_at = at + timedelta(seconds=ctx.rng.randint(1, 600))
                row.provider_ref = f"demo-{ctx.rng.randint(10**8, 10**9)}"
                done += 1
            rows.append(row)
    sent = [r for r in rows if r.status == DeliveryStatus.SENT and r.household_id]
    if fail_share and not failed and sent:  # every demo reminder shows what a failure looks like
        row = sent[-1]
        row.status, row.sent_at, row.provider_ref = DeliveryStatus.FAILED, None, ""
        row.attempts, row.last_error = 5, "HTTP 500"
        failed = 1
    Delivery.objects.bulk_create(rows, batch_size=2000)
    waiting = any(r.status == DeliveryStatus.QUEUED for r in rows)
    job.total = sum(1 for r in rows if r.status != DeliveryStatus.SKIPPED)
    job.done, job.failed = done, failed
    job.status = JobStatus.QUEUED if waiting else JobStatus.DONE
    job.finished_at = None if waiting else at + timedelta(minutes=12)
    job.save()
    if MessageChannel.PRINT in channels:
        Job.objects.create(
            community=draft.community,
            kind=JobKind.NOTICES,
            title=f"张贴通知：{draft.subject}",
            status=JobStatus.DONE,
            total=1,
            done=1,
            created_by=by,
            created_at=at,
            started_at=at,
            finished_at=at + timedelta(seconds=20),
        )
    return job


def seed_outbox(ctx: DemoContext) -> None:
    users = get_user_model().objects
    staff = users.filter(username="demo_staff").first() or users.filter(is_superuser=True).first()
    if staff is None:
        ctx.log("  · no staff account: outbox skipped")
        return
    now = ctx.now
    total = 0
    for community in Community.objects.order_by("pk"):
        total += consents(ctx, community, staff, share=0.7)
    ballot = Ballot.objects.filter(status=BallotStatus.OPEN, title__startswith="北门东院").first()
    if ballot is not None:
        bm = users.filter(username="bm_staff").first() or staff
        draft = triggers.ballot_reminder(ballot, kind=MessageKind.BALLOT_OPENED, now=min(now, ballot.opens_at))
        history(ctx, draft, channels=[MessageChannel.SMS, MessageChannel.PRINT], by=bm, at=ballot.opens_at)
        if ballot.closes_at - now <= triggers.CLOSING_WINDOW:
            draft = triggers.ballot_reminder(ballot, kind=MessageKind.BALLOT_CLOSING, now=now)
            history(ctx, draft, channels=[MessageChannel.SMS], by=bm, at=now - timedelta(hours=1), waiting_share=0.1)
    nanluyi = Community.objects.filter(name__startswith="南路一").first()
    project = ctx.data.get("projects", {}).get("nanluyi_water_pipes")
    if nanluyi is not None and project is not None:
        GroupWebhook.objects.create(
            community=nanluyi,
            name="旧改大家谈",
            url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=demo-not-a-real-key",
        )
        buildings = list(project.buildings.select_related("compound")[:1]) or list(
            Building.objects.filter(compound__community=nanluyi).select_related("compound")[:1]
        )
        if buildings:
            starts = (ctx.now + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
            draft = triggers.construction_notice(
                project,
                buildings=buildings,
                what="water",
                starts=starts,
                ends=starts.replace(hour=17),
                detail="请提前储水；北门设临时供水点。",
            )
            history(
                ctx,
                draft,
                channels=[MessageChannel.SMS, MessageChannel.GROUP, MessageChannel.PRINT],
                by=staff,
                at=ctx.now - timedelta(days=1, hours=3),
                fail_share=0.08,
            )
    meeting = Meeting.objects.filter(starts_at__gt=ctx.now).select_related("community").order_by("starts_at").first()
    if meeting is not None:
        draft = triggers.meeting_notice(meeting, changed=False)
        history(ctx, draft, channels=[MessageChannel.SMS], by=staff, at=ctx.now - timedelta(days=2))
    answered = (
        Wish.objects.exclude(contact_phone="")
        .exclude(status=WishStatus.SUBMITTED)
        .select_related("community", "compound", "household")
        .order_by("pk")[:3]
    )
    for wish in answered:
        history(ctx, triggers.wish_answered(wish), channels=[MessageChannel.SMS], by=staff, at=wish.updated_at)
    ctx.log(
        f"  · outbox: {total} consent answers, {Message.objects.count()} messages, "
        f"{Delivery.objects.count()} deliveries ({Delivery.objects.filter(status=DeliveryStatus.FAILED).count()} failed)"
    )


register_demo_step(70, "outbox", seed_outbox)
