"""The reviewer's path in real headless Chromium: sign in, queue, application, boxes, decide, audit.

Screenshots are kept in `test-artifacts/web/` for a human to look at.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from .conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(env):
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(env.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
def test_reviewer_clears_an_application_in_the_browser(env, server):
    from playwright.sync_api import expect, sync_playwright

    app_id = env.application("review", 0.62, external_id="CT-2026-000123")
    env.application("resubmit", 0.25, external_id="CT-2026-000124")
    env.user("rita")
    env.user("sam", "supervisor")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{server}/queue")
        expect(page).to_have_url(f"{server}/login?next=%2Fqueue")
        page.screenshot(path=str(ARTIFACTS / "01-sign-in.png"))
        page.fill("input[name=username]", "rita")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator("h1")).to_have_text("Review queue")
        rows = page.locator("#queue tbody tr[data-href]")
        expect(rows).to_have_count(2)
        page.screenshot(path=str(ARTIFACTS / "02-queue.png"))
        # keyboard: j moves to the second row (the review one), Enter opens it
        page.keyboard.press("j")
        expect(rows.nth(1)).to_have_class("sel")
        page.keyboard.press("Enter")
        expect(page).to_have_url(f"{server}/applications/{app_id}")
        # the evidence boxes are drawn over the loaded page image, in its pixel grid
        image = page.locator("#doc-0 .canvas img")
        expect(image).to_be_visible()
        page.wait_for_function("document.querySelector('#doc-0 .canvas img').naturalWidth > 0")
        expect(page.locator("#doc-0 svg.boxes")).to_have_attribute("viewBox", "0 0 1000 630")
        boxes = page.locator("#doc-0 g.box")
        expect(boxes).to_have_count(3)
        img_box = image.bounding_box()
        rect_box = page.locator("#doc-0 g.box rect").first.bounding_box()
        assert img_box and rect_box
        assert img_box["x"] < rect_box["x"] < img_box["x"] + img_box["width"]
        page.screenshot(path=str(ARTIFACTS / "03-application.png"), full_page=True)
        page.click("#doc-0 [data-act=rotate]")
        expect(page.locator("#doc-0 .pages")).to_have_attribute("data-rot", "90")
        page.click("#doc-0 [data-act=zoom-in]")
        expect(page.locator("#doc-0 .zoom-label")).to_have_text("125%")
        page.screenshot(path=str(ARTIFACTS / "04-rotated.png"))
        page.click("#doc-0 [data-act=fit]")
        # decide: resubmit the bill, with the pre-filled applicant message
        page.keyboard.press("s")
        expect(page.locator(".resubmit-only")).to_be_visible()
        expect(page.locator("textarea[name=applicant_message]")).to_contain_text(
            "does not match your application"
        )
        page.check("input[name=documents][value=doc-3]")
        page.fill(
            "textarea[name=reason]",
            "Bill is in another surname; ask for one in the applicant's name",
        )
        page.screenshot(path=str(ARTIFACTS / "05-deciding.png"))
        page.click("#decision-form button[type=submit]")
        # straight on to the next application waiting
        expect(page.locator(".flash.ok")).to_contain_text("Decision recorded")
        expect(page.locator("h1")).to_have_text("CT-2026-000124")
        page.goto(f"{server}/queue")
        expect(rows).to_have_count(1)
        page.goto(f"{server}/applications/{app_id}")
        expect(page.locator("#audit")).to_contain_text("decision.resubmit")
        expect(page.locator("#audit")).to_contain_text("rita")
        page.locator("#audit").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "06-audit.png"), full_page=True)
        # supervisor dashboard
        page.click("text=Sign out")
        page.fill("input[name=username]", "sam")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{server}/dashboard")
        expect(page.locator("svg.chart").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "07-dashboard.png"), full_page=True)
        browser.close()
