"""The clause facts a bill-level assessment reads: each clause's `kind`, and for powers, cooperation
and their safeguards the `power` and the `safeguards` facts of ANNOTATION.md.

    model = fit_facts(records, SentenceEncoder.load("packaged:all-minilm-l6-v2"))  # e.g. data/corpus/statutes/*.jsonl
    model.save(folder); model = FactsModel.load(folder)
    facts = model.predict(["A police officer may, with a warrant issued by a judge, ..."])

One logistic regression per fact over the clause's frozen sentence embedding (assess/encoder.py:
the packaged all-MiniLM-L6-v2, mean-pooled, clauses cut at 128 tokens), which `clauseclf train`
fits into every model folder it writes. On five held-out jurisdictions these read `kind`,
`power` and most safeguard facts better than TF-IDF word n-grams did, because an embedding
carries a clause's meaning to wordings and languages its training clauses never used
(docs/assessment.md, "Two approaches").

Each fact's model is trained on the clauses annotated with that fact (`kind` on all
clauses; `power` and the safeguards on those of kind procedural_power, cooperation or
safeguard). It is stored as plain numbers: `facts.json` (the encoder, how it pools, the
classes) and `facts.safetensors` (the weights), never a pickle. The encoder itself is not
copied: facts.json names it, and loading finds it as training did.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from clauseclf.assess.encoder import POOLING, SentenceEncoder
from clauseclf.errors import ClauseclfError, ModelFolderError
from clauseclf.schema import KINDS, POWERS, SAFEGUARD_FACTS

logger = logging.getLogger(__name__)

FACTS_JSON = "facts.json"
FACTS_WEIGHTS = "facts.safetensors"
FORMAT = 2  # 1: TF-IDF features, whose vocabulary and idf the folder held
# Inverse regularisation strength and class weighting, set once and not tuned on the held-out jurisdictions.
# Balanced weights lift the rare `stated` values (5-25% of the clauses that annotate a fact).
C = 4.0
CLASS_WEIGHT = "balanced"
# lbfgs's iteration cap, as in the comparison that chose these features (docs/assessment.md, "Two approaches").
MAX_ITERATIONS = 2000
FACT_NAMES = ("kind", "power", *SAFEGUARD_FACTS)
"""Every fact the model predicts, in the order the outputs and the evaluation list them."""
MIN_EXAMPLES = 2  # a fact with fewer annotated clauses, or a single value, has no model (predicted: None)
RETRAIN = "retrain it with `clauseclf train configs/train/default.yaml`, which fits the clause facts too"


@dataclass
class ClauseFacts:
    """What the model reads in one clause: its kind, and the power and safeguards it states."""

    kind: str
    power: str | None
    safeguards: dict[str, str] = field(default_factory=dict)
    """fact -> value (stated, not_stated, after_the_fact) for every safeguard fact the model knows."""
    confidence: dict[str, float] = field(default_factory=dict)
    """fact -> the probability of the predicted value."""

    def states(self, fact: str) -> bool:
        return self.safeguards.get(fact) == "stated"


@dataclass
class Head:
    """One fact's logistic regression: a row of weights per class (one row for two classes)."""

    classes: list[str]
    weights: np.ndarray  # (rows, features)
    bias: np.ndarray  # (rows,)
    examples: int

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        logits = features @ self.weights.T + self.bias
        if len(self.classes) == 2:  # scikit-learn's binary model: one row, for classes[1]
            positive = 1.0 / (1.0 + np.exp(-logits[:, 0]))
            return np.stack([1.0 - positive, positive], axis=1)
        logits = logits - logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)


@dataclass
class FactsModel:
    encoder: SentenceEncoder
    heads: dict[str, Head]
    trained_on: int = 0

    def predict(self, texts: list[str]) -> list[ClauseFacts]:
        """The facts of each clause, in the order given: one encoder pass over all of them."""
        if not texts:
            return []
        features = self.encoder.embed(texts)
        values: dict[str, list[tuple[str, float]]] = {}
        for name, head in self.heads.items():
            probabilities = head.probabilities(features)
            best = probabilities.argmax(axis=1)
            values[name] = [(head.classes[b], float(p[b])) for b, p in zip(best, probabilities)]
        kinds = values.get("kind") or [("other", 0.0)] * len(texts)  # a fact without a model: its default
        powers = values.get("power") or [(None, 0.0)] * len(texts)
        return [ClauseFacts(kind=kinds[i][0], power=powers[i][0],
                            safeguards={name: values[name][i][0] for name in SAFEGUARD_FACTS if name in values},
                            confidence={name: round(values[name][i][1], 4) for name in values})
                for i in range(len(texts))]

    def save(self, folder: str | Path) -> None:
        from safetensors.numpy import save_file

        from clauseclf.outputs import atomic_write_text

        folder = Path(folder)
        # C order: scikit-learn's coef_ may be Fortran-ordered, and safetensors writes the buffer as it lies.
        tensors = {}
        for name, head in self.heads.items():
            tensors[f"{name}.weights"] = np.ascontiguousarray(head.weights, dtype=np.float32)
            tensors[f"{name}.bias"] = np.ascontiguousarray(head.bias, dtype=np.float32)
        save_file(tensors, str(folder / FACTS_WEIGHTS))
        meta = {"format": FORMAT, "encoder": self.encoder.describe(), "trained_on": self.trained_on,
                "heads": {name: {"classes": head.classes, "examples": head.examples} for name, head in self.heads.items()}}
        atomic_write_text(folder / FACTS_JSON, json.dumps(meta, indent=1, ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, folder: str | Path, device: str | torch.device = "cpu",
             loaded_encoder: SentenceEncoder | None = None) -> "FactsModel":
        """The folder's facts model, its encoder loaded once onto `device` (or `loaded_encoder`, where it is the one
        facts.json names: the combiner's, when labelling); refused, with what to do, when the files are missing,
        unreadable or of an older format."""
        from safetensors import SafetensorError
        from safetensors.numpy import load_file

        folder = Path(folder)
        if not (folder / FACTS_JSON).is_file() or not (folder / FACTS_WEIGHTS).is_file():
            raise ModelFolderError(f"{folder}: has no clause-facts model ({FACTS_JSON}, {FACTS_WEIGHTS}), which "
                                   f"assessing a bill needs; {RETRAIN}")
        try:
            meta = json.loads((folder / FACTS_JSON).read_text(encoding="utf-8"))
            tensors = load_file(str(folder / FACTS_WEIGHTS))
        except (OSError, ValueError, SafetensorError) as error:
            raise ModelFolderError(f"{folder}: unreadable clause-facts model ({error}); {RETRAIN}") from None
        _check_format(folder / FACTS_JSON, meta)
        heads = {name: Head(list(info["classes"]), tensors[f"{name}.weights"], tensors[f"{name}.bias"],
                            int(info.get("examples", 0)))
                 for name, info in meta["heads"].items()}
        described = meta["encoder"]
        if loaded_encoder is not None and loaded_encoder.describe() == described:
            return cls(loaded_encoder, heads, int(meta.get("trained_on", 0)))
        try:
            encoder = SentenceEncoder.load(described["name"], int(described["max_tokens"]),
                                           setting=f"{folder / FACTS_JSON}: encoder")
        except ClauseclfError as error:
            raise ModelFolderError(f"{error}; the clause-facts model reads that encoder's embeddings") from None
        if encoder.dimensions != int(described["dimensions"]):
            raise ModelFolderError(f"{folder / FACTS_JSON}: encoder '{described['name']}' gives {encoder.dimensions} "
                                   f"numbers a clause, the model was fitted on {described['dimensions']} (the encoder "
                                   f"there is not the one it was trained with); {RETRAIN}")
        return cls(encoder.to(device), heads, int(meta.get("trained_on", 0)))


def facts_for_labelling(folder: str | Path, device: str | torch.device = "cpu",
                        loaded_encoder: SentenceEncoder | None = None) -> FactsModel | None:
    """The folder's facts model for `clauseclf label`, which can do without: None where the folder has none, and
    a warning where it has one this version cannot read. `loaded_encoder`: one already loaded, to share."""
    if not (Path(folder) / FACTS_JSON).is_file():
        return None
    try:
        return FactsModel.load(folder, device, loaded_encoder)
    except ModelFolderError as error:
        logger.warning("%s. Until then the predictions carry no clause facts, and the asks an overbroad clause "
                       "engages are read from its words", error)
        return None


def _check_format(path: Path, meta: object) -> None:
    version = meta.get("format") if isinstance(meta, dict) else None
    if version == FORMAT:
        encoder = meta.get("encoder")
        if (isinstance(encoder, dict) and encoder.keys() >= {"name", "max_tokens", "dimensions"}
                and encoder.get("pooling") == POOLING and isinstance(meta.get("heads"), dict)):
            return
        raise ModelFolderError(f"{path}: not a clause-facts model clauseclf wrote (no encoder with {POOLING} "
                               f"pooling, or no heads); {RETRAIN}")
    if isinstance(version, int) and version < FORMAT:
        raise ModelFolderError(f"{path}: a clause-facts model of format {version}, over TF-IDF word features; "
                               f"this clauseclf reads sentence embeddings (format {FORMAT}): {RETRAIN}")
    raise ModelFolderError(f"{path}: format {version!r}, written by another clauseclf version (this one reads "
                           f"format {FORMAT}); {RETRAIN}")


def fact_targets(records: list[dict]) -> dict[str, list[str | None]]:
    """fact -> each record's annotated value (None where the record does not annotate it)."""
    targets: dict[str, list[str | None]] = {"kind": [r.get("kind") if r.get("kind") in KINDS else None
                                                     for r in records]}
    safeguards = [r.get("safeguards") if isinstance(r.get("safeguards"), dict) else {} for r in records]
    targets["power"] = [s.get("power") if s.get("power") in POWERS else None for s in safeguards]
    for fact, values in SAFEGUARD_FACTS.items():
        targets[fact] = [s.get(fact) if s.get(fact) in values else None for s in safeguards]
    return targets


def fit_facts(records: list[dict], encoder: SentenceEncoder, seed: int = 0,
              on_progress: Callable[[int], object] | None = None,
              embed: Callable[[list[str]], np.ndarray] | None = None) -> FactsModel:
    """One logistic regression per fact, each on the records that annotate it, over one encoder pass of them
    all (`on_progress(n)` after each batch of n clauses), or over `embed`'s vectors (training's table of
    embeddings, made by the same encoder)."""
    from sklearn.linear_model import LogisticRegression

    texts = [r["text"] for r in records]
    features = embed(texts) if embed is not None else encoder.embed(texts, on_progress=on_progress)
    heads = {}
    for name, values in fact_targets(records).items():
        rows = [i for i, value in enumerate(values) if value is not None]
        classes = sorted({values[i] for i in rows})
        if len(rows) < MIN_EXAMPLES or len(classes) < 2:
            logger.warning("clause facts: '%s' is annotated on %d clause(s) with %d value(s): no model for it",
                           name, len(rows), len(classes))
            continue
        model = LogisticRegression(C=C, class_weight=CLASS_WEIGHT, max_iter=MAX_ITERATIONS, random_state=seed)
        model.fit(features[rows], [values[i] for i in rows])
        heads[name] = Head([str(c) for c in model.classes_], model.coef_.astype(np.float32),
                           model.intercept_.astype(np.float32), len(rows))
    return FactsModel(encoder, heads, trained_on=len(records))


def load_facts_corpus(paths: list[str]) -> list[dict]:
    """The annotated clauses of `data.facts_corpus` (paths or glob patterns), checked as any corpus is."""
    from clauseclf import corpus
    from clauseclf.errors import ConfigError, InputError
    from clauseclf.schema import LabelSchema

    what_to_give = "(give annotated corpora such as data/corpus/statutes/*.jsonl, or [] for no clause-facts model)"
    try:
        files = corpus.expand_paths(paths, setting="data.facts_corpus")
    except InputError as error:
        raise ConfigError("data.facts_corpus", [f"{error} {what_to_give}"]) from None
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        raise ConfigError("data.facts_corpus", [f"{', '.join(missing)}: not found {what_to_give}"])
    schema = LabelSchema.from_yaml()
    return [record for path in files for record in corpus.load_corpus(path, schema)]
