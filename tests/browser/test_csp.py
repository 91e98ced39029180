"""In real Chromium, under duban's Content-Security-Policy (no inline script): every kind of
person signs in through the sign-in page and walks the pages they can reach by following links;
no page logs a console error, throws, or trips the policy. The office's cockpit draws its
charts, the ledger's filters still leave empty fields out of the address (data-drop-empty), the
rectification list's state filter still submits itself (data-autosubmit), and the error page's way back still works
(data-back): the behaviours that were inline handlers before.

Each kind of page (``/ledger/tasks/<n>/``) is opened once, by the first person in ``PEOPLE``
who reaches it; every person's home page is opened. tests/security/test_headers.py finds any
inline script in any template, whoever would see it."""

from __future__ import annotations

from collections import deque
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import ConsoleMessage, Page, expect
from playwright.sync_api import Error as PlaywrightError
from pytest_django.live_server_helper import LiveServer

from tests.support.browser import sign_in
from tests.support.crawl import links, path_pattern
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The office first (it reaches the most), then the leader, the units, the viewer, the admins.
PEOPLE = ["office", "zhulei", "fgw", "goushi", "chaxun", "xitong", "anquan", "shenji"]

# Every securitypolicyviolation event of the page, kept where the test can read it.
WATCH_POLICY = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


class Problems:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.found: list[str] = []
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.found.append(f"{page.url}: {error}"))
        page.add_init_script(WATCH_POLICY)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.found.append(f"{self.page.url}: console: {message.text}")

    def read_violations(self) -> None:
        for violation in self.page.evaluate("window.__violations || []"):
            self.found.append(f"{self.page.url}: policy: {violation}")


def test_every_page_of_every_person_runs_under_the_policy(
    page: Page, live_server: LiveServer, world_committed: World
) -> None:
    problems = Problems(page)
    opened: set[str] = set()
    visits = 0
    for username in PEOPLE:
        sign_in(page, live_server, username)
        problems.read_violations()  # the sign-in page's
        queue: deque[str] = deque(["/"])
        queued = {"/"}
        while queue:
            path = queue.popleft()
            try:
                response = page.goto(live_server.url + path, wait_until="load")
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue  # a file (a notice's source document), not a page
                raise
            assert response is not None and response.status < 400, (username, path)
            visits += 1
            if urlsplit(page.url).path.startswith("/cockpit/"):
                expect(page.locator("#cockpit")).to_have_attribute("data-ready", "true")
                # The charts' tooltips are built as HTML by ECharts: shown, under the policy.
                canvas = page.locator("[data-chart-canvas] canvas").first
                box = canvas.bounding_box()
                assert box is not None
                page.mouse.move(box["x"] + box["width"] * 0.4, box["y"] + 30)
                page.wait_for_timeout(300)
            problems.read_violations()
            soup = BeautifulSoup(page.content(), "lxml")
            for link in links(soup, urlsplit(page.url).path):
                pattern = path_pattern(link.partition("?")[0])
                if link not in queued and pattern not in opened:
                    opened.add(pattern)
                    queued.add(link)
                    queue.append(link)
    assert visits > 40, "the walk hardly began"
    assert problems.found == []


def test_the_behaviours_that_were_inline(
    page: Page, live_server: LiveServer, world_committed: World
) -> None:
    problems = Problems(page)
    sign_in(page, live_server, "office", "/ledger/")

    # data-drop-empty: an htmx filter request carries only the filters in use.
    with page.expect_request(lambda r: "/ledger/" in r.url and "htmx" not in r.url) as asked:
        page.locator("select[name=area]").select_option(index=1)
    sent = urlsplit(asked.value.url).query
    assert sent.startswith("area=") and "=&" not in sent + "&" and "q=" not in sent

    # data-back: the error page's 返回上一页 goes back to where the person was.
    missing = page.goto(live_server.url + "/ledger/tasks/999999/")
    assert missing is not None and missing.status == 404
    # Chromium logs the 404 status itself as a console error: that one is expected.
    problems.found = [p for p in problems.found if "status of 404" not in p]
    page.get_by_role("button", name="返回上一页").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/ledger/")

    # data-autosubmit: choosing a state in the rectification list reloads it for that state.
    page.goto(live_server.url + "/inspections/")
    state = page.locator("select[name=state]")
    value = state.locator("option").nth(1).get_attribute("value")
    with page.expect_navigation():
        state.select_option(value)
    assert f"state={value}" in page.url
    problems.read_violations()
    assert problems.found == []
