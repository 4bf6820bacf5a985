"""The reviewer's loop links each flagged clause to the asks it engages: the report and the queue."""

from __future__ import annotations

from clauseclf.assess.links import ask_titles, asks_engaged
from clauseclf.review.records import read_predictions
from clauseclf.review.report import build_report
from clauseclf.review.server import queue_items
from clauseclf.review.store import ReviewStore
from conftest import REPO_ROOT

PREDICTIONS = REPO_ROOT / "tests" / "fixtures" / "review" / "predictions.jsonl"


def test_labels_and_the_words_of_a_power_give_the_asks():
    assert asks_engaged({"labels": [], "text": "A person who intercepts ..."}) == []
    assert asks_engaged({"labels": ["core_cybercrime"], "text": "A person who intentionally accesses ..."}) == [1, 5]
    offence = "A person who publishes offensive messages commits an offence and is liable to a fine."
    assert asks_engaged({"labels": ["overbroad", "content_offence"], "text": offence}) == [2, 4]
    search = "A police officer may, without a warrant, search any premises and seize any computer system."
    assert asks_engaged({"labels": ["overbroad"], "text": search}) == [7, 8, 9, 10]
    request = "The Attorney-General may grant a request for mutual legal assistance from a foreign State."
    assert asks_engaged({"labels": ["overbroad"], "text": request}) == [12, 13, 14]
    # A clause table that gives the kind is believed over the words.
    assert asks_engaged({"labels": ["overbroad"], "text": request, "kind": "offence"}) == [4]
    assert ask_titles([2])[0] == {"id": 2, "ask": "No offences based on the content of expression"}


def test_report_cards_and_queue_items_carry_the_asks(tmp_path):
    records = read_predictions(PREDICTIONS)
    flagged = [r for r in records if asks_engaged(r)]
    assert flagged
    html = build_report(records, "t")
    assert html.count('<ul class="asks"') == len(flagged)
    store = ReviewStore(tmp_path / "review.sqlite")
    try:
        store.load(records)
        items = queue_items(store)["items"]
    finally:
        store.close()
    assert sum(1 for item in items if item["asks"]) == len(flagged)
    assert all(set(ask) == {"id", "ask"} for item in items for ask in item["asks"])
