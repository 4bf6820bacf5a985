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
