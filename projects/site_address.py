"""The public address printed on QR posters and household letters.

``SITE_URL`` when the deployment sets it; otherwise the address the staff member's own
request came in on, which is the address residents on the same network will reach. A
loopback address (127.0.0.1, localhost) only works on the server itself, so print pages
warn staff before they print a poster nobody can open.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings


def public_base_url(request) -> str:
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    return request.build_absolute_uri("/").rstrip("/")


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
