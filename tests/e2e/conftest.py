"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser).

- Without /usr/bin/chromium the tests skip with the reason, except under CI=true, where a
  missing browser is a failure: CI installs it and the browser tests are mandatory there.
- ``phone`` is a 390×844 touch viewport (residents); ``desktop`` is 1366×900 (staff).
- A failing test leaves a full-page screenshot in ``test-artifacts/screenshots/``.
- Pages are served with the strict Content-Security-Policy; any violation the browser
  reports in the console fails the test.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# to arrange data are still synchronous, so Django's async guard must be relaxed here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_available() -> bool:
    return os.path.exists(CHROMIUM) and shutil.which(CHROMIUM) is not None


def pytest_collection_modifyitems(config, items):
    if _chromium_available():
        return
    if os.environ.get("CI") == "true":
        return  # the browser fixture fails loudly instead of skipping
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package to run browser tests"
    )
    for item in items:
        # The mark, not the folder: the every-page crawl lives here but needs no browser.
        if item.get_closest_marker("e2e"):
            item.add_marker(skip)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    if not _chromium_available():
        pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


def _page(browser, request, options):
    context = browser.new_context(locale="zh-CN", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    violations = []
    page.on("console", lambda message: _note_csp_violation(violations, message.text, page.url))
    yield page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    if violations:
        pytest.fail("Content-Security-Policy violations in the browser console:\n" + "\n".join(violations))


def _note_csp_violation(violations: list, text: str, url: str) -> None:
    """Every page is served with a strict CSP (config/settings.py); the browser reports an
    inline script or style it refused as a console message naming the policy."""
    if "Content Security Policy" in text:
        violations.append(f"{url}: {text}")


@pytest.fixture
def phone(browser, request, live_server):
    yield from _page(browser, request, PHONE)


@pytest.fixture
def desktop(browser, request, live_server):
    yield from _page(browser, request, DESKTOP)


@pytest.fixture
def login_as(live_server):
    """Log a page in as a user by handing it a real session cookie (no password typing)."""

    def login(page, user):
        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )

    return login
