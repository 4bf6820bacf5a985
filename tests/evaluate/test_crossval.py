"""The jurisdiction cross-validation: folds that never share a jurisdiction, honest pooled figures."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from clauseclf.config import load_train_config
from clauseclf.errors import ConfigError, InputError
from clauseclf.evaluate import bootstrap, calibration, crossval
from clauseclf.evaluate import folds as fold_parts

from conftest import TINY_CONFIG


def test_folds_never_share_a_jurisdiction_and_hold_out_every_clause_once(corpus_records):
    folds = fold_parts.make_folds(corpus_records, 4, 0.15, 13)
    held_out = [r["id"] for fold in folds for r in fold.test]
    assert sorted(held_out) == sorted(r["id"] for r in corpus_records)
    for fold in folds:
        parts = [{r["jurisdiction"] for r in part} for part in (fold.train, fold.dev, fold.test)]
        assert not (parts[0] & parts[1]) and not (parts[0] & parts[2]) and not (parts[1] & parts[2])
        assert fold.dev, "each fold needs a dev part to tune thresholds on"
        assert len(fold.train) + len(fold.dev) + len(fold.test) == len(corpus_records)


def test_extra_training_clauses_train_every_fold_but_never_beside_their_own_jurisdiction(corpus_records):
    plain = fold_parts.make_folds(corpus_records, 4, 0.15, 13)
    extras = [
        {"id": "xx-1", "text": "A person who without authority alters data commits an offence.", "jurisdiction": "XX",
         "labels": ["core_cybercrime", "missing_intent"]},
        {"id": "ke-extra", "text": "A person who publishes false news commits an offence.", "jurisdiction": "KE",
         "labels": ["content_offence", "missing_intent", "overbroad"]},
        {**corpus_records[0], "id": "copy", "jurisdiction": "XX"},  # a text the corpus already holds
    ]
    folds = fold_parts.make_folds(corpus_records, 4, 0.15, 13, extras)
    for before, fold in zip(plain, folds):
        assert [r["id"] for r in fold.test] == [r["id"] for r in before.test]  # the yardstick is unchanged
        assert [r["id"] for r in fold.dev] == [r["id"] for r in before.dev]
        added = [r["id"] for r in fold.train[len(before.train):]]
        kenya_judged = any(r["jurisdiction"] == "KE" for r in fold.dev + fold.test)
        assert added == (["xx-1"] if kenya_judged else ["xx-1", "ke-extra"])
        # the combiner's lexicon signals learn from the corpus's clauses unless the recipe says otherwise
        assert [r["id"] for r in fold.signal_train(False)] == [r["id"] for r in before.train]
        assert fold.signal_train(True) == fold.train


def test_too_many_folds_is_a_user_error(corpus_records):
    with pytest.raises(ConfigError, match="between 2 and the number of jurisdictions"):
        fold_parts.make_folds(corpus_records[:5], 10, 0.15, 13)


def test_cluster_bootstrap_is_exact_for_perfect_predictions_and_wide_for_noise():
    truth = np.array([[1, 0], [0, 1], [1, 1], [0, 0]] * 10)
    groups = [f"g{i % 8}" for i in range(len(truth))]
    perfect = bootstrap.cluster_bootstrap(truth, truth, groups, draws=100)
    assert perfect["macro"] == [1.0, 1.0]
    noisy = bootstrap.cluster_bootstrap(np.random.default_rng(0).integers(0, 2, truth.shape), truth, groups, draws=200)
    assert noisy["macro"][1] - noisy["macro"][0] > 0.05


def test_review_band_counts_clauses_near_a_threshold():
    scores = np.array([[0.9, 0.1], [0.55, 0.1], [0.1, 0.45]])
    truth = np.array([[1, 0], [0, 0], [0, 1]])
    predicted = (scores >= 0.5).astype(int)
    band = calibration.review_band_figures(scores, predicted, truth, np.array([[0.5, 0.5]]), 0.1)
    assert band["in_band"] == 2 and band["coverage"] == pytest.approx(2 / 3, abs=1e-3)
    # Both wrong clauses (rows 2 and 3) lie in the band; the one outside it is right.
    assert band["clause_error_rate_in_band"] == 1.0 and band["clause_error_rate_outside_band"] == 0.0
    assert band["errors_caught_by_band"] == 1.0


def test_crossval_on_tiny_model_writes_report_and_reuses_fold_scores(tmp_path, monkeypatch):
    config = load_train_config(TINY_CONFIG, ["training.max_steps=2", "training.combiner=true"])
    result = crossval.crossval(config, folds=2, output_dir=tmp_path, draws=100, config_name="tiny")
    report = json.loads(result.json_path.read_text())
    assert report["clauses"] == 608
    assert set(report["systems"]) == {crossval.FINE_TUNE, crossval.COMBINED, "keyword rules",
                                      "TF-IDF + logistic regression", crossval.SIGNALS_ONLY}
    assert report["main_system"] == crossval.COMBINED
    for system in report["systems"].values():
        low, high = system["macro_f1_ci95"]
        assert low <= high
        assert set(system["by_language"]) == {"en", "other"}
        assert "offence" in system["by_kind"]
    for name, row in report["calibration"].items():
        assert (tmp_path / row["diagram"]).stat().st_size > 1000
        assert 0 <= row["ece"] <= 1
    assert 0 <= report["review_band"]["coverage"] <= 1
    assert len(list((tmp_path / "folds").glob("fold-*.json"))) == 2
    assert len((tmp_path / "predictions.jsonl").read_text().splitlines()) == 608
    assert "95% CI" in result.markdown_path.read_text()

    # Changing only the review band or the threshold rule must not retrain.
    def no_training(*args, **kwargs):
        raise AssertionError("fold scores should have been reused")

    monkeypatch.setattr("clauseclf.train.train", no_training)
    again = load_train_config(TINY_CONFIG, ["training.max_steps=2", "training.combiner=true",
                                            "training.review_band=0.05", "training.target_recall=0.8"])
    second = crossval.crossval(again, folds=2, output_dir=tmp_path, draws=100, only_folds=[1])
    assert second.report["review_band"]["band"] == 0.05
    assert second.report["method"]["folds_run"] == [1] and 0 < second.report["clauses"] < 608
    assert "only folds [1] run" in second.markdown_path.read_text()


def test_crossval_command_help_and_errors(tmp_path):
    import typer

    from clauseclf.cli.crossval import crossval_command

    app = typer.Typer()
    app.command()(crossval_command)
    runner = CliRunner()
    shown = runner.invoke(app, ["--help"])
    assert shown.exit_code == 0 and "Example: clauseclf crossval" in shown.output
    baselines = runner.invoke(app, [str(TINY_CONFIG), "--folds", "3", "--output", str(tmp_path), "--baselines-only",
                                    "--draws", "100"])
    assert baselines.exit_code == 0, baselines.output
    assert "keyword rules" in baselines.output and (tmp_path / "report.md").is_file()
    too_few = runner.invoke(app, [str(TINY_CONFIG), "--output", str(tmp_path), "--draws", "10"])
    assert too_few.exit_code == 2 and "at least 100 bootstrap draws" in too_few.output
    not_a_run = runner.invoke(app, [str(TINY_CONFIG), "--output", str(tmp_path), "--average-of", str(tmp_path / "x")])
    assert not_a_run.exit_code != 0 and "no folds/ folder of saved scores" in not_a_run.output


def test_average_of_earlier_runs_scores_the_mean_of_their_saved_scores(tmp_path, corpus_records):
    config = load_train_config(TINY_CONFIG)
    folds = fold_parts.make_folds(corpus_records, 2, config.data.dev_fraction, config.data.split_seed)
    rng = np.random.default_rng(0)
    runs = []
    for name in ("a", "b"):
        (tmp_path / name / "folds").mkdir(parents=True)
        for fold in folds:
            saved = {"fold": fold.index, "train_seconds": 10.0,
                     **{part: rng.random((len(rows), 4)).round(5).tolist()
                        for part, rows in (("dev", fold.dev), ("test", fold.test))}}
            (tmp_path / name / "folds" / f"fold-{fold.index}-x.json").write_text(json.dumps(saved))
        runs.append(tmp_path / name)
    average = fold_parts.averaged_fold_scores(runs)
    result = crossval.crossval(config, folds=2, output_dir=tmp_path / "mean", draws=100, saved_scores=average)
    assert result.report["train_seconds_total"] == 40.0  # what the ensemble cost to train
    assert not (tmp_path / "mean" / "folds").exists()  # nothing trained, nothing to keep
    expected = np.mean([json.loads((run / "folds" / "fold-1-x.json").read_text())["test"] for run in runs], axis=0)
    rows = [json.loads(line) for line in (tmp_path / "mean" / "predictions.jsonl").read_text().splitlines()]
    held_out = rows[len(folds[0].test):]  # fold 1's clauses, in fold order
    shown = np.array([[row[crossval.FINE_TUNE][n] for n in ("core_cybercrime", "content_offence", "missing_intent",
                                                             "overbroad")] for row in held_out])
    np.testing.assert_allclose(shown, expected, atol=1e-4)
    assert not list((tmp_path / "mean" / "folds").glob("fold-*.json"))  # nothing trained, nothing saved

    (tmp_path / "a" / "folds" / "fold-0-y.json").write_text("{}")
    with pytest.raises(InputError, match="2 saved scores for fold 0"):
        fold_parts.averaged_fold_scores(runs)(folds[0])
    with pytest.raises(InputError, match="held-out clauses, this fold has"):
        shorter = fold_parts.Fold(1, folds[1].train, folds[1].dev, folds[1].test[:-1])
        fold_parts.averaged_fold_scores([tmp_path / "b"])(shorter)


# Settings that only turn scores into labels (thresholds, the combiner, the review band) or change nothing the
# model computes: a rerun that changes only these reuses the saved fold scores. Any other change retrains.
SCORE_NEUTRAL = ["training.review_band=0.05", "training.target_recall=0.8", "training.combiner=true",
                 "training.signals_english_only=true", "training.eval_batch_size=8", "training.logging_steps=1",
                 "training.embedding_signals=true", "training.signals_on_extra_train=false",
                 "data.facts_corpus=[data/corpus/statutes/ls.jsonl]", "model.facts_encoder=packaged:all-minilm-l6-v2"]
SCORE_SHAPING = ["training.learning_rate=1e-4", "training.epochs=2", "training.seed=8", "training.max_steps=3",
                 "training.positive_weights=false", "training.batch_size=4", "model.max_length=48",
                 "model.tiny.hidden_size=16", "data.split_seed=14"]


@pytest.mark.parametrize("change", SCORE_NEUTRAL + SCORE_SHAPING)
def test_a_fold_is_retrained_exactly_when_a_setting_that_shapes_its_scores_changes(change, corpus_records, tmp_path,
                                                                                   monkeypatch):
    from types import SimpleNamespace

    trained = []

    def fake_train(config, output, splits, **kwargs):
        trained.append(config)
        return SimpleNamespace(seconds=1.0, raw_probabilities={
            part: np.full((len(splits[part]), 4), 0.5) for part in ("dev", "test")})

    monkeypatch.setattr("clauseclf.train.train", fake_train)
    fold = fold_parts.make_folds(corpus_records, 2, 0.15, 13)[0]
    fold_parts.fold_scores(load_train_config(TINY_CONFIG), fold, tmp_path)
    fold_parts.fold_scores(load_train_config(TINY_CONFIG, [change]), fold, tmp_path)
    assert len(trained) == (2 if change in SCORE_SHAPING else 1)


def test_every_setting_not_declared_score_neutral_shapes_the_fold_key(corpus_records):
    import dataclasses

    config = load_train_config(TINY_CONFIG)
    fold = fold_parts.make_folds(corpus_records, 2, 0.15, 13)[0]
    base = fold_parts._score_key(config, fold)
    neutral = {change.split("=")[0] for change in SCORE_NEUTRAL}
    for section in ("model", "data", "training"):
        for declared in dataclasses.fields(getattr(config, section)):
            value = getattr(getattr(config, section), declared.name)
            if dataclasses.is_dataclass(value):
                continue  # model.tiny: its fields are the tiny encoder's, covered by model.tiny.hidden_size above
            other = (not value if isinstance(value, bool) else value + 1 if isinstance(value, (int, float))
                     else value + ["x"] if isinstance(value, list) else value + "x")
            changed = copy.deepcopy(config)
            setattr(getattr(changed, section), declared.name, other)
            name = f"{section}.{declared.name}"
            assert (fold_parts._score_key(changed, fold) == base) == (name in neutral), name
