"""The one HTTP call both provider backends make, and how its failures are classified."""

import json
import socket
import urllib.error
import urllib.request

from django.conf import settings

from . import PermanentError, TransientError


def post_json(url: str, payload: dict, headers: dict | None = None) -> tuple[int, dict]:
    """POST ``payload`` as JSON; return (status, decoded body). 5xx, time-outs and refused
    connections are ``TransientError``; other 4xx are ``PermanentError``."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL comes from settings or staff config
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFY_HTTP_TIMEOUT) as response:  # noqa: S310
            return response.status, _decode(response.read())
    except urllib.error.HTTPError as error:
        if error.code >= 500 or error.code == 429:
            raise TransientError(f"HTTP {error.code}") from error
        return error.code, _decode(error.read())
    except TimeoutError as error:
        raise TransientError("timed out") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError | socket.timeout):
            raise TransientError("timed out") from error
        raise TransientError(f"connection failed: {error.reason}") from error
    except (ConnectionError, OSError) as error:
        raise TransientError(f"connection failed: {error}") from error


def _decode(raw: bytes) -> dict:
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def refused(status: int, body: dict) -> PermanentError:
    detail = body.get("message") or body.get("errmsg") or ""
    return PermanentError(f"HTTP {status} {detail}".strip()[:300])
