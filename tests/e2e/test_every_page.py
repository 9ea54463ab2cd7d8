"""Every page of the demo, as every role: Chinese throughout, no axe violations that matter,
nothing wider than a 360 px phone in large text.

The demo is seeded ONCE for this module (about 20 s) and served by one live-server thread;
one browser visits every page at two sizes. The crawl tests need no browser and run even
where Chromium is missing; the axe tests carry the ``e2e`` mark and follow the harness rule
(skipped without Chromium, mandatory under CI=true).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from pytest_django.live_server_helper import LiveServer

from .demo_site import ROLES, Page, crawl, page_key, session_cookie, visible_text

PHONE_LARGE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 1,
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
pytestmark = pytest.mark.django_db
BLOCKING_IMPACTS = {"serious", "critical"}
LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The seeded demo, each role's session cookie and the pages each role reaches.

    Seeded inside a transaction that is rolled back afterwards, so the tests that follow get
    the empty database they expect. The live server thread shares the test connection."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        cookies = {role.name: session_cookie(role) for role in ROLES}
        pages = {role.name: crawl(role, cookies[role.name]) for role in ROLES}
        server = LiveServer("localhost")
        try:
            yield {"cookies": cookies, "pages": pages, "url": server.url}
        finally:
            server.stop()
            transaction.set_rollback(True)


# --- Chinese everywhere (no browser) ---


def _translated_msgids() -> list[str]:
    """Source strings with a Chinese translation that would look English on a page: several
    words, no placeholders. Seeing one in a Chinese page means it bypassed translation."""
    catalog = polib.pofile(str(LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    found = []
    for entry in catalog.translated_entries():
        text = entry.msgid
        if "%" in text or "{" in text or "<" in text or "\n" in text:
            continue
        if len(text.split()) < 2 or not re.search(r"[a-z]{3}", text):
            continue
        found.append(text)
    return sorted(set(found), key=len, reverse=True)


def test_the_zh_hans_catalogue_is_complete():
    catalog = polib.pofile(str(LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert not untranslated, untranslated[:20]
    assert not fuzzy, fuzzy[:20]
    assert catalog.percent_translated() == 100


LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;:!?'’()/&-]*")


def _english_on(page: Page, msgids: list[str]) -> list[str]:
    """Source strings found whole inside the page's runs of Latin text (a Chinese page has
    few such runs: codes, numbers, names; so this stays fast over thousands of msgids)."""
    runs = [run for run in LATIN_RUN.findall(visible_text(page.html)) if " " in run.strip()]
    found = []
    for msgid in msgids:
        pattern = None
        for run in runs:
            if msgid in run:
                pattern = pattern or re.compile(r"(?<![A-Za-z])" + re.escape(msgid) + r"(?![A-Za-z])")
                if pattern.search(run):
                    found.append(msgid)
                    break
    return found


def test_the_crawl_catches_an_untranslated_string():
    msgids = _translated_msgids()
    assert "Send my wish" in msgids
    page = Page("anonymous", "/", 200, "<main><p>提交 Send my wish</p><script>var a = 'Log out';</script></main>")
    assert _english_on(page, msgids) == ["Send my wish"]
    assert _english_on(Page("anonymous", "/", 200, "<p>发送我的愿望 NAN5 HAPP YDAY</p>"), msgids) == []


def test_every_page_speaks_chinese(demo):
    """Each role's pages: no server error, a Chinese error page when refused, and no source
    string shown in English."""
    msgids = _translated_msgids()
    problems = []
    for role, pages in demo["pages"].items():
        assert pages, f"{role} reached no page"
        for page in pages:
            if page.status >= 500:
                problems.append(f"{role} {page.url}: HTTP {page.status}")
            if 'lang="zh-hans"' not in page.html:
                problems.append(f"{role} {page.url}: page not marked zh-hans")
            if page.status >= 400 and not CJK.search(visible_text(page.html)):
                problems.append(f"{role} {page.url}: English-only error page ({page.status})")
            english = _english_on(page, msgids)
            if english:
                problems.append(f"{role} {page.url}: untranslated {english[:3]}")
    assert not problems, "\n".join(problems)


def test_refusals_and_missing_pages_are_chinese(demo):
    """Every staff page opened by each other role, and an address that does not exist: the
    refusal (403) or the 404 is a Chinese page with the site header and a way home."""
    staff_urls = {}
    for page in demo["pages"]["staff"]:
        staff_urls.setdefault(page_key(page.url)[0], page.url)
    urls = [*staff_urls.values(), "/no-such-page/", "/project/999999/"]
    seen_codes = set()
    problems = []
    for role in ROLES:
        if role.name == "staff":
            continue  # these are the staff's own pages
        reached = {page.url for page in demo["pages"][role.name]}
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        if demo["cookies"][role.name]:
            client.cookies[settings.SESSION_COOKIE_NAME] = demo["cookies"][role.name]
        for url in urls:
            if url in reached:
                continue
            response = client.get(url)
            if response.status_code < 400:
                continue
            seen_codes.add(response.status_code)
            text = visible_text(response.content.decode())
            if not CJK.search(text) or 'href="/"' not in response.content.decode():
                problems.append(f"{role.name} {url}: {response.status_code} page is not Chinese or has no way home")
    assert {403, 404} <= seen_codes
    assert not problems, "\n".join(problems)


# --- axe-core and overflow, in the browser ---

OVERFLOW_JS = """
(width) => {
  const found = [];
  if (document.documentElement.scrollWidth > width) {
    found.push(`document scrollWidth ${document.documentElement.scrollWidth}`);
  }
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if ((box.right > width + 1 || box.width > width + 1) && box.left > -1000 && !clipped(el)) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
      found.push(`${name} right=${Math.round(box.right)} width=${Math.round(box.width)}`);
      if (found.length > 5) break;
    }
  }
  return found;
}
"""


def _browser_pages(demo) -> list[tuple[str, str]]:
    """(role, url): each route and set of query keys once, seen by the first role reaching
    it, plus every role's own start page (the same address differs by role)."""
    chosen: dict = {}
    for role in ("staff", "department", "sub_district", "resident", "resident_ballot", "anonymous"):
        for page in demo["pages"][role]:
            if page.status >= 400:
                continue
            key = page_key(page.url)
            if page.url in ("/", "/h/home/"):
                key = (role, *key)
            chosen.setdefault(key, (role, page.url))
    return sorted(chosen.values())


def _context(browser, demo, role: str, options: dict, *, large: bool):
    from urllib.parse import urlsplit

    context = browser.new_context(locale="zh-CN", **options)
    context.set_default_timeout(15_000)
    host = urlsplit(demo["url"]).hostname
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans", "domain": host, "path": "/"}]
    if large:
        cookies.append({"name": settings.TEXT_SIZE_COOKIE, "value": "large", "domain": host, "path": "/"})
    if demo["cookies"][role]:
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": demo["cookies"][role], "domain": host, "path": "/"}
        )
    context.add_cookies(cookies)
    return context


def _visit_every_page(browser, demo, options: dict, *, large: bool, label: str) -> tuple[list[str], list[str]]:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    contexts = {}
    failures, figures = [], []
    try:
        for role, url in _browser_pages(demo):
            if role not in contexts:
                contexts[role] = _context(browser, demo, role, options, large=large)
                contexts[role].new_page()
            page = contexts[role].pages[0]
            page.goto(demo["url"] + url, wait_until="load")
            results = axe.run(page, options={"resultTypes": ["violations"]})
            serious = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
            elements = sum(len(v["nodes"]) for v in serious)
            figures.append(f"{label} {role:15} {elements:3} {url}")
            if serious:
                detail = "; ".join(f"{v['id']}×{len(v['nodes'])}: {v['nodes'][0]['target']}" for v in serious)
                failures.append(f"{role} {url}: {detail}")
            if options["viewport"]["width"] <= 400:
                overflow = page.evaluate(OVERFLOW_JS, options["viewport"]["width"])
                if overflow:
                    failures.append(f"{role} {url}: wider than the phone: {overflow}")
    finally:
        for context in contexts.values():
            context.close()
    return figures, failures


def _in_browser_thread(work):
    """Run ``work(browser)`` with a Chromium of its own, in a thread of its own.

    Playwright's sync API keeps an asyncio loop running in the thread that drives it, and
    while a loop runs, Django hands that thread a different database connection. The seeded
    demo lives in one open transaction on the test thread's connection, so the browser
    must not run in the test thread."""
    from playwright.sync_api import sync_playwright

    from .conftest import CHROMIUM

    outcome = {}

    def run():
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
                try:
                    outcome["value"] = work(browser)
                finally:
                    browser.close()
        except BaseException as error:  # re-raised in the test thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name="every-page-browser")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _check_every_page(demo, options: dict, *, large: bool, label: str):
    figures, failures = _in_browser_thread(
        lambda browser: _visit_every_page(browser, demo, options, large=large, label=label)
    )
    print("\n".join(figures))
    assert figures
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


@pytest.mark.e2e
def test_every_page_on_a_phone_in_large_text(demo):
    _check_every_page(demo, PHONE_LARGE, large=True, label="phone")


@pytest.mark.e2e
def test_every_page_on_a_desktop(demo):
    _check_every_page(demo, DESKTOP, large=False, label="desktop")
