"""A generic HTTP SMS provider (the shape Aliyun, Tencent Cloud and most aggregators share).

POSTs ``{"phone", "sign_name", "template_code", "template_param": {"text"}, "out_id"}`` to
NOTIFY_SMS_URL with the API key as a bearer token; ``out_id`` and the ``Idempotency-Key``
header carry the delivery's key. A provider that answers 409 has the message already: that
is a success, the repeat of an attempt whose answer was lost."""

from django.conf import settings

from . import BaseBackend, Outgoing, PermanentError
from .http import post_json, refused


class HttpSmsBackend(BaseBackend):
    def send(self, outgoing: Outgoing) -> str:
        if not settings.NOTIFY_SMS_URL:
            raise PermanentError("NOTIFY_SMS_URL is not set")
        payload = {
            "phone": outgoing.to,
            "sign_name": settings.NOTIFY_SMS_SIGNATURE,
            "template_code": settings.NOTIFY_SMS_TEMPLATE,
            "template_param": {"text": outgoing.text},
            "out_id": outgoing.idempotency_key,
        }
        headers = {"Idempotency-Key": outgoing.idempotency_key}
        if settings.NOTIFY_SMS_API_KEY:
            headers["Authorization"] = f"Bearer {settings.NOTIFY_SMS_API_KEY}"
        status, body = post_json(settings.NOTIFY_SMS_URL, payload, headers)
        if status in (200, 201, 202, 409):
            return str(body.get("id") or body.get("biz_id") or outgoing.idempotency_key)[:100]
        raise refused(status, body)
