"""Local `evaluate` metric modules: `evaluate.load("f1")` fetches its script from the hub, which is unreachable."""

from pathlib import Path

METRICS_DIR = Path(__file__).resolve().parent


def load_metric(name: str):
    """Load one of this folder's metric modules (an `evaluate.EvaluationModule`) by absolute path.

    Works with HF_HUB_OFFLINE=1. `evaluate` is imported here, not at module level: it
    pulls in transformers' pipelines, about 8 s that `clauseclf --help` should not pay.
    """
    import evaluate

    return evaluate.load(str(METRICS_DIR / name))
