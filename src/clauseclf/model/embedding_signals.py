"""Signals from what a clause means, learnt from thousands of annotated statutes: one more input of the combiner.

    pool = EmbeddingPool(EmbeddingTable(SentenceEncoder.load("packaged:all-minilm-l6-v2")), statute_records)
    signals_, train_scores = fit_embedding_signals(pool, train_records, names)
    signals_.scores(["A person who accesses a computer without authority commits an offence."])  # (1, labels)

One logistic regression per label over the clause's frozen sentence embedding (the encoder of the
clause facts, assess/encoder.py), fitted on the annotated statutes (`data.facts_corpus`) and the
train split. The fine-tune learns from the seed corpus alone: trained on the statutes too, it loses
on the seed corpus's own jurisdictions (docs/quality.md, "The 4-fold yardstick says no"). Read
through a frozen embedding and weighed by the combiner's signal model, which is fitted on the train
split, the statutes add to both yardsticks instead (docs/quality.md, row 55).

The train split's own scores are cross-fitted by jurisdiction (each scored by heads fitted without
its jurisdiction; the statutes stay in every fit), so the signal model learns how far the heads can
be trusted on a law they never saw, as on dev, test and a new bill.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from clauseclf import corpus
from clauseclf.assess.encoder import SentenceEncoder
from clauseclf.evaluate.scoring import label_matrix

PREFIX = "embedding_"  # the combiner's name for the feature of a label: embedding_overbroad
# Mild L2, unweighted classes: the heads give the signal model probabilities, and it weighs them.
C = 1.0
MAX_ITERATIONS = 2000
CROSS_FIT_FOLDS = 5


@dataclass
class EmbeddingTable:
    """Sentence embeddings of texts, each text embedded once while the table is kept (a training run,
    a cross-validation); `remember=False` embeds every call afresh (labelling: no growing cache)."""

    encoder: SentenceEncoder
    remember: bool = True
    rows: dict[str, np.ndarray] = field(default_factory=dict)

    def __call__(self, texts: list[str], on_progress: Callable[[int], object] | None = None) -> np.ndarray:
        if not self.remember:
            return self.encoder.embed(texts, on_progress=on_progress)
        missing = [t for t in dict.fromkeys(texts) if t not in self.rows]
        if missing:
            self.rows.update(zip(missing, self.encoder.embed(missing, on_progress=on_progress)))
        if not texts:
            return np.zeros((0, self.encoder.dimensions), dtype=np.float32)
        return np.stack([self.rows[t] for t in texts])

    def fill(self, texts: list[str], description: str) -> "EmbeddingTable":
        """Embed `texts` ahead (each once), with a progress bar once it has run 3 s."""
        from tqdm import tqdm

        unique = list(dict.fromkeys(texts))
        with tqdm(total=len(unique), desc=f"{description}: embedding", unit="clause", delay=3) as bar:
            self(unique, on_progress=bar.update)
        return self


@dataclass
class EmbeddingPool:
    """The annotated clauses the heads learn from beside the train split, and the table that embeds them."""

    table: EmbeddingTable
    records: list[dict]


@dataclass
class EmbeddingSignals:
    embed: EmbeddingTable
    labels: list[str]
    weights: np.ndarray  # (labels, dimensions)
    bias: np.ndarray  # (labels,)
    trained_on: int

    @property
    def feature_names(self) -> list[str]:
        return [PREFIX + name for name in self.labels]

    def to(self, device) -> "EmbeddingSignals":
        self.embed.encoder.to(device)
        return self

    def scores(self, texts: list[str]) -> np.ndarray:
        """P(label) per text and label, from the text's embedding alone."""
        return _sigmoid(self.embed(texts).astype(np.float64) @ self.weights.T + self.bias)

    def to_json(self) -> dict:
        return {"encoder": self.embed.encoder.describe(), "labels": self.labels, "trained_on": self.trained_on,
                "coef": [[round(float(w), 6) for w in row] for row in self.weights],
                "intercept": [round(float(b), 6) for b in self.bias]}

    @classmethod
    def from_json(cls, data: dict, setting: str) -> "EmbeddingSignals":
        """`setting` names where `data` was read, for an error about its encoder."""
        described = data["encoder"]
        encoder = SentenceEncoder.load(described["name"], int(described["max_tokens"]), setting=setting)
        weights = np.array(data["coef"], dtype=np.float64)
        if weights.shape != (len(data["labels"]), encoder.dimensions):
            raise ValueError(f"embedding weights of shape {weights.shape} for {len(data['labels'])} labels and an "
                             f"encoder of {encoder.dimensions} dimensions")
        return cls(EmbeddingTable(encoder, remember=False), list(data["labels"]), weights,
                   np.array(data["intercept"], dtype=np.float64), int(data.get("trained_on", 0)))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _fit_heads(x: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One logistic regression per column of `truth`; a column of one value gets a constant head."""
    from sklearn.linear_model import LogisticRegression

    weights = np.zeros((truth.shape[1], x.shape[1]))
    bias = np.zeros(truth.shape[1])
    for j in range(truth.shape[1]):
        column = truth[:, j]
        if column.min() == column.max():
            bias[j] = 10.0 if column.max() else -10.0
            continue
        model = LogisticRegression(C=C, max_iter=MAX_ITERATIONS).fit(x, column)
        weights[j], bias[j] = model.coef_[0], model.intercept_[0]
    return weights, bias


def fit_embedding_signals(pool: EmbeddingPool, train: list[dict], names: list[str]
                          ) -> tuple[EmbeddingSignals, np.ndarray]:
    """The heads, fitted on the pool and the train split, and the train split's cross-fitted scores."""
    from sklearn.model_selection import GroupKFold

    pool_records = corpus.training_extras(pool.records, [], train)  # a pool clause already in train counts once
    pool_x, pool_y = pool.table([r["text"] for r in pool_records]), label_matrix(pool_records, names)
    train_x, train_y = pool.table([r["text"] for r in train]), label_matrix(train, names)
    weights, bias = _fit_heads(np.concatenate([pool_x, train_x]), np.concatenate([pool_y, train_y]))
    fitted = EmbeddingSignals(pool.table, list(names), weights, bias, len(pool_records) + len(train))
    groups = [corpus.group_of(r) for r in train]
    k = min(CROSS_FIT_FOLDS, len(set(groups)))
    if k < 2:  # one jurisdiction: nothing to leave out
        return fitted, fitted.scores([r["text"] for r in train])
    crossfitted = np.zeros((len(train), len(names)))
    for rest, part in GroupKFold(n_splits=k).split(train_x, groups=groups):
        w, b = _fit_heads(np.concatenate([pool_x, train_x[rest]]), np.concatenate([pool_y, train_y[rest]]))
        crossfitted[part] = _sigmoid(train_x[part].astype(np.float64) @ w.T + b)
    return fitted, crossfitted
