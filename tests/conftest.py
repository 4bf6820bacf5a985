"""Shared fixtures. Nothing here downloads: the hub is unreachable and must stay unused."""

from __future__ import annotations

import gc
import json
import os
import shutil
import time
from pathlib import Path

# Read at import time by datasets/transformers/huggingface_hub: set before any import.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# Fuzz profiles (tests/test_fuzz.py scales each property's example count by max_examples / 100). The default run
# tries a quarter of the examples; `--hypothesis-profile=thorough` all of them, `hunt` twenty times as many, fresh.
settings.register_profile("quick", max_examples=25, derandomize=True)
settings.register_profile("thorough", max_examples=100, derandomize=True)
settings.register_profile("hunt", max_examples=2000, derandomize=False)
settings.load_profile("quick")  # pytest's --hypothesis-profile, read after this file, chooses another

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS = REPO_ROOT / "data" / "corpus" / "clauses.jsonl"
EXTENSION = REPO_ROOT / "data" / "corpus" / "extension.jsonl"  # clauses that only train (data.extra_train)
SECOND_ANNOTATION = REPO_ROOT / "data" / "corpus" / "second_annotation.jsonl"
PAGES = REPO_ROOT / "data" / "corpus" / "pages.jsonl"  # clauses read on stored public web pages, annotated
# Clauses imported from public legislation collections and annotated (data/corpus/statutes/README.md).
STATUTES = sorted((REPO_ROOT / "data" / "corpus" / "statutes").glob("*.jsonl")) + sorted(
    (REPO_ROOT / "data" / "corpus" / "statutes" / "held_out").glob("*.jsonl"))  # jurisdictions never trained on
STATUTES_SECOND = REPO_ROOT / "data" / "corpus" / "statutes" / "second_reading"
TINY_CONFIG = REPO_ROOT / "configs" / "train" / "tiny.yaml"


def pytest_collection_finish(session):
    """Put what collection imported (torch, transformers, every test module) beyond the garbage collector's
    reach. Each training ends in gc.collect(), which otherwise walks that whole heap: over tests/train,
    tests/evaluate and tests/cli, 16 collections take 0.4 s of CPU instead of 5.1 s."""
    gc.freeze()


@pytest.fixture(scope="session")
def corpus_records() -> list[dict]:
    return read_records(CORPUS)


def read_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """A tiny random BERT trained 4 steps by the real training code (about 2 s)."""
    from clauseclf.config import load_train_config
    from clauseclf.train import train

    output = tmp_path_factory.mktemp("models") / "tiny"
    train(load_train_config(TINY_CONFIG), output)
    return output


@pytest.fixture
def model_copy(tiny_model_dir, tmp_path) -> Path:
    """A private copy of the tiny model folder, for tests that break it."""
    target = tmp_path / "model"
    shutil.copytree(tiny_model_dir, target)
    return target


def interrupted_run(output, monkeypatch, overrides=()):
    """A tiny run stopped by Ctrl-C at its third step: checkpoints/checkpoint-2 is left (saves every 2 of 4 steps)."""
    from clauseclf import train
    from clauseclf.config import load_train_config

    config = load_train_config(TINY_CONFIG, ["training.max_steps=4", *overrides])
    steps = {"count": 0}
    original_step = train.WeightedBCETrainer.training_step

    def crash_at_the_third_step(self, *args, **kwargs):
        steps["count"] += 1
        if steps["count"] == 3:
            raise KeyboardInterrupt
        return original_step(self, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(train.WeightedBCETrainer, "training_step", crash_at_the_third_step)
        with pytest.raises(KeyboardInterrupt):
            train.train(config, output)
    assert (output / "checkpoints" / "checkpoint-2" / "trainer_state.json").is_file()
    return config


def record_resumes(monkeypatch) -> list:
    """The checkpoint each later train() resumes from (None: a fresh start), in order."""
    from clauseclf import train

    resumed_from = []
    real = train.checkpoint_to_resume
    monkeypatch.setattr(train, "checkpoint_to_resume", lambda *args: resumed_from.append(real(*args)) or resumed_from[-1])
    return resumed_from


def cpu_seconds(function, *args, repeats: int = 3) -> float:
    """The least CPU time of `repeats` calls: this process's own time, so a busy machine skews it little. The
    garbage collector is held off meanwhile: its passes grow with what the process holds, not with the input."""
    best = float("inf")
    collecting = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            started = time.process_time()
            function(*args)
            best = min(best, time.process_time() - started)
    finally:
        if collecting:
            gc.enable()
    return max(best, 1e-6)


def growth(function, small, large, repeats: int = 3) -> float:
    """How many times longer `function(large)` takes than `function(small)`: about 2 for a linear
    function of an input twice as large, 4 for a quadratic one."""
    return cpu_seconds(function, large, repeats=repeats) / cpu_seconds(function, small, repeats=repeats)
