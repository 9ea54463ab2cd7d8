"""Benchmark: two background workers drain 10,000 queued SMS, and none is sent twice.

    createdb -h 127.0.0.1 -U postgres h_outbox_bench   # once
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_outbox_bench \\
        .venv/bin/python bench/outbox_drain.py [--messages 10000] [--workers 2]

Builds (once) a bench community with ``--messages`` households, each with a phone and a
recorded consent, queues one reminder to all of them through the outbox (one message, one
delivery per household, a sending job enqueued as several lanes in django-tasks' database
queue), starts a provider on 127.0.0.1 that records every request, then starts
``--workers`` ``manage.py db_worker --batch`` processes and measures the wall time until
every delivery is sent. Checks: every household's idempotency key reached the provider
exactly once, every delivery is ``sent``, and each worker sent a share. Prints messages/s.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from notify.models import ContactConsent, Delivery, DeliveryStatus, Job, Message, MessageChannel, MessageKind  # noqa: E402
from notify.services.jobs import lanes_for  # noqa: E402
from notify.services.outbox import Draft, queue  # noqa: E402
from projects.models import Building, Channel, Community, Compound, Household, SubDistrict, Unit  # noqa: E402

COMMUNITY = "发送测试社区"


class Recorder(BaseHTTPRequestHandler):
    keys: Counter = Counter()
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.lock:
            self.keys[body["out_id"]] += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id": "ok"}')

    def log_message(self, *args):
        pass


def seed(n: int):
    sub_district, _ = SubDistrict.objects.get_or_create(name="发送测试街道")
    community, created = Community.objects.get_or_create(sub_district=sub_district, name=COMMUNITY)
    staff = get_user_model().objects.filter(username="bench_staff").first() or get_user_model().objects.create_user(
        "bench_staff", password="bench-only-12345"
    )
    if not created:
        if Household.objects.filter(unit__building__compound__community=community).count() != n:
            sys.exit(f"{COMMUNITY} exists with another size: use a fresh database")
        return community, staff
    with transaction.atomic():
        compound = Compound.objects.create(community=community, name="发送测试小区")
        households, made, b = [], 0, 0
        while made < n:
            b += 1
            building = Building.objects.create(compound=compound, name=f"{b}号楼", sort_key=b)
            for u in range(1, 6):
                unit = Unit.objects.create(building=building, name=f"{u}单元", sort_key=u)
                for i in range(20):
                    if made == n:
                        break
                    floor = 1 + i // 2
                    households.append(
                        Household(
                            unit=unit,
                            room=f"{floor}{i % 2 + 1:02d}",
                            floor=floor,
                            area=Decimal("60.00"),
                            phone=f"139{made:08d}",
                        )
                    )
                    made += 1
        Household.objects.bulk_create(households, batch_size=2000)
        ContactConsent.objects.bulk_create(
            (
                ContactConsent(
                    community=community,
                    household=h,
                    phone=h.phone,
                    granted=True,
                    channel=Channel.PAPER,
                    entered_by=staff,
                )
                for h in Household.objects.filter(unit__building__compound=compound).only("pk", "phone")
            ),
            batch_size=2000,
        )
    return community, staff


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    engine = connection.vendor
    call_command("migrate", verbosity=0)
    community, staff = seed(args.messages)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sms"

    started = time.perf_counter()
    draft = Draft(
        community=community,
        kind=MessageKind.CONSTRUCTION,
        ref="bench",
        subject="停水通知（基准测试）",
        sms_text="1号楼周四 9:00–17:00 停水，请提前储水。",
        notice_text="1号楼周四 9:00–17:00 停水，请提前储水。",
        scope_label=COMMUNITY,
        households=Household.objects.filter(unit__building__compound__community=community),
    )
    done = queue(draft, channels={MessageChannel.SMS}, by=staff)
    queued_in = time.perf_counter() - started
    print(f"{engine}: queued {done.queued:,} deliveries in {queued_in:.2f} s as {lanes_for(done.queued)} task lanes")

    env = {
        **os.environ,
        "NOTIFY_SMS_BACKEND": "notify.backends.sms.HttpSmsBackend",
        "NOTIFY_SMS_URL": url,
        "NOTIFY_DAILY_LIMIT": "100",
        "NOTIFY_QUIET_START": "0",  # no quiet hours: the bench may run at night
        "NOTIFY_QUIET_END": "0",
    }
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay", "-v", "0"]
    started = time.perf_counter()
    workers = [
        subprocess.Popen([*command, "--worker-id", f"bench-{i}"], cwd=ROOT, env=env) for i in range(args.workers)
    ]
    for worker in workers:
        worker.wait()
    elapsed = time.perf_counter() - started
    server.shutdown()

    deliveries = Delivery.objects.filter(message__in=done.messages)
    statuses = Counter(deliveries.values_list("status", flat=True))
    per_worker = Counter(w.rsplit("-", 2)[1] for w in deliveries.values_list("claimed_by", flat=True))
    keys = Recorder.keys
    twice = sum(1 for n in keys.values() if n > 1)
    expected = {str(k) for k in deliveries.values_list("idempotency_key", flat=True)}
    job = Job.objects.get(pk=done.job.pk)
    print(
        f"{engine}: {args.workers} workers sent {statuses[DeliveryStatus.SENT]:,} of {done.queued:,} in "
        f"{elapsed:.1f} s (worker start-up included) = {done.queued / elapsed:,.0f} messages/s"
    )
    print(f"  statuses {dict(statuses)}; job {job.status} {job.done}/{job.total}")
    print(f"  provider received {sum(keys.values()):,} requests for {len(keys):,} keys; keys sent twice: {twice}")
    print(f"  deliveries per worker process (pid): {dict(per_worker)}")
    ok = twice == 0 and set(keys) == expected and statuses[DeliveryStatus.SENT] == done.queued
    print("  OK: every message sent exactly once" if ok else "  FAILED")
    Message.objects.filter(pk__in=[m.pk for m in done.messages]).delete()
    Job.objects.filter(pk=done.job.pk).delete()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    timezone.activate(timezone.get_default_timezone())
    main()
