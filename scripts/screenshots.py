"""Take the screenshots of docs/: the HTML report (docs/report.png) and the review queue (docs/review-queue.png).

Both show the synthetic predictions of tests/fixtures/review/predictions.jsonl
(real clauses, made-up scores), minus the clause that carries an injected
<script> for the escaping tests. Needs headless Chromium (scripts/install_browser.sh)
and selenium (pip install -e '.[dev]').

Usage: .venv/bin/python scripts/screenshots.py [--output docs]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import threading
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from clauseclf.review.records import read_predictions
from clauseclf.review.report import build_report
from clauseclf.review.server import ReviewServer
from clauseclf.review.store import ReviewStore

REPO_ROOT = Path(__file__).resolve().parents[1]
PREDICTIONS = REPO_ROOT / "tests" / "fixtures" / "review" / "predictions.jsonl"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars")


def chromium(profile: str, width: int, height: int) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def wait(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the page did not get ready")
        time.sleep(0.05)


def shoot_report(records: list[dict], folder: Path, output: Path, profile: str) -> None:
    page = folder / "report.html"
    page.write_text(build_report(records, "Clause review report: example bill extracts"), encoding="utf-8")
    driver = chromium(profile, 1280, 1500)
    try:
        driver.get(page.as_uri())
        wait(lambda: driver.find_element(By.ID, "shown").text)
        driver.save_screenshot(str(output))
    finally:
        driver.quit()


def shoot_queue(records: list[dict], folder: Path, output: Path, profile: str) -> None:
    store = ReviewStore(folder / "review.sqlite")
    store.load(records)
    first = records[0]["doc_id"] + "::" + records[0]["clause_id"]
    store.add_verdict(first, records[0]["labels"], records[0]["labels"], "", "Ana Reviewer")
    server = ReviewServer(store, "127.0.0.1", 0, reviewer="Ana Reviewer")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    driver = chromium(profile, 1280, 860)
    try:
        driver.get(server.url)
        wait(lambda: driver.execute_script("return document.body.dataset.ready") == "1")
        driver.find_element(By.ID, "comment").send_keys("Strict liability for the intermediary: no mental element in the offence.")
        driver.find_element(By.TAG_NAME, "h1").click()  # leave the comment box, as a reviewer would
        driver.save_screenshot(str(output))
    finally:
        driver.quit()
        server.shutdown()
        server.server_close()
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs")
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    records = [r for r in read_predictions(PREDICTIONS) if "<script>" not in r["text"]]
    folder = Path(tempfile.mkdtemp(prefix="clauseclf-screenshots-"))
    try:
        shoot_report(records, folder, args.output / "report.png", str(folder / "profile-report"))
        shoot_queue(records, folder, args.output / "review-queue.png", str(folder / "profile-queue"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"wrote {args.output / 'report.png'} and {args.output / 'review-queue.png'}")


if __name__ == "__main__":
    main()
