"""Delivery backends, chosen in settings like Django's EMAIL_BACKEND.

A backend sends one ``Outgoing`` and returns the provider's reference, or raises
``TransientError`` (try again later: a time-out, a 5xx, a refused connection) or
``PermanentError`` (never retry: the provider refused this message). Every call carries the
delivery's idempotency key, so a provider that saw it already drops the repeat."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


class TransientError(Exception):
    pass


class PermanentError(Exception):
    pass


@dataclass(frozen=True)
class Outgoing:
    to: str  # a phone number, or a group robot's webhook URL
    text: str
    idempotency_key: str
    kind: str


class BaseBackend:
    def send(self, outgoing: Outgoing) -> str:
        raise NotImplementedError


def get_backend(channel: str) -> BaseBackend:
    path = settings.NOTIFY_GROUP_BACKEND if channel == "group" else settings.NOTIFY_SMS_BACKEND
    return import_string(path)()
