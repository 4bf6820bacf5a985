"""Counterfactual training clauses for missing_intent: the mental element taken out or put in, the label with it."""

from __future__ import annotations

import pytest

from clauseclf import counterfactuals, crossval, lexicon
from clauseclf.config import load_train_config

from conftest import TINY_CONFIG


@pytest.mark.parametrize("text, expected", [
    ("Any person who unlawfully and intentionally accesses a computer system is guilty of an offence.",
     "Any person who unlawfully accesses a computer system is guilty of an offence."),
    ("A person who knowingly or intentionally sends a message that is grossly offensive commits an offence.",
     "A person who sends a message that is grossly offensive commits an offence."),
    ("A person who, by infringing security measures, knowing such access is unauthorised, accesses a "
     "computer system commits an offence.",
     "A person who, by infringing security measures, accesses a computer system commits an offence."),
    ("Whoever, with intent to defraud, alters computer data commits an offence.",
     "Whoever, in a manner likely to defraud, alters computer data commits an offence."),
])
def test_stripping_takes_out_every_mental_element_and_keeps_the_sentence(text, expected):
    stripped = counterfactuals.strip_mental_element(text)
    assert stripped == expected
    assert not lexicon.mentions(stripped, lexicon.MENTAL_ELEMENT)


@pytest.mark.parametrize("text", [
    "A person who accesses a computer system commits an offence.",  # nothing to take out
    "A person who, with either the intention to obtain gain or otherwise, accesses data commits an offence.",
    "A person who knows or ought to know that the data is false and publishes it commits an offence.",
])
def test_stripping_declines_what_it_cannot_do_cleanly(text):
    assert counterfactuals.strip_mental_element(text) is None


def test_adding_puts_intent_before_each_doers_act_and_not_on_negligence():
    add = counterfactuals.add_mental_element
    assert add("Any person who without authority accesses data, or who fails to comply with an order, "
               "commits an offence.") == ("Any person who intentionally and without authority accesses data, or who "
                                          "intentionally fails to comply with an order, commits an offence.")
    assert add("The penalty shall be a fine of one thousand dollars.") is None  # no doer to give intent to
    assert add("A person who publishes data he ought to know is false commits an offence.") is None


def test_only_english_offences_are_rewritten_and_missing_intent_flips_with_the_words():
    records = [
        {"id": "a", "text": "A person who intentionally accesses a computer system commits an offence.",
         "kind": "offence", "lang": "en", "labels": ["core_cybercrime"], "evidence": ["intentionally"]},
        {"id": "b", "text": "A person who publishes false news commits an offence.", "kind": "offence",
         "lang": "en", "labels": ["content_offence", "missing_intent", "overbroad"], "evidence": ["false news"]},
        {"id": "c", "text": "In this Act, 'computer' means any device that processes data intentionally.",
         "kind": "definition", "lang": "en", "labels": [], "evidence": []},
        {"id": "d", "text": "Quiconque, intentionnellement, accède à un système commet une infraction.",
         "kind": "offence", "lang": "fr", "labels": ["core_cybercrime"], "evidence": []},
    ]
    rewritten = {r["id"]: r for r in counterfactuals.intent_counterfactuals(records)}
    assert sorted(rewritten) == ["a#counterfactual", "b#counterfactual"]
    assert rewritten["a#counterfactual"]["labels"] == ["core_cybercrime", "missing_intent"]
    assert rewritten["a#counterfactual"]["text"] == "A person who accesses a computer system commits an offence."
    assert rewritten["b#counterfactual"]["labels"] == ["content_offence", "overbroad"]
    assert rewritten["b#counterfactual"]["text"].startswith("A person who intentionally publishes")
    assert all(r["evidence"] == [] for r in rewritten.values())  # the annotated spans belong to the real text


def test_counterfactuals_change_the_fold_score_key_only_when_on(corpus_records):
    fold = crossval.make_folds(corpus_records, 4, 0.15, 13)[0]
    plain = load_train_config(TINY_CONFIG)
    off = load_train_config(TINY_CONFIG, ["training.intent_counterfactuals=false"])
    on = load_train_config(TINY_CONFIG, ["training.intent_counterfactuals=true"])
    assert crossval._score_key(plain, fold) == crossval._score_key(off, fold)  # saved folds of before stay valid
    assert crossval._score_key(on, fold) != crossval._score_key(plain, fold)


def test_training_with_counterfactuals_fine_tunes_on_more_clauses(tmp_path, caplog):
    from clauseclf.training import train

    config = load_train_config(TINY_CONFIG, ["training.max_steps=1", "training.intent_counterfactuals=true"])
    with caplog.at_level("INFO", logger="clauseclf.training"):
        result = train(config, tmp_path / "model")
    assert "counterfactuals)" in caplog.text
    assert (result.output_dir / "thresholds.json").is_file()
