"""train(): resumes only its own checkpoints, survives a torn one, and replaces the model folder whole."""

import json
import shutil

import pytest
import torch
from typer.testing import CliRunner

from clauseclf import memory, train
from clauseclf.cli import app
from clauseclf.config import load_train_config
from clauseclf.errors import OutputError, StaleCheckpointsError
from clauseclf.model.folder import load_model_folder

from conftest import TINY_CONFIG, interrupted_run, record_resumes

runner = CliRunner()


def test_checkpoints_of_another_config_are_refused_then_discarded_with_force(tmp_path, monkeypatch):
    model = tmp_path / "model"
    interrupted_run(model, monkeypatch, ["training.learning_rate=0.01"])
    result = runner.invoke(app, ["train", str(TINY_CONFIG), "--output", str(model), "--set", "training.max_steps=4"])
    assert result.exit_code == 2, result.output
    assert "checkpoints of an interrupted run of another configuration (training.learning_rate differ)" in result.output
    assert f"clauseclf train {TINY_CONFIG} --output {model} --set training.max_steps=4 --force" in result.output
    assert "Traceback" not in result.output
    assert (model / "checkpoints" / "checkpoint-2").is_dir()

    resumed_from = record_resumes(monkeypatch)
    result = runner.invoke(app, ["train", str(TINY_CONFIG), "--output", str(model), "--set", "training.max_steps=4",
                                 "--force"])
    assert result.exit_code == 0, result.output
    assert resumed_from == [None]
    assert (model / "model.safetensors").is_file() and not (model / "checkpoints").exists()


def test_a_setting_fitted_after_the_fine_tune_does_not_discard_its_checkpoints(tmp_path, monkeypatch):
    model = tmp_path / "model"
    interrupted_run(model, monkeypatch)
    resumed_from = record_resumes(monkeypatch)
    result = runner.invoke(app, ["train", str(TINY_CONFIG), "--output", str(model), "--set", "training.max_steps=4",
                                 "--set", "training.review_band=0.2", "--set", "training.combiner=false"])
    assert result.exit_code == 0, result.output
    assert resumed_from[0].endswith("checkpoint-2")


def test_checkpoints_of_other_training_data_are_refused(tmp_path, monkeypatch, corpus_records):
    model = tmp_path / "model"
    config = interrupted_run(model, monkeypatch)
    train_records, dev, test = corpus_records[:60], corpus_records[60:90], corpus_records[90:120]
    with pytest.raises(StaleCheckpointsError, match="of other training data"):
        train.train(config, model, splits={"train": train_records, "dev": dev, "test": test})


def test_a_torn_checkpoint_is_skipped_for_the_one_before(tmp_path, monkeypatch, caplog):
    model = tmp_path / "model"
    config = interrupted_run(model, monkeypatch)
    checkpoints = model / "checkpoints"
    # Killed while saving step 3: the weights and part of the optimizer written, no trainer state yet.
    shutil.copytree(checkpoints / "checkpoint-2", checkpoints / "checkpoint-3")
    (checkpoints / "checkpoint-3" / "trainer_state.json").unlink()
    optimizer = checkpoints / "checkpoint-3" / "optimizer.pt"
    optimizer.write_bytes(optimizer.read_bytes()[: optimizer.stat().st_size // 2])
    resumed_from = record_resumes(monkeypatch)
    with caplog.at_level("WARNING"):
        train.train(config, model)
    assert resumed_from[0].endswith("checkpoint-2")
    assert "checkpoint-3: incomplete (trainer_state.json missing or unreadable)" in caplog.text
    assert (model / "model.safetensors").is_file()


def test_a_lone_torn_checkpoint_means_training_from_scratch(tmp_path, monkeypatch, caplog):
    model = tmp_path / "model"
    config = interrupted_run(model, monkeypatch)
    weights = model / "checkpoints" / "checkpoint-2" / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])
    resumed_from = record_resumes(monkeypatch)
    with caplog.at_level("WARNING"):
        train.train(config, model)
    assert resumed_from == [None]
    assert "model.safetensors missing or unreadable" in caplog.text
    assert (model / "model.safetensors").is_file()


def test_retraining_leaves_no_file_of_the_earlier_model(tmp_path):
    model = tmp_path / "model"
    train.train(load_train_config(TINY_CONFIG, ["training.combiner=true"]), model)
    assert (model / "combiner.json").is_file()
    (model / "checkpoints").mkdir()
    (model / "checkpoints" / "leftover.txt").write_text("x")
    result = runner.invoke(app, ["train", str(TINY_CONFIG), "--output", str(model), "--force"])
    assert result.exit_code == 0, result.output
    assert not (model / "combiner.json").exists() and not (model / "checkpoints").exists()
    assert load_model_folder(model).combiner is None
    assert [p.name for p in tmp_path.iterdir()] == ["model"]  # no staging or old folder left beside it


def test_unless_current_keeps_a_model_of_the_same_recipe_and_retrains_one_of_another(tmp_path):
    model = tmp_path / "model"
    command = ["train", str(TINY_CONFIG), "--output", str(model), "--set", "training.max_steps=2", "--force",
               "--unless-current"]
    assert runner.invoke(app, command).exit_code == 0
    weights = (model / "model.safetensors").stat().st_mtime_ns
    kept = runner.invoke(app, command)
    assert kept.exit_code == 0 and "nothing to do" in kept.output
    assert (model / "model.safetensors").stat().st_mtime_ns == weights

    # a setting fitted after the fine-tune still makes another model: retrained
    retrained = runner.invoke(app, [*command, "--set", "training.review_band=0.2"])
    assert retrained.exit_code == 0 and "nothing to do" not in retrained.output
    assert json.loads((model / "thresholds.json").read_text())["review_band"] == 0.2


def test_a_folder_of_other_files_is_not_replaced(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("precious")
    with pytest.raises(OutputError, match="notes.txt"):
        train.train(load_train_config(TINY_CONFIG), folder)
    result = runner.invoke(app, ["train", str(TINY_CONFIG), "--output", str(folder), "--force"])
    assert result.exit_code == 2 and "not a clauseclf model (notes.txt)" in result.output
    assert (folder / "notes.txt").read_text() == "precious"


def record_dtypes(monkeypatch) -> tuple[list, list]:
    """(dtype of the encoder's first linear layer's output, dtype of the loss) at every training step."""
    encoder_outputs, losses = [], []
    original_loss = train.WeightedBCETrainer.compute_loss

    def recording(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        first_linear = next(m for m in model.modules() if isinstance(m, torch.nn.Linear))
        hook = first_linear.register_forward_hook(lambda module, args, output: encoder_outputs.append(output.dtype))
        try:
            loss, outputs = original_loss(self, model, inputs, True, num_items_in_batch)
        finally:
            hook.remove()
        losses.append(loss.dtype)
        return (loss, outputs) if return_outputs else loss

    monkeypatch.setattr(train.WeightedBCETrainer, "compute_loss", recording)
    return encoder_outputs, losses


@pytest.mark.parametrize("bf16", [False, True])
def test_bf16_runs_the_encoder_in_bf16_and_keeps_the_loss_and_weights_fp32(tmp_path, monkeypatch, bf16):
    monkeypatch.setattr(train, "bf16_runs_natively", lambda: True)
    encoder_outputs, losses = record_dtypes(monkeypatch)
    config = load_train_config(TINY_CONFIG, ["training.max_steps=2", f"training.bf16={str(bf16).lower()}"])
    train.train(config, tmp_path / "model")
    assert set(encoder_outputs) == {torch.bfloat16 if bf16 else torch.float32}
    assert set(losses) == {torch.float32}
    loaded = load_model_folder(tmp_path / "model")
    assert {p.dtype for p in loaded.model.parameters()} == {torch.float32}


def test_bf16_falls_back_to_fp32_with_a_warning_where_the_cpu_would_emulate_it(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(train, "bf16_runs_natively", lambda: False)
    encoder_outputs, _ = record_dtypes(monkeypatch)
    train.train(load_train_config(TINY_CONFIG, ["training.max_steps=2", "training.bf16=true"]), tmp_path / "model")
    assert set(encoder_outputs) == {torch.float32}
    assert "no bf16 instructions" in caplog.text and "training in fp32" in caplog.text


def test_the_fp32_warning_comes_before_the_frozen_layers_are_computed(tmp_path, monkeypatch, caplog):
    # On a CPU without bf16 instructions that first pass took 18 minutes of the default's 52: a warning after it
    # comes too late to choose another machine.
    monkeypatch.setattr(train, "bf16_runs_natively", lambda: False)
    warned_before = []
    bottom_states = train.bottom_states
    monkeypatch.setattr(train, "bottom_states", lambda *args, **kwargs: warned_before.append(
        "no bf16 instructions" in caplog.text) or bottom_states(*args, **kwargs))
    config = load_train_config(TINY_CONFIG, ["training.max_steps=2", "training.bf16=true", "training.frozen_layers=1"])
    train.train(config, tmp_path / "model")
    assert warned_before == [True]


def test_training_hands_freed_memory_back_every_ten_steps(tmp_path, monkeypatch):
    # Each batch has its own shape: without the trim, resident memory grew with every step
    # (scripts/bench_training_memory.py).
    steps = []
    monkeypatch.setattr(memory, "release_free_memory", lambda: steps.append(1))
    train.train(load_train_config(TINY_CONFIG, ["training.max_steps=20"]), tmp_path / "model")
    assert len(steps) == 2
