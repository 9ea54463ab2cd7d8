import sys

from . import BaseBackend, Outgoing


class ConsoleBackend(BaseBackend):
    """Prints each message: for a laptop, where nothing may leave the machine."""

    def send(self, outgoing: Outgoing) -> str:
        sys.stdout.write(f"[outbox] {outgoing.kind} → {outgoing.to}\n{outgoing.text}\n\n")
        sys.stdout.flush()
        return f"console:{outgoing.idempotency_key}"
