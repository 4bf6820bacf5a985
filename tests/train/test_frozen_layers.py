"""training.frozen_layers: the top layers over cached bottom states compute what the whole classifier computes,
only they learn, and a count the encoder cannot take is refused before any work."""

import weakref

import pytest
import torch
from transformers import DataCollatorWithPadding, MPNetConfig, MPNetForSequenceClassification, set_seed

from clauseclf import train
from clauseclf.config import load_train_config
from clauseclf.errors import ConfigError
from clauseclf.model import base
from clauseclf.model.folder import load_model_folder
from clauseclf.model.frozen_layers import CLAUSE_INDEX, TopLayers, bottom_states, check_frozen_layers, computing_order
from clauseclf.schema import LabelSchema

from conftest import TINY_CONFIG, interrupted_run, record_resumes

TEXTS = ["A person who intentionally accesses a computer system without right commits an offence.",
         "The Minister may by order require a service provider to retain traffic data.",
         "In this Act, 'computer data' means any representation of facts.",
         "Whoever publishes false news likely to cause alarm shall be liable on conviction to a fine."]


def tiny_bert():
    config = load_train_config(TINY_CONFIG)
    set_seed(3)
    return base.load_base(config.model, LabelSchema.from_yaml(""))


def tiny_mpnet(tokenizer):
    set_seed(3)
    config = MPNetConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=3, num_attention_heads=2,
                         intermediate_size=37, num_labels=4, problem_type="multi_label_classification")
    return MPNetForSequenceClassification(config)


@pytest.mark.parametrize("kind", ["bert", "mpnet"])
def test_top_layers_over_cached_states_give_the_whole_classifiers_logits(kind):
    tokenizer, model = tiny_bert()
    if kind == "mpnet":
        model = tiny_mpnet(tokenizer)
    data = train._dataset([{"text": t} for t in TEXTS], torch.zeros((4, 4)).numpy(), tokenizer, 64)
    data = data.add_column(CLAUSE_INDEX, list(range(len(data))))
    top = TopLayers(model, 1, bottom_states(model, tokenizer, data, frozen=1, bf16=False)).eval()
    batch = DataCollatorWithPadding(tokenizer)([data[i] for i in (2, 0, 3)])  # padded to the longest of three
    with torch.no_grad():
        whole = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
        cached = top(batch["input_ids"], batch["attention_mask"], batch[CLAUSE_INDEX]).logits
    torch.testing.assert_close(cached, whole, atol=1e-5, rtol=1e-4)


def test_only_the_layers_above_the_frozen_ones_learn(tmp_path):
    config = load_train_config(TINY_CONFIG, ["training.frozen_layers=1", "training.max_steps=2",
                                             "data.facts_corpus=[]"])
    train.train(config, tmp_path / "model")
    # The folder holds a whole classifier, which loads as any other.
    saved = load_model_folder(tmp_path / "model").model.state_dict()
    set_seed(config.training.seed)  # train() draws the random tiny encoder right after seeding
    _, fresh = base.load_base(config.model, LabelSchema.from_yaml(""))
    before = fresh.state_dict()
    unchanged = {name for name in before if torch.equal(before[name], saved[name])}
    assert all(name in unchanged for name in before if name.startswith(("bert.embeddings", "bert.encoder.layer.0.")))
    assert not any(name in unchanged for name in before
                   if name.startswith(("bert.encoder.layer.1.", "classifier.")) and name.endswith("weight"))


def test_a_count_that_leaves_no_layer_to_train_is_refused():
    _, model = tiny_bert()
    with pytest.raises(ConfigError, match="the encoder has 2 layers .set it between 1 and 1"):
        check_frozen_layers(model, 2)
    with pytest.raises(ConfigError, match="must be >= 0"):
        load_train_config(TINY_CONFIG, ["training.frozen_layers=-1"])


def test_the_cache_is_computed_longest_clause_first():
    # Shortest first, the process peaked 1.6x higher for the same states (scripts/bench_training_memory.py).
    assert computing_order([3, 9, 1, 9, 5]) == [1, 3, 4, 0, 2]


def test_an_interrupted_run_with_frozen_layers_resumes_from_its_checkpoint(tmp_path, monkeypatch):
    config = interrupted_run(tmp_path / "model", monkeypatch, ["training.frozen_layers=1", "data.facts_corpus=[]"])
    resumed_from = record_resumes(monkeypatch)
    train.train(config, tmp_path / "model")
    assert resumed_from[0].endswith("checkpoint-2")
    assert load_model_folder(tmp_path / "model").model.config.num_hidden_layers == 2


def test_the_cached_states_are_let_go_before_the_clauses_are_embedded(tmp_path, monkeypatch):
    # They and the optimiser's moments held 1.3 GiB through calibration and embedding, where the peak fell.
    made, alive_when_embedding = [], []

    class Watched(TopLayers):
        def __init__(self, *args):
            super().__init__(*args)
            made.append(weakref.ref(self))

    embed = train.embed_annotated
    monkeypatch.setattr(train, "TopLayers", Watched)
    monkeypatch.setattr(train, "embed_annotated", lambda *a: alive_when_embedding.append(made[0]() is not None)
                        or embed(*a))
    train.train(load_train_config(TINY_CONFIG, ["training.frozen_layers=1", "training.max_steps=2"]),
                tmp_path / "model")
    assert alive_when_embedding == [False]
