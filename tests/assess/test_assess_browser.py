"""assessment.html in a real browser (headless Chromium driven by Selenium), as the report is tested:
a bill's <script> stays text, nothing is fetched, every ask is shown with its status.

Runs where Debian's `chromium` and `chromium-driver` are installed (scripts/install_browser.sh); skipped elsewhere.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from clauseclf.assess.asks import ASKS
from clauseclf.assess.assessment import Assessment, AskResult, Engaged, Found
from clauseclf.assess.render import write_assessment

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1000")
HOSTILE = ('A person who sends <script>window.__pwned = 1;</script> or <img src="https://example.org/x.png" '
           'onerror="window.__pwned = 2"> commits an offence.')

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[dev]')")
pytestmark = pytest.mark.skipif(not (CHROMIUM.exists() and DRIVER.exists()),
                                reason="needs /usr/bin/chromium and /usr/bin/chromedriver: run scripts/install_browser.sh")


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="clauseclf-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))  # no Selenium Manager download
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def hostile_assessment() -> Assessment:
    asks = [AskResult(number, title, "not_addressed", "Nothing engages it.") for number, title in ASKS.items()]
    asks[1] = AskResult(2, ASKS[2], "not_met", "1 content offence <b>bold</b>.", [
        Engaged("s. 22(1) <i>", "PART III › False <publications>", HOSTILE, "content offence", False)])
    asks[6] = AskResult(7, ASKS[7], "partly_met", "1 of 2 powers meet it.", [
        Engaged("s. 48(1)", "PART IV", "A police officer may apply for a warrant.", "search seizure power: time limit",
                True, [Found("time_limit", "stated", "s. 50(1)", "names s. 48")])])
    return Assessment("hostile<bill>", 3, {"name": "tiny", "hash": "0123456789abcdef"}, asks)


def test_assessment_page_keeps_a_bills_script_as_text_and_fetches_nothing(browser, tmp_path):
    from selenium.webdriver.common.by import By

    write_assessment(hostile_assessment(), tmp_path / "out")
    browser.get((tmp_path / "out" / "assessment.html").as_uri())
    assert browser.title == "Assessment: hostile<bill>"
    assert browser.execute_script("return window.__pwned") is None
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert browser.find_elements(By.CSS_SELECTOR, "img") == []
    assert HOSTILE in browser.find_element(By.CSS_SELECTOR, "#ask-2 blockquote").text
    assert "False <publications>" in browser.find_element(By.ID, "ask-2").text
    statuses = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#summary .status")]
    assert len(statuses) == 15 and statuses[1] == "not met" and statuses[6] == "partly met"
    found = browser.find_element(By.CSS_SELECTOR, "#ask-7 .found").text
    assert "time limit: s. 50(1)" in found and "names s. 48" in found
    # The summary's links jump to each ask on the page.
    browser.find_element(By.CSS_SELECTOR, "a[href='#ask-7']").click()
    assert browser.execute_script("return location.hash") == "#ask-7"
