"""The clause `kind` as a second task of the transformer (multi-task), for the combiner to read.

Whether a clause creates an offence decides `missing_intent` (an offence with no
mental element), and whether it grants an investigative power decides much of
`overbroad`. With the *annotated* kind as a feature, the combiner scored 0.762
macro-F1 against 0.708 on the same folds (docs/quality.md row 19). A new bill's
clauses carry no kind, so the transformer learns it beside the labels: one sigmoid
output per kind listed in `training.kind_head`, named `kind:<kind>` in config.json,
after the label outputs. Thresholds, predictions and reports never see these outputs.
"""

from __future__ import annotations

import numpy as np

from clauseclf.errors import ConfigError

KIND_OUTPUT_PREFIX = "kind:"


def output_names(kinds: list[str]) -> list[str]:
    """The model outputs for these kinds: ['kind:offence', ...]."""
    return [KIND_OUTPUT_PREFIX + kind for kind in kinds]


def is_kind_output(name: str) -> bool:
    return name.startswith(KIND_OUTPUT_PREFIX)


def kind_matrix(records: list[dict], kinds: list[str]) -> np.ndarray:
    """0/1, one row per record, one column per kind: the training targets of the kind outputs.

    >>> kind_matrix([{"kind": "offence"}, {"kind": "definition"}], ["offence", "procedural_power"]).tolist()
    [[1, 0], [0, 0]]
    """
    unannotated = [str(r.get("id", i)) for i, r in enumerate(records) if not r.get("kind")]
    if kinds and unannotated:
        raise ConfigError("training.kind_head", [
            f"needs every training clause's `kind`, and {len(unannotated)} have none (first: "
            f"{', '.join(unannotated[:5])}): annotate them, or set training.kind_head: []"])
    return np.array([[r.get("kind") == kind for kind in kinds] for r in records],
                    dtype=np.int32).reshape(len(records), len(kinds))
