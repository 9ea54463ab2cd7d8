"""Fixtures for the outbox tests: a provider on 127.0.0.1 that records what it receives, and
a unit of households with consent to SMS."""

import json
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest

from notify.services.outbox import record_consent
from projects.models import Channel
from tests import factories as f

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAYTIME = datetime(2026, 5, 12, 10, 0, tzinfo=SHANGHAI)


def tomorrow_morning():
    """10:00 tomorrow, local time: after anything queued now, whatever the quiet hours."""
    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=SHANGHAI)


class Provider:
    """What a real SMS provider does, as far as the tests need: answers from a script
    (``ok``, ``500``, ``timeout``, ``400``), and drops a repeat of an idempotency key it
    already accepted (answering 409), as providers that take an out_id do."""

    def __init__(self):
        self.requests = []  # every request body, in order
        self.accepted = {}  # idempotency key → body, once each
        self.script = []  # answers for the next requests; then ``ok``
        self.lock = threading.Lock()
        self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/sms"

    def next_answer(self) -> str:
        with self.lock:
            return self.script.pop(0) if self.script else "ok"


def _handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            key = self.headers.get("Idempotency-Key") or body.get("text", {}).get("content", "")
            answer = provider.next_answer()
            with provider.lock:
                provider.requests.append({"body": body, "key": key, "answer": answer})
            if answer == "timeout":
                time.sleep(1.5)
                return
            if answer in ("500", "400"):
                self.send_response(int(answer))
                self.end_headers()
                self.wfile.write(b'{"message": "scripted"}')
                return
            with provider.lock:
                duplicate = key in provider.accepted
                provider.accepted.setdefault(key, body)
            self.send_response(409 if duplicate else 200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"id": f"p-{len(provider.accepted)}", "errcode": 0}).encode())

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def provider(settings):
    """An SMS provider and a group robot on 127.0.0.1, used by the HTTP backends."""
    p = Provider()
    p.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(p))
    thread = threading.Thread(target=p.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    settings.NOTIFY_SMS_BACKEND = "notify.backends.sms.HttpSmsBackend"
    settings.NOTIFY_GROUP_BACKEND = "notify.backends.wecom.WeComGroupBackend"
    settings.NOTIFY_SMS_URL = p.url
    settings.NOTIFY_SMS_SIGNATURE = "北门社区"
    settings.NOTIFY_SMS_TEMPLATE = "SMS_0001"
    settings.NOTIFY_HTTP_TIMEOUT = 0.5
    yield p
    p.server.shutdown()
    p.server.server_close()


@pytest.fixture(autouse=True)
def _outbox_files(settings, tmp_path):
    settings.NOTIFY_FILE_PATH = tmp_path / "outbox.jsonl"
    settings.JOB_FILES_ROOT = tmp_path / "jobs"


def consent(household, by, *, granted=True, phone=None, now=None):
    community = household.unit.building.compound.community
    return record_consent(
        community=community,
        household=household,
        phone=phone or household.phone,
        granted=granted,
        channel=Channel.PAPER,
        paper_reference="C-1",
        by=by,
        now=now,
    )


@pytest.fixture
def stairwell(world):
    """world.unit with six households, each with its own phone and consent to SMS."""
    rows = f.households(world.unit, 5, start_floor=2)
    for i, h in enumerate(rows):
        h.phone = f"1390000{i:04d}"
        h.save(update_fields=["phone"])
    households = [world.household, *rows]
    for h in households:
        consent(h, world.staff, now=DAYTIME.replace(month=1))
    return households
