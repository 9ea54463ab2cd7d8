"""The Content-Security-Policy is enforced in the browser, and the harness sees violations
(tests/e2e/conftest.py fails any browser test whose console reports one)."""

import pytest

from .conftest import _note_csp_violation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_injected_inline_script_and_style_are_refused_and_reported(browser, live_server):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    violations = []
    page.on("console", lambda message: _note_csp_violation(violations, message.text, page.url))
    page.goto(live_server.url + "/h/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
            document.body.insertAdjacentHTML("beforeend", '<p id="styled" style="color: rgb(255, 0, 0)">x</p>');
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected === undefined")
    assert page.evaluate("getComputedStyle(document.getElementById('styled')).color") != "rgb(255, 0, 0)"
    assert len(violations) >= 2 and all("Content Security Policy" in v for v in violations)
    context.close()
