from pathlib import Path

import pytest

from clauseclf.config import TrainConfig, load_train_config
from clauseclf.errors import ConfigError
from clauseclf.schema import LabelSchema

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


TRAIN_CONFIGS = sorted((CONFIGS / "train").glob("*.yaml"))


@pytest.mark.parametrize("path", TRAIN_CONFIGS, ids=lambda p: p.name)
def test_every_training_config_loads_and_validates(path):
    config = load_train_config(path)
    assert isinstance(config, TrainConfig)
    assert config.training.epochs > 0 or config.training.max_steps > 0
    assert config.data.labels_file == ""  # the packaged schema


def test_label_schema_yaml_has_the_four_labels():
    assert LabelSchema.from_yaml().names == [
        "core_cybercrime", "content_offence", "missing_intent", "overbroad"]


def test_every_yaml_in_configs_is_covered():
    # A YAML anywhere else under configs/ (or spelt .yml) would escape the validation test above.
    found = sorted(p for p in CONFIGS.rglob("*") if p.suffix in (".yaml", ".yml"))
    assert found == TRAIN_CONFIGS
    assert {"default.yaml", "tiny.yaml"} <= {p.name for p in TRAIN_CONFIGS}  # the glob found the shipped recipes


def test_overrides_are_parsed_as_yaml_values():
    config = load_train_config(CONFIGS / "train" / "tiny.yaml", ["training.epochs=3", "model.max_length=32"])
    assert config.training.epochs == 3.0 and config.model.max_length == 32
    # YAML 1.1 reads 1e-4 (no dot) as a string; a float field takes it as the number it says.
    assert load_train_config(CONFIGS / "train" / "tiny.yaml", ["training.learning_rate=1e-4"]).training.learning_rate == 1e-4


def test_every_problem_is_reported_at_once():
    with pytest.raises(ConfigError) as caught:
        load_train_config(CONFIGS / "train" / "tiny.yaml", ["training.epochz=3", "training.learning_rate=fast"])
    message = str(caught.value)
    assert "unknown key 'training.epochz'" in message
    assert "'training.learning_rate' must be float" in message


def test_fields_of_removed_levers_are_unknown_keys(tmp_path):
    old = tmp_path / "old.yaml"
    old.write_text("model:\n  pooling: mean\ntraining:\n  kind_head: [offence]\n  kind_loss_weight: 0.3\n"
                   "  intent_counterfactuals: true\n  unweighted_labels: [overbroad]\n")
    with pytest.raises(ConfigError) as caught:
        load_train_config(old)
    for key in ("model.pooling", "training.kind_head", "training.kind_loss_weight",
                "training.intent_counterfactuals", "training.unweighted_labels"):
        assert f"unknown key '{key}'" in str(caught.value)


def test_out_of_range_values_are_rejected(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("training:\n  learning_rate: 3\n  batch_size: 0\n")
    with pytest.raises(ConfigError, match="learning_rate"):
        load_train_config(bad)


def test_missing_config_file_says_what_to_pass(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_train_config(tmp_path / "nope.yaml")


@pytest.mark.parametrize("override, problem", [
    ("training.logging_steps=0", "'training.logging_steps' must be >= 1"),
    ("training.seed=-1", "'training.seed' must be in [0, 4294967295]"),
    ("training.epochs=.nan", "'training.epochs' must be a finite number, got nan"),
    ("training.learning_rate=.inf", "'training.learning_rate' must be a finite number, got inf"),
    ("training.warmup_ratio=5", "'training.warmup_ratio' must be in [0, 1)"),
    ("training.review_band=-1", "'training.review_band' must be >= 0"),
    ("training.max_positive_weight=-1", "'training.max_positive_weight' must be > 0"),
    ("model.tiny.hidden_size=33", "'model.tiny.hidden_size' (33) must be a multiple of 'model.tiny.num_attention_heads' (2)"),
    ("model.tiny.num_attention_heads=0", "'model.tiny.num_attention_heads' must be >= 1"),
    ("data.labels_file=no/such/labels.yaml", "'data.labels_file': no/such/labels.yaml not found"),
])
def test_values_that_would_fail_in_training_are_refused_at_load(override, problem):
    # Each of these trained to the end, or failed deep in transformers or numpy, before it was checked here.
    with pytest.raises(ConfigError) as caught:
        load_train_config(CONFIGS / "train" / "tiny.yaml", [override])
    assert problem in str(caught.value)
    assert len(caught.value.problems) == 1  # only the bad key


def test_every_range_problem_is_reported_at_once():
    with pytest.raises(ConfigError) as caught:
        load_train_config(CONFIGS / "train" / "tiny.yaml", ["training.warmup_ratio=5", "training.review_band=-1",
                                                            "training.logging_steps=0", "training.epochs=.nan"])
    assert len(caught.value.problems) == 4


def test_max_length_beyond_the_encoder_positions_is_refused_when_it_is_built(tmp_path):
    from transformers import BertConfig, BertModel, BertTokenizerFast

    from clauseclf.config import ModelConfig
    from clauseclf.model.base import load_base, packaged_model_path

    folder = tmp_path / "encoder"
    tokenizer = BertTokenizerFast(vocab_file=str(packaged_model_path("all-minilm-l6-v2") / "vocab.txt"))
    BertModel(BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=16, num_hidden_layers=1,
                                             num_attention_heads=2, intermediate_size=16,
                                             max_position_embeddings=64)).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    schema = LabelSchema.from_yaml()
    with pytest.raises(ConfigError) as caught:
        load_base(ModelConfig(base_model=str(folder), max_length=100), schema)
    assert "'model.max_length' is 100" in str(caught.value) and "64 positions" in str(caught.value)
    assert load_base(ModelConfig(base_model=str(folder), max_length=64), schema)[1].config.max_position_embeddings == 64


def test_a_missing_or_malformed_label_schema_is_one_config_error(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        LabelSchema.from_yaml(tmp_path / "nope.yaml")
    broken = tmp_path / "labels.yaml"
    broken.write_text("labels: [a\n")
    with pytest.raises(ConfigError, match="not valid YAML") as caught:
        LabelSchema.from_yaml(broken)
    assert "\n" not in str(caught.value)
