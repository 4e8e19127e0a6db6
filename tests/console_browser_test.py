"""The console in a real browser (the system's headless Chromium, driven by Selenium)
against a real gunicorn: an officer signs in, sees the chart, filters the log, reads the
list's status and checks a draft that blocks. Each page is photographed; with
GATE_SCREENSHOTS=DIR the pictures land there (the README's come from this test)."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.support.app import TOKEN
from tests.support.console import PASSWORD, SESSION_KEY, write_console_config
from tests.support.server import Server, call, gunicorn_command, running
from tests.support.wordlists import CANARY

ROOT = Path(__file__).resolve().parent.parent
DRAFT = (ROOT / "wordlists" / "example-posts" / "success-story.md").read_text(encoding="utf-8")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    write_console_config(tmp_path)
    with running(gunicorn_command(), tmp_path, env={"GATE_SESSION_KEY": SESSION_KEY}) as served:
        posts = [
            {"id": "spring-open-day", "text": "Our spring open day was a joy."},
            {"id": "garden-news", "text": "The garden is in bloom."},
            {"id": "thank-you", "text": f"Thank you {CANARY} for your story!"},
            {"id": "call-us", "text": "Kim Lowe says: call +1 555 014 7788"},
        ]
        for body in posts:
            status, _ = call(served.url, {"post": body}, token=TOKEN)
            assert status == 200
        yield served


def follow(browser: Any, selector: tuple[str, str]) -> None:
    """Click what `selector` finds and wait until the next page has replaced this one."""
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(*selector).click()

    def replaced(driver: Any) -> bool:
        try:
            page.is_enabled()
        except StaleElementReferenceException:
            return driver.execute_script("return document.readyState") == "complete"  # type: ignore[no-any-return]
        return False

    # Chromium may answer for a node of the page going away with another error: asked
    # again, for as long as a page may take to load (a draft's check included).
    WebDriverWait(browser, 60, ignored_exceptions=(WebDriverException,)).until(replaced)


def photograph(browser: Any, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("GATE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    picture = folder / f"console-{name}.png"
    height = max(700, min(int(browser.execute_script("return document.documentElement.scrollHeight")), 1900))
    browser.set_window_size(1200, height + 150)  # the whole page in one picture (the window has 143 px of its own)
    WebDriverWait(browser, 10).until(lambda driver: driver.execute_script("return window.innerHeight") >= height)
    browser.save_screenshot(str(picture))
    assert picture.read_bytes().startswith(b"\x89PNG")


def test_an_officer_signs_in_sees_the_chart_filters_the_log_and_checks_a_draft(
    chromium: Any, server: Server, tmp_path: Path
) -> None:
    browser = chromium
    browser.get(f"{server.url}/console/")
    assert browser.current_url == f"{server.url}/console/login"
    photograph(browser, tmp_path, "sign-in")
    browser.find_element(By.NAME, "name").send_keys("alice")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    follow(browser, (By.CSS_SELECTOR, "form button[type=submit]"))

    # The overview: a bar a day for 30 days, two blocks and two approvals today.
    assert browser.current_url == f"{server.url}/console/"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Overview of example"
    days = browser.find_elements(By.CSS_SELECTOR, "svg.chart g.day")
    assert len(days) == 30
    bars = browser.find_elements(By.CSS_SELECTOR, "svg.chart rect")
    drawn = [(bar.get_attribute("data-decision"), int(bar.get_attribute("data-count") or 0)) for bar in bars]
    # Today's bar, or two if the posts were sent either side of midnight (UTC).
    assert {decision: sum(count for name, count in drawn if name == decision) for decision in ("approve", "block")} == {
        "approve": 2,
        "block": 2,
    }
    assert all(float(bar.get_attribute("height") or 0) > 0 for bar in bars if bar.get_attribute("data-count") != "0")
    clients = [row.text for row in browser.find_elements(By.CSS_SELECTOR, "#clients tbody td code")]
    assert sorted(clients) == ["EX-001", "EX-099"]
    assert CANARY not in browser.page_source
    cookie = browser.get_cookie("gate_console")
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/console"
    photograph(browser, tmp_path, "overview")

    # The log, filtered to the blocks.
    follow(browser, (By.LINK_TEXT, "Audit log"))
    assert browser.find_element(By.ID, "total").text == "4"
    Select(browser.find_element(By.NAME, "decision")).select_by_visible_text("block")
    follow(browser, (By.CSS_SELECTOR, "form.filters button"))
    assert "decision=block" in browser.current_url
    assert browser.find_element(By.ID, "total").text == "2"
    posts = [
        row.find_elements(By.TAG_NAME, "td")[2].text
        for row in browser.find_elements(By.CSS_SELECTOR, "table.log tbody tr")
    ]
    assert posts == ["call-us", "thank-you"]
    photograph(browser, tmp_path, "log")

    # The list's status.
    follow(browser, (By.LINK_TEXT, "Wordlist"))
    kinds = dict(
        (row.find_elements(By.TAG_NAME, "td")[0].text, row.find_elements(By.TAG_NAME, "td")[1].text)
        for row in browser.find_elements(By.CSS_SELECTOR, "#kinds tbody tr")
    )
    listed = csv.DictReader(io.StringIO((ROOT / "wordlists" / "example" / "clients.csv").read_text(encoding="utf-8")))
    assert int(kinds["name"]) == sum(row["kind"] == "name" for row in listed) + 1  # and the canary
    staff = csv.DictReader(io.StringIO((ROOT / "wordlists" / "example" / "staff.csv").read_text(encoding="utf-8")))
    assert int(kinds["staff"]) == len(list(staff))
    photograph(browser, tmp_path, "wordlist")

    # A draft that blocks: marked where it names a client, and explained.
    follow(browser, (By.LINK_TEXT, "Check a draft"))
    browser.find_element(By.ID, "text").send_keys(DRAFT)
    follow(browser, (By.CSS_SELECTOR, "form.draft button"))
    assert browser.find_element(By.ID, "decision").text == "Blocked"
    marks = browser.find_elements(By.CSS_SELECTOR, "#marked mark")
    assert marks and all(mark.get_attribute("title") for mark in marks)
    findings = browser.find_elements(By.CSS_SELECTOR, "#findings li")
    assert len(findings) >= len({mark.get_attribute("title") for mark in marks}) >= 1
    assert "Your organisation's guidance" in browser.page_source
    photograph(browser, tmp_path, "draft")

    # Signing out: the console is closed again.
    follow(browser, (By.CSS_SELECTOR, "header form button"))
    assert browser.current_url == f"{server.url}/console/login"
    browser.get(f"{server.url}/console/log")
    assert browser.current_url == f"{server.url}/console/login"
