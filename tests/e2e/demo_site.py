"""The seeded demo as a site to walk: sessions for each role, and a crawler that finds every
page a role can reach by following links from its start page.

Shared by the every-page tests (axe, overflow at 360 px, Chinese text). The demo is seeded
once per module into the test database and served by one live server thread; the crawler
uses Django's test client against the same database, so it needs no browser.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import Resolver404, resolve

# Pages a crawl never follows: other people's business (admin), actions disguised as links,
# and files (downloads are checked by their own tests).
SKIP_PREFIXES = ("/admin/", "/i18n/", "/accounts/logout/", "/media/", "/static/", "/household/leave/")
SKIP_SUFFIXES = ("/export/", "/template/", ".xlsx", ".csv", ".pdf", ".png", ".jpg")
# A list page's filters and pages are the same template: one visit per route and set of
# query keys is enough to check the layout, and keeps the walk to a few hundred pages.
MAX_PAGES_PER_ROLE = 400


@dataclass(frozen=True)
class Role:
    name: str
    username: str | None = None
    household_code: str | None = None
    start: str = "/"


ROLES = (
    Role("anonymous"),
    Role("resident", household_code="NAN5HAPPYDAY", start="/h/home/"),
    Role("resident_ballot", household_code="BEMNHAPPYDAY", start="/h/home/"),
    Role("staff", username="demo_staff"),
    Role("department", username="jh_water"),
    Role("sub_district", username="jgz_street"),
)


@dataclass
class Page:
    role: str
    url: str
    status: int
    html: str = field(repr=False)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def session_cookie(role: Role) -> str | None:
    """A logged-in (or household-acting) session for ``role``, made without typing a password
    or a code, so the walk does not depend on the login pages' throttles."""
    client = Client()
    if role.username:
        client.force_login(get_user_model().objects.get(username=role.username))
    elif role.household_code:
        from projects.identity import CODE_SESSION_KEY, SESSION_KEY
        from projects.models import HouseholdCode
        from projects.services.identity import check_household_code

        record = check_household_code(raw_code=role.household_code, client_address="127.0.0.9", user_agent="crawl")
        assert isinstance(record, HouseholdCode)
        session = client.session
        session[SESSION_KEY] = record.household_id
        session[CODE_SESSION_KEY] = record.pk
        session.save()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    else:
        return None
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def page_key(url: str) -> tuple[str, tuple[str, ...]] | None:
    """(route name, query keys) of a crawlable address, or None when it is not one of ours."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    keys = tuple(sorted({k for k, _ in parse_qsl(parts.query)} - {"next"}))
    return match.view_name, keys


def crawl(role: Role, cookie: str | None, *, language: str = "zh-hans") -> list[Page]:
    """Every page ``role`` reaches from its start page by following links, one per route and
    set of query keys."""
    client = Client(headers={"accept-language": language})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    seen: set = set()
    queue = deque([role.start])
    pages: list[Page] = []
    while queue and len(pages) < MAX_PAGES_PER_ROLE:
        url = queue.popleft()
        key = page_key(url)
        if key is None or key in seen:
            continue
        seen.add(key)
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if not content_type.startswith("text/html"):
            continue
        html = response.content.decode()
        pages.append(Page(role.name, url, response.status_code, html))
        parser = _Links()
        parser.feed(html)
        for href in parser.hrefs:
            href = href.split("#", 1)[0]
            if href:
                queue.append(_normalise(href))
    return pages


def _normalise(href: str) -> str:
    parts = urlsplit(href)
    query = urlencode(sorted(parse_qsl(parts.query)))
    return parts.path + (f"?{query}" if query else "")


_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)
_SPACE = re.compile(r"\s+")


def visible_text(html: str) -> str:
    """The text a reader sees: tags, scripts and styles removed, entities left as typed."""
    import html as html_lib

    return _SPACE.sub(" ", html_lib.unescape(_TAGS.sub(" ", html)))
