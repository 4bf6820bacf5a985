"""The report and the review queue in a real browser: headless Chromium driven by Selenium.

Runs where Debian's `chromium` and `chromium-driver` are installed
(scripts/install_browser.sh, which scripts/test.sh calls); skipped elsewhere.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

import pytest

from clauseclf.corpus import validate
from clauseclf.review.records import read_predictions
from clauseclf.review.report import write_report
from clauseclf.review.server import ReviewServer
from clauseclf.review.store import ReviewStore, export_reviewed
from clauseclf.schema import LabelSchema
from conftest import REPO_ROOT

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
PREDICTIONS = REPO_ROOT / "tests" / "fixtures" / "review" / "predictions.jsonl"
HOSTILE_KEY = "in-itact-2000::in-itact-2000-s66e"
# Quiet, offline, throwaway: no sandbox (containers), no GPU, no background traffic, a fresh profile.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1000")

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[dev]')")
pytestmark = pytest.mark.skipif(not (CHROMIUM.exists() and DRIVER.exists()),
                                reason="needs /usr/bin/chromium and /usr/bin/chromedriver: run scripts/install_browser.sh")


def start_chromium(profile: str):
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    # An explicit driver path keeps Selenium Manager from trying to download one.
    return webdriver.Chrome(options=options, service=Service(str(DRIVER)))


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="clauseclf-chromium-")
    driver = start_chromium(profile)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def wait_for(condition, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the page")


# ----------------------------------------------------------------------------- report


def test_report_script_in_a_bill_does_not_run_and_filters_work(browser, tmp_path):
    from selenium.webdriver.common.by import By

    output = write_report(PREDICTIONS, tmp_path / "report.html")
    browser.get(output.as_uri())
    wait_for(lambda: browser.find_element(By.ID, "shown").text)
    assert browser.execute_script("return window.__pwned") is None
    assert browser.title.startswith("Clause review report")
    assert "<script>window.__pwned = 1;" in browser.find_element(By.ID, "clauses").text
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0

    records = read_predictions(PREDICTIONS)
    visible = "return [...document.querySelectorAll('article.clause')].filter(a => !a.hidden).length"
    assert browser.execute_script(visible) == len(records)
    for box in browser.find_elements(By.CSS_SELECTOR, ".label-filter"):
        if box.get_attribute("value") != "overbroad":
            box.click()
    assert browser.execute_script(visible) == sum("overbroad" in r["labels"] for r in records)
    browser.find_element(By.ID, "review-only").click()
    assert browser.execute_script(visible) == sum("overbroad" in r["labels"] and r["needs_review"] for r in records)


# ----------------------------------------------------------------------------- review queue


@pytest.fixture
def queue(tmp_path):
    db = tmp_path / "review.sqlite"
    store = ReviewStore(db)
    store.load(read_predictions(PREDICTIONS))
    server = ReviewServer(store, "127.0.0.1", 0, reviewer="")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, db
    server.shutdown()
    server.server_close()
    store.close()


def test_review_queue_by_keyboard_records_verdicts_and_exports(browser, queue, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    server, db = queue
    browser.get(server.url)
    wait_for(lambda: browser.execute_script("return document.body.dataset.ready") == "1")
    saved = lambda: int(browser.execute_script("return document.body.dataset.saved || '0'"))  # noqa: E731
    body = browser.find_element(By.TAG_NAME, "body")

    # Without a name nothing is saved.
    body.send_keys("a")
    assert "Reviewer" in wait_for(lambda: browser.find_element(By.ID, "message").text)
    browser.find_element(By.ID, "reviewer").send_keys("Ana Reviewer", Keys.ESCAPE)
    first = browser.find_element(By.ID, "unit").text

    body.send_keys("a")                                  # 1: accept the model's labels
    wait_for(lambda: saved() == 1)
    assert browser.find_element(By.ID, "unit").text != first  # moved on by itself

    current = "return document.querySelector('#queue li.current').dataset.key"
    assert browser.execute_script(current) == HOSTILE_KEY  # second in the queue (fixture)
    # The bill's <script> stays text in the queue too.
    assert "<script>window.__pwned = 1;" in browser.find_element(By.ID, "text").text
    assert browser.execute_script("return window.__pwned") is None
    body.send_keys("4")                                  # 2: toggle overbroad ...
    body.send_keys("c")                                  # ... comment ...
    browser.switch_to.active_element.send_keys("Too wide: no carve-out for journalism.")
    browser.switch_to.active_element.send_keys(Keys.CONTROL, Keys.ENTER)  # ... and save from the comment box
    wait_for(lambda: saved() == 2)
    assert browser.execute_script(current) != HOSTILE_KEY

    body.send_keys("p")                                  # 3: back, the verdict is shown; undo the toggle
    assert browser.execute_script(current) == HOSTILE_KEY
    assert browser.find_element(By.CSS_SELECTOR, '#labels input[value="overbroad"]').is_selected()
    assert browser.find_element(By.ID, "comment").get_attribute("value").startswith("Too wide")
    body.send_keys("4")
    body.send_keys(Keys.ENTER)
    wait_for(lambda: saved() == 3)
    assert "2 of 13 reviewed" in browser.find_element(By.ID, "progress").text

    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT clause_key, labels, model_labels, decision, comment, reviewer, created_at "
                                  "FROM verdicts ORDER BY id").fetchall()
    assert [row[5] for row in rows] == ["Ana Reviewer"] * 3 and all(row[6] for row in rows)
    assert [row[0] for row in rows][1:] == [HOSTILE_KEY, HOSTILE_KEY]
    assert [row[3] for row in rows] == ["accept", "correct", "accept"]
    assert "overbroad" in json.loads(rows[1][1]) and "overbroad" not in json.loads(rows[1][2])
    assert rows[2][4] == "Too wide: no carve-out for journalism."

    output = tmp_path / "reviewed.jsonl"
    assert export_reviewed(db, output) == 2
    assert validate(output, LabelSchema.from_yaml()) == (2, [])
    exported = {r["id"]: r for r in map(json.loads, output.read_text().splitlines())}
    hostile = exported["in-itact-2000-s66e"]  # the latest verdict counts
    assert hostile["labels"] == json.loads(rows[2][2]) and hostile["review"]["reviewer"] == "Ana Reviewer"
    assert hostile["rationale"] == "Too wide: no carve-out for journalism."


def test_queue_marks_evidence_after_emoji_and_warns_when_exposed(browser, tmp_path):
    from selenium.webdriver.common.by import By

    text = "🙂🙂 A person who sends a 📧 message that is grossly offensive commits an offence."
    words = "grossly offensive"
    at = text.index(words)  # code points, as predictions count them
    record = {"doc_id": "emoji", "clause_id": "s1", "text": text, "labels": ["content_offence"],
              "scores": {"content_offence": 0.9}, "needs_review": True,
              "evidence": {"content_offence": [{"text": words, "start": at, "end": at + len(words), "why": "w"}]}}
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    store = ReviewStore(tmp_path / "review.sqlite")
    store.load(read_predictions(path))
    server = ReviewServer(store, "0.0.0.0", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        browser.get(f"http://127.0.0.1:{server.server_address[1]}/")
        wait_for(lambda: browser.execute_script("return document.body.dataset.ready") == "1")
        assert [m.text for m in browser.find_elements(By.CSS_SELECTOR, "#text mark")] == [words]
        banner = browser.find_element(By.ID, "exposed")
        assert banner.is_displayed() and "beyond this machine" in banner.text
    finally:
        server.shutdown()
        server.server_close()
        store.close()


def test_queue_says_when_the_model_read_a_clause_in_part(browser, tmp_path):
    from selenium.webdriver.common.by import By

    def record(clause_id, tokens, read):
        return {"doc_id": "bill", "clause_id": clause_id, "text": f"Clause {clause_id}: an offence.",
                "labels": ["core_cybercrime"], "scores": {"core_cybercrime": 0.9}, "needs_review": clause_id == "s1",
                "tokens": tokens, "tokens_read": read}

    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(record(*r)) + "\n" for r in [("s1", 300, 192), ("s2", 40, 40)]))
    store = ReviewStore(tmp_path / "review.sqlite")
    store.load(read_predictions(path))
    server = ReviewServer(store, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        browser.get(server.url)
        wait_for(lambda: browser.execute_script("return document.body.dataset.ready") == "1")
        note = browser.find_element(By.ID, "read-in-part")
        assert browser.find_element(By.ID, "unit").text == "s1"
        assert note.is_displayed() and "read 192 of its 300 word pieces" in note.text
        browser.find_element(By.TAG_NAME, "body").send_keys("n")
        wait_for(lambda: browser.find_element(By.ID, "unit").text == "s2")
        assert not note.is_displayed()
    finally:
        server.shutdown()
        server.server_close()
        store.close()
