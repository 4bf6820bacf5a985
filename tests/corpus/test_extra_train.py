"""Clauses that only ever train (data.extra_train): into the train split, never beside their own jurisdiction."""

from __future__ import annotations

import json

import pytest

from clauseclf import corpus
from clauseclf.config import load_train_config
from clauseclf.errors import ConfigError, InputError
from clauseclf.schema import LabelSchema
from clauseclf.train import train

from conftest import CORPUS, TINY_CONFIG

NEW_LAW = {"id": "xx-1", "text": "A person who without authority alters computer data commits an offence.",
           "jurisdiction": "XX", "kind": "offence", "labels": ["core_cybercrime", "missing_intent"]}


def _write(path, rows) -> str:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_extra_clauses_join_the_train_split_unless_their_jurisdiction_is_judged(tmp_path):
    config = load_train_config(TINY_CONFIG)
    splits = corpus.split_by_jurisdiction(corpus.load_corpus(CORPUS, LabelSchema.from_yaml()),
                                          config.data.dev_fraction, config.data.test_fraction, config.data.split_seed)
    judged = {**NEW_LAW, "id": "judged-1", "text": "A person who publishes false news commits an offence.",
              "jurisdiction": splits["test"][0]["jurisdiction"]}
    extra = _write(tmp_path / "extra.jsonl", [NEW_LAW, judged])
    config = load_train_config(TINY_CONFIG, [f"data.extra_train=[{extra}]"])
    train(config, tmp_path / "model")
    split = json.loads((tmp_path / "model" / "split.json").read_text(encoding="utf-8"))
    assert split["train"]["records"] == len(splits["train"]) + 1
    assert "XX" in split["train"]["jurisdictions"]
    assert [split[s]["records"] for s in ("dev", "test")] == [len(splits["dev"]), len(splits["test"])]


def test_a_bad_extra_file_names_its_line_before_any_training(tmp_path):
    extra = _write(tmp_path / "extra.jsonl", [NEW_LAW, "{not json"])
    config = load_train_config(TINY_CONFIG, [f"data.extra_train=[{extra}]"])
    with pytest.raises(InputError, match=r"extra\.jsonl:2: malformed JSON"):
        train(config, tmp_path / "model")
    assert not (tmp_path / "model").exists()


def test_extra_train_patterns_expand_to_their_files_and_a_pattern_matching_nothing_is_refused(tmp_path, monkeypatch):
    for name in ("b.jsonl", "a.jsonl", "notes.md"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "held_out").mkdir()
    (tmp_path / "held_out" / "c.jsonl").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert [p.name for p in corpus.expand_paths(["*.jsonl"])] == ["a.jsonl", "b.jsonl"]  # not held_out/
    assert [p.name for p in corpus.expand_paths(["held_out/*.jsonl", "a.jsonl"])] == ["c.jsonl", "a.jsonl"]
    with pytest.raises(InputError, match="no file matches"):
        corpus.expand_paths(["statutes/*.jsonl"])


def test_the_statutes_recipe_trains_on_the_statutes_but_never_on_the_held_out_jurisdictions():
    config = load_train_config("configs/train/statutes.yaml")
    extras = corpus.load_extras(config.data.extra_train, LabelSchema.from_yaml())
    held_out = {json.loads(line)["jurisdiction"] for path in (CORPUS.parent / "statutes" / "held_out").glob("*.jsonl")
                for line in path.read_text(encoding="utf-8").splitlines()}
    assert len(extras) > 5000 and held_out and not held_out & {r["jurisdiction"] for r in extras}


def test_a_sample_of_the_extra_clauses_is_drawn_once_before_any_split_and_smaller_samples_nest(tmp_path):
    extra = _write(tmp_path / "extra.jsonl", [{**NEW_LAW, "id": f"xx-{i}", "text": f"{NEW_LAW['text']} Clause {i}."}
                                              for i in range(20)])
    def pool(size):
        config = load_train_config(TINY_CONFIG, [f"data.extra_train=[{extra}]", f"data.extra_train_sample={size}"])
        return [r["id"] for r in corpus.training_pool(config.data, LabelSchema.from_yaml())]

    assert len(pool(0)) == 20 and len(pool(5)) == 5 and len(pool(50)) == 20
    assert pool(5) == pool(5) and pool(5) == pool(12)[:5] and pool(5) != pool(0)[:5]
    config = load_train_config(TINY_CONFIG, [f"data.extra_train=[{extra}]", "data.extra_train_sample=3"])
    train(config, tmp_path / "model")
    split = json.loads((tmp_path / "model" / "split.json").read_text(encoding="utf-8"))
    baseline = corpus.split_by_jurisdiction(corpus.load_corpus(CORPUS, LabelSchema.from_yaml()),
                                            config.data.dev_fraction, config.data.test_fraction, config.data.split_seed)
    assert split["train"]["records"] == len(baseline["train"]) + 3


def test_a_negative_sample_size_is_refused():
    with pytest.raises(ConfigError, match="extra_train_sample"):
        load_train_config(TINY_CONFIG, ["data.extra_train_sample=-1"])


@pytest.mark.parametrize("on_extra", [True, False])
def test_the_lexicon_signals_learn_from_the_extra_clauses_only_when_the_recipe_says_so(tmp_path, monkeypatch, on_extra):
    import clauseclf.train as training

    extra = _write(tmp_path / "extra.jsonl", [{**NEW_LAW, "id": f"xx-{i}", "text": f"{NEW_LAW['text']} Clause {i}."}
                                              for i in range(5)])
    seen = []
    real_calibrate = training.calibrate
    monkeypatch.setattr(training, "calibrate", lambda *args, **kwargs: seen.append(args[4]) or real_calibrate(*args, **kwargs))
    config = load_train_config(TINY_CONFIG, [f"data.extra_train=[{extra}]", "training.combiner=true",
                                             f"training.signals_on_extra_train={str(on_extra).lower()}"])
    train(config, tmp_path / "model")
    seed_train = corpus.split_by_jurisdiction(corpus.load_corpus(CORPUS, LabelSchema.from_yaml()),
                                              config.data.dev_fraction, config.data.test_fraction,
                                              config.data.split_seed)["train"]
    learnt_from = {r["text"] for r in seen[0]}
    assert {r["text"] for r in seed_train} <= learnt_from
    assert any(text.endswith("Clause 3.") for text in learnt_from) == on_extra
    assert len(seen[0]) == len(seed_train) + (5 if on_extra else 0)
