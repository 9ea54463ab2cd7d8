import json

from django.conf import settings
from django.utils import timezone

from . import BaseBackend, Outgoing


class FileBackend(BaseBackend):
    """Appends one JSON line per message to NOTIFY_FILE_PATH: the default, so a demo shows
    exactly what would have gone out, and nothing does."""

    def send(self, outgoing: Outgoing) -> str:
        path = settings.NOTIFY_FILE_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        line = {
            "at": timezone.now().isoformat(),
            "kind": outgoing.kind,
            "to": outgoing.to,
            "text": outgoing.text,
            "key": outgoing.idempotency_key,
        }
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return f"file:{outgoing.idempotency_key}"
