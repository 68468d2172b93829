"""The dashboard in a real browser (Debian's Chromium driven by Playwright): login, live
overview, timeline search and a replay from the dead-letter page.

Screenshots go to the test's folder, and also to $CROSSDOCK_SCREENSHOT_DIR when set (the
ones in docs/images/ were made that way).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from crossdock.web.app import create_app
from support.logs import isolated_logging
from support.server import serving
from tests.browser.dashboard_support import CREDENTIAL, ORDER, Story, build_runtime, tell
from tests.observe import monitor_support as ms
from tests.support import dlq_plugin

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOT_ENV = "CROSSDOCK_SCREENSHOT_DIR"


@pytest.fixture(autouse=True)
def _logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with isolated_logging(monkeypatch):
        yield


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is required: run `make services` (installs Debian's chromium)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            await launched.close()


async def shoot(page: Page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    await page.screenshot(path=str(path))
    if target := os.environ.get(SCREENSHOT_ENV):
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(target) / path.name)


async def test_operator_logs_in_follows_an_order_and_replays_a_dead_letter(
    browser: Browser, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    story: Story = build_runtime(sqlite_url, tmp_path)
    try:
        async with (
            serving(create_app(story.runtime, run_workers=False)) as base_url,
            httpx.AsyncClient(base_url=base_url, timeout=30) as http,
        ):
            await tell(story, http)
            page = await browser.new_page(viewport={"width": 1180, "height": 760})
            # Generous waits: the machine running the tests may be busy with other work.
            page.set_default_timeout(30_000)
            expect.set_options(timeout=20_000)

            # Login: the overview sends a stranger to the login form first.
            await page.goto(base_url + "/")
            await expect(page).to_have_url(f"{base_url}/dashboard/login?next=/")
            await page.fill("#token", "wrong")
            await page.click("button[type=submit]")
            await expect(page.get_by_role("alert")).to_contain_text("not an operator's token")
            await page.fill("#token", story.operator_token)
            await shoot(page, tmp_path, "dashboard-login")
            await page.click("button[type=submit]")
            await expect(page).to_have_url(base_url + "/")
            await expect(page.locator("#alerts")).to_contain_text("No alert is raised")

            # Live: an order waits past its threshold; the alert appears without a reload.
            ms.record(story.runtime, ms.order_confirmed("SO00003", story.clock.now()))
            await ms.evaluate(story.runtime, story.clock, timedelta(minutes=31))
            await expect(page.locator("#alerts")).to_contain_text("order_not_released")
            await expect(page.locator("#alerts")).to_contain_text("sale_order:SO00003")
            assert story.operator_token not in await page.content()
            await shoot(page, tmp_path, "dashboard-overview")

            # Timeline search by order number.
            await page.fill("#search-box", ORDER)
            await page.press("#search-box", "Enter")
            timeline = page.locator("#timeline")
            await expect(timeline).to_contain_text("crossdock.order.confirmed.v1")
            await expect(timeline).to_contain_text("message received from acme")
            await expect(timeline).to_contain_text(dlq_plugin.NEEDS_FIX)
            await page.locator("#timeline details").first.click()
            await shoot(page, tmp_path, "dashboard-timeline")

            # A raw message: credentials are not shown.
            await page.goto(f"{base_url}/dashboard/messages/{story.leaky_message_id}")
            await expect(page.locator("#body")).to_contain_text("[redacted]")
            assert CREDENTIAL not in await page.content()

            # Dead letters: replay one, then the worker runs it once the fix is in.
            await page.click("text=Dead letters")
            row = page.locator(f"#job-{story.dead_job_id}")
            await expect(row).to_contain_text("has no customer")
            await shoot(page, tmp_path, "dashboard-dead-letters")
            await row.get_by_role("button", name="Replay").click()
            await expect(page.locator("#replayed")).to_contain_text(
                f"Job {story.dead_job_id} was put back in the queue"
            )
            await expect(page.locator(f"#job-{story.dead_job_id}")).to_have_count(0)
            monkeypatch.setenv(dlq_plugin.FIXED_ENV, "1")
            await story.runtime.worker().run_until_idle()
            job = story.runtime.queue.get(story.dead_job_id)
            assert job is not None
            assert job.status == "done"

            # Log out: the session is gone.
            await page.click("text=Log out")
            await expect(page).to_have_url(base_url + "/dashboard/login")
            await page.goto(base_url + "/dashboard/dead-letters")
            await expect(page.locator("#token")).to_be_visible()
    finally:
        story.runtime.store.dispose()
