"""WeChat Work group robot (企业微信群机器人): a JSON text message to the group's webhook.

Group messages say what, where and when for a building or a compound and never carry a
name, a room or a phone number (the composer checks; see ``notify.services.outbox``). The
robot has no idempotency key of its own, so a group message is retried only when the robot
never answered; its answer is checked for ``errcode`` 0."""

from . import BaseBackend, Outgoing, PermanentError, TransientError
from .http import post_json, refused

# errcode 45009: the robot's rate limit (20 messages a minute); worth waiting for.
RETRYABLE_ERRCODES = {45009, -1}


class WeComGroupBackend(BaseBackend):
    def send(self, outgoing: Outgoing) -> str:
        status, body = post_json(outgoing.to, {"msgtype": "text", "text": {"content": outgoing.text}})
        if status != 200:
            raise refused(status, body)
        errcode = body.get("errcode", 0)
        if errcode in RETRYABLE_ERRCODES:
            raise TransientError(f"errcode {errcode}")
        if errcode:
            raise PermanentError(f"errcode {errcode} {body.get('errmsg', '')}".strip()[:300])
        return f"wecom:{outgoing.idempotency_key}"
