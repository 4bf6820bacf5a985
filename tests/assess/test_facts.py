"""The clause-facts model: fitted on real statute clauses over a frozen encoder's sentence embeddings, saved as
plain numbers, loaded back to the same predictions; the encoder pass pooled, cut, batched and gradient-free; the
folders it refuses. The tiny random encoder stands in for all-MiniLM-L6-v2, which only the slow test loads."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from safetensors.numpy import load_file

from clauseclf.assess.encoder import MAX_TOKENS, SentenceEncoder
from clauseclf.assess.facts import FACTS_JSON, FACTS_WEIGHTS, FactsModel, fit_facts
from clauseclf.errors import ConfigError, ModelFolderError
from clauseclf.schema import KINDS
from conftest import REPO_ROOT, read_records

SENEGAL = REPO_ROOT / "data" / "corpus" / "statutes" / "sn.jsonl"  # 71 clauses in French, 7 with safeguard facts
SEARCH = "A police officer may, with a warrant issued by a judge, search any premises and seize any computer system."
TITLE = "This Act may be cited as the Computer Misuse Act."


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return read_records(SENEGAL)


@pytest.fixture(scope="module")
def tiny_facts(records) -> FactsModel:
    return fit_facts(records, SentenceEncoder.load("tiny-random"))


def test_a_model_is_fitted_for_each_fact_the_clauses_annotate_and_reads_every_clause(tiny_facts, records):
    assert set(tiny_facts.heads) >= {"kind", "power", "judicial_authorisation"}
    assert tiny_facts.heads["kind"].examples == len(records) == tiny_facts.trained_on
    assert tiny_facts.heads["power"].examples == sum("safeguards" in r for r in records)
    facts = tiny_facts.predict([r["text"] for r in records])
    assert len(facts) == len(records) and {f.kind for f in facts} <= set(KINDS)
    assert all(0 < f.confidence["kind"] <= 1 for f in facts)
    assert tiny_facts.predict([]) == []


def test_the_folder_holds_the_encoder_by_name_and_only_numbers(tiny_facts, tmp_path):
    tiny_facts.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [FACTS_JSON, FACTS_WEIGHTS]
    meta = json.loads((tmp_path / FACTS_JSON).read_text(encoding="utf-8"))
    assert meta["format"] == 2
    assert meta["encoder"] == {"name": "tiny-random", "max_tokens": MAX_TOKENS, "pooling": "mean", "dimensions": 32}
    assert set(meta["heads"]["kind"]["classes"]) <= set(KINDS)
    tensors = load_file(str(tmp_path / FACTS_WEIGHTS))
    assert set(tensors) == {f"{name}.{part}" for name in meta["heads"] for part in ("weights", "bias")}
    assert tensors["kind.weights"].shape == (len(meta["heads"]["kind"]["classes"]), 32)


def test_saving_and_loading_gives_the_same_predictions(tiny_facts, records, tmp_path):
    tiny_facts.save(tmp_path)
    texts = [r["text"] for r in records[:30]] + [SEARCH, TITLE]
    again = FactsModel.load(tmp_path).predict(texts)
    assert again == tiny_facts.predict(texts)  # kind, power, safeguards and confidences


def test_the_tiny_random_encoder_is_the_same_in_every_load_and_leaves_the_random_stream_alone():
    torch.manual_seed(1)
    first = SentenceEncoder.load("tiny-random").embed([SEARCH])
    state = torch.get_rng_state()
    second = SentenceEncoder.load("tiny-random").embed([SEARCH])
    assert np.array_equal(first, second)
    assert torch.equal(torch.get_rng_state(), state)


def test_embeddings_are_mean_pooled_over_real_tokens_cut_at_max_tokens_and_of_length_one():
    encoder = SentenceEncoder.load("tiny-random")
    short, long = "An order made under section 48.", " ".join(["interception"] * 400)
    alone = encoder.embed([short])
    beside_a_longer_clause = encoder.embed([long, short])  # padded to the longer clause's length in one batch
    assert np.allclose(alone[0], beside_a_longer_clause[1], atol=1e-5)  # the padding is not averaged in
    assert np.allclose(np.linalg.norm(beside_a_longer_clause, axis=1), 1.0, atol=1e-5)
    assert len(encoder.tokenizer(long)["input_ids"]) > MAX_TOKENS
    assert np.allclose(encoder.embed([long]), encoder.embed([" ".join(["interception"] * 300)]), atol=1e-6)
    assert not np.allclose(alone, encoder.embed([TITLE]), atol=1e-3)  # the words count, not only the length


def test_the_encoder_pass_runs_in_batches_in_inference_mode_and_keeps_the_order(records):
    encoder = SentenceEncoder.load("tiny-random")
    texts = [r["text"] for r in records]
    calls, progress = [], []
    hook = encoder.model.register_forward_hook(
        lambda module, inputs, output: calls.append(torch.is_inference_mode_enabled()))
    try:
        vectors = encoder.embed(texts, batch_size=16, on_progress=progress.append)
    finally:
        hook.remove()
    assert calls == [True] * 5 and sum(progress) == len(texts) == 71  # ceil(71 / 16) forward passes
    assert np.allclose(vectors[[3, 40]], encoder.embed([texts[3], texts[40]]), atol=1e-5)


def test_a_folder_of_the_tf_idf_format_is_refused_with_the_command_that_retrains(tiny_facts, tmp_path):
    tiny_facts.save(tmp_path)
    old = {"format": 1, "settings": {"ngram_range": [1, 2], "min_df": 2}, "trained_on": 71,
           "heads": {"kind": {"classes": ["offence", "other"], "examples": 71}}, "vocabulary": ["act", "computer"]}
    (tmp_path / FACTS_JSON).write_text(json.dumps(old), encoding="utf-8")
    with pytest.raises(ModelFolderError) as caught:
        FactsModel.load(tmp_path)
    message = str(caught.value)
    assert "format 1" in message and "TF-IDF" in message and "clauseclf train configs/train/default.yaml" in message


def test_a_folder_whose_encoder_is_missing_or_not_the_one_fitted_is_refused(tiny_facts, tmp_path):
    tiny_facts.save(tmp_path)
    meta = json.loads((tmp_path / FACTS_JSON).read_text(encoding="utf-8"))
    (tmp_path / FACTS_JSON).write_text(json.dumps({**meta, "encoder": {**meta["encoder"], "dimensions": 384}}))
    with pytest.raises(ModelFolderError, match="gives 32 numbers a clause, the model was fitted on 384"):
        FactsModel.load(tmp_path)
    (tmp_path / FACTS_JSON).write_text(json.dumps({**meta, "encoder": {**meta["encoder"], "name": "packaged:nope"}}))
    with pytest.raises(ModelFolderError, match="facts.json: encoder: unknown packaged model 'nope'"):
        FactsModel.load(tmp_path)
    (tmp_path / FACTS_JSON).write_text(json.dumps({**meta, "encoder": {**meta["encoder"], "pooling": "cls"}}))
    with pytest.raises(ModelFolderError, match="no encoder with mean pooling"):
        FactsModel.load(tmp_path)


def test_training_refuses_an_unknown_facts_encoder_before_fine_tuning(tmp_path):
    from clauseclf.config import load_train_config
    from clauseclf.train import train
    from conftest import TINY_CONFIG

    config = load_train_config(TINY_CONFIG, ["model.facts_encoder=packaged:nope"])
    with pytest.raises(ConfigError, match="model.facts_encoder: unknown packaged model 'nope'"):
        train(config, tmp_path / "model")
    assert not (tmp_path / "model" / "checkpoints").exists()


@pytest.mark.slow
def test_the_packaged_minilm_embeds_a_search_power_nearer_another_search_power_than_a_short_title():
    encoder = SentenceEncoder.load("packaged:all-minilm-l6-v2")
    search, warrant, title = encoder.embed(
        [SEARCH, "An officer may, under a warrant of a magistrate, enter a building and seize the data found.", TITLE])
    assert encoder.dimensions == 384 and float(search @ warrant) > float(search @ title) + 0.2


def test_embedding_batches_clauses_of_like_token_counts_whatever_their_characters(monkeypatch):
    # Japanese is short in characters and long in word pieces: by characters it would share the first batch
    # with the short English clauses and pad them all to its length.
    encoder = SentenceEncoder.load("tiny-random")
    japanese = "電子計算機使用詐欺罪及び不正アクセス行為の禁止等に関する法律第三条"
    texts = ["An order.", "Interception requires a warrant from a judge.", japanese,
             "A person who accesses a computer system commits an offence.", "Data.", "A notice."]
    counts = [len(ids) for ids in encoder.tokenizer(texts, truncation=True, max_length=MAX_TOKENS)["input_ids"]]
    assert len(japanese) < len(texts[1]) and counts[2] > max(counts[1], counts[3])
    widths, forward = [], encoder.model.forward
    monkeypatch.setattr(encoder.model, "forward", lambda **batch: widths.append(batch["input_ids"].shape[1])
                        or forward(**batch))
    together = encoder.embed(texts, batch_size=2)
    assert widths == [sorted(counts, reverse=True)[i] for i in range(0, len(texts), 2)]  # longest first
    assert np.allclose(together, np.concatenate([encoder.embed([t]) for t in texts]), atol=1e-5)


def test_embedding_hands_freed_memory_back_as_it_goes(monkeypatch):
    # Every batch has its own padded shape: untrimmed, the freed blocks piled up by 0.7 GB while a training run
    # embedded the statutes (docs/performance.md).
    import clauseclf.assess.encoder as encoder_module

    trims = []
    monkeypatch.setattr(encoder_module, "release_free_memory", lambda: trims.append(1))
    encoder = SentenceEncoder.load("tiny-random")
    texts = [f"Clause {i} of a statute, {'with more words ' * (i % 7)}" for i in range(45)]
    encoder.embed(texts, batch_size=2)
    batches = -(-len(texts) // 2)
    assert len(trims) == -(-batches // encoder_module.TRIM_EVERY)
