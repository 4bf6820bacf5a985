"""Local `evaluate` metric modules: `evaluate.load("f1")` fetches its script from the hub, which is unreachable."""

from pathlib import Path

import evaluate

METRICS_DIR = Path(__file__).resolve().parent


def load_metric(name: str) -> evaluate.EvaluationModule:
    """Load one of this folder's metric modules by absolute path (works with HF_HUB_OFFLINE=1)."""
    return evaluate.load(str(METRICS_DIR / name))
