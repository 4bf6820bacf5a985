"""Explicit signals a few hundred examples cannot teach a transformer, and the combiner that adds them.

`missing_intent` is a rule of drafting: the clause creates an offence and names no
mental element. A fine-tuned MiniLM sees 127 positives and learns it poorly (F1
about 0.4 on unseen jurisdictions), while two word lists state it exactly. The
same holds, more loosely, for the vague terms behind `overbroad`.

    features = signal_features(["A person who accesses a computer commits an offence."])

The combiner is one logistic regression per label over the transformer's four
logits and these features (stacking), and, where the recipe has them, the scores of
model/embedding_signals.py (what annotated statutes say of clauses of like meaning).
It is fitted on scores the transformer did not train on: the dev split (train.py) or a
fold's dev part (evaluate/crossval.py).
Thresholds are then tuned on cross-fitted dev scores, so that dev is never scored
by a combiner fitted on the same clause. It is stored as plain JSON
(`combiner.json` in the model folder), never as a pickle.
"""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clauseclf import lexicon
from clauseclf.language import looks_english
from clauseclf.model.embedding_signals import EmbeddingSignals

logger = logging.getLogger(__name__)

COMBINER_FILE = "combiner.json"
# The signal model sees ~400 train clauses: mild L2. The blend sees dev's 70-100 clauses with 15-30
# positives a label, and has three numbers a label to fit.
SIGNAL_C = 1.0
BLEND_C = 1.0


# Chinese has no spaces, so lexicon.py's word boundaries never match inside a sentence: these go unbounded.
_CJK_OFFENCE = re.compile(r"处.{0,30}(?:有期徒刑|拘役|罚金|罚款|管制)|构成犯罪|追究刑事责任|依法惩处|予以处罚")
_CJK_INTENT = re.compile(r"故意|明知|蓄意|意图|以.{1,20}为目的|为.{1,20}目的")
_DEFINITION = re.compile(r"\bmeans\b|\bincludes?\b|\bin this (?:act|law|part|section|chapter)\b|\bdefined\b",
                         re.IGNORECASE)
_JUDICIAL = re.compile(r"\b(?:court|judge|judicial|warrant|magistrate|prosecutor)", re.IGNORECASE)
# A penalty or aggravation clause points back to an offence created elsewhere (ANNOTATION.md: no label).
_PENALTY_REFERENCE = re.compile(r"\b(?:offen[cs]e|contravenes?|contravention of) (?:under|referred to in|in|of|"
                                r"provided for (?:in|by)|described in|specified in|mentioned in|defined in) "
                                r"(?:sub-?)?(?:sections?|articles?|paragraphs?)\b|\bcommits the offen[cs]e of\b",
                                re.IGNORECASE)
_OFFENCE_LISTS = (lexicon.OFFENCE_CREATING, lexicon.OFFENCE_CREATING_MORE, lexicon.CRIMINALISING,
                  lexicon.OFFENCE_CREATING_MULTILINGUAL)


def _count(text: str, words: lexicon.Lexicon) -> int:
    return len(lexicon.find_spans(text, words))


def _clause_signals(text: str) -> dict[str, float]:
    offence = any(lexicon.mentions(text, x) for x in _OFFENCE_LISTS) or bool(_CJK_OFFENCE.search(text))
    intent = any(lexicon.mentions(text, x) for x in lexicon.MENTAL_ELEMENT_LISTS) or bool(_CJK_INTENT.search(text))
    negligence = lexicon.mentions(text, lexicon.NEGLIGENCE)
    judicial = bool(_JUDICIAL.search(text))
    return {
        "offence_creating": float(offence),
        "mental_element": float(intent),
        "negligence": float(negligence),
        # The annotation rule for missing_intent, as one feature.
        "offence_without_intent": float(offence and (not intent or negligence)),
        "vague_terms": math.log1p(_count(text, lexicon.VAGUE_TERMS)),
        "unlimited_power": math.log1p(_count(text, lexicon.UNLIMITED_POWER)),
        "expression": math.log1p(_count(text, lexicon.EXPRESSION)),
        "system_act": math.log1p(_count(text, lexicon.SYSTEM_ACT)),
        "definition": float(bool(_DEFINITION.search(text))),
        "judicial_control": float(judicial),
        "penalty_reference": float(bool(_PENALTY_REFERENCE.search(text))),
        # overbroad on powers: held by the police or a ministry, with no court and no stated limit.
        "unchecked_executive_power": float(lexicon.mentions(text, lexicon.EXECUTIVE_POWER) and not judicial
                                           and not lexicon.mentions(text, lexicon.POWER_SAFEGUARD)),
        "power_safeguards": math.log1p(_count(text, lexicon.POWER_SAFEGUARD)),
    }


FEATURE_NAMES = tuple(_clause_signals("x"))


def signal_features(texts: list[str], names: list[str] | tuple[str, ...] = FEATURE_NAMES) -> np.ndarray:
    """One row per text, one column per name in `names` (all of FEATURE_NAMES by default).

    A combiner stored by an older clauseclf names the features it was fitted on, so it
    keeps working after features are added (reading them with today's word lists).

    >>> float(signal_features(["Whoever publishes false news commits an offence."], ["offence_without_intent"])[0, 0])
    1.0
    """
    return np.array([[row[n] for n in names] for row in map(_clause_signals, texts)],
                    dtype=np.float64).reshape(len(texts), len(names))


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-5, 1 - 1e-5)
    return np.log(p / (1 - p))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


Weights = tuple[list[float], float]


@dataclass
class Combiner:
    """Two stages per label, both plain numbers.

    1. `signal_weights`: a logistic regression over FEATURE_NAMES fitted on the *train*
       split (the lexicon signals do not depend on the transformer, so 400 clauses fit
       it, not 70).
    2. `blend_weights`: a logistic regression over [transformer logit, signal logit] fitted
       on dev, where the transformer's scores are honest. Three numbers a label.

    A label whose stage is None keeps the transformer's own score. With `english_only`,
    so does every clause that is not in English (language.py): the vague-term and
    power lexicons are English, and on other languages the blend trusted their silence.
    The gate acts here only; both stages are fitted on all clauses, since the offence
    and mental-element lists are multilingual (fitting on English alone scored 0.661
    macro-F1 against 0.684 on the 4 folds: docs/quality.md).
    """

    labels: list[str]
    features: list[str]
    """The lexicon features (of FEATURE_NAMES) the signal model reads, in order."""
    signal_weights: dict[str, Weights | None]
    blend_weights: dict[str, Weights | None]
    english_only: bool = False
    embedding: EmbeddingSignals | None = None
    """Read by the signal model after the lexicon features: one score per label (embedding_signals.py)."""

    @property
    def inputs(self) -> list[str]:
        """Every input of the signal model, in order."""
        return self.features + (self.embedding.feature_names if self.embedding else [])

    def gated(self, texts: list[str]) -> np.ndarray:
        """Which texts the signals apply to."""
        if not self.english_only:
            return np.ones(len(texts), dtype=bool)
        return np.array([looks_english(t) for t in texts], dtype=bool)

    def signal_inputs(self, texts: list[str], embedding_scores: np.ndarray | None = None) -> np.ndarray:
        """The signal model's inputs; `embedding_scores` stands in for the embedding's own (cross-fitted ones)."""
        x = signal_features(texts, self.features)
        if self.embedding is None:
            return x
        scores = self.embedding.scores(texts) if embedding_scores is None else embedding_scores
        return np.hstack([x, scores])

    def signal_scores(self, texts: list[str], embedding_scores: np.ndarray | None = None) -> np.ndarray:
        x = self.signal_inputs(texts, embedding_scores)
        columns = [np.full(len(texts), 0.5) if (w := self.signal_weights.get(n)) is None
                   else _sigmoid(x @ np.array(w[0]) + w[1]) for n in self.labels]
        return np.stack(columns, axis=1) if columns else np.zeros((len(texts), 0))

    def apply(self, probabilities: np.ndarray, texts: list[str]) -> np.ndarray:
        if len(texts) == 0:
            return probabilities
        out = np.array(probabilities, dtype=np.float32, copy=True)
        rows = self.gated(texts)
        if not rows.any():
            return out
        signal = _logit(self.signal_scores([t for t, keep in zip(texts, rows) if keep]))
        transformer = _logit(probabilities[rows])
        for i, name in enumerate(self.labels):
            blend = self.blend_weights.get(name)
            if blend is not None and self.signal_weights.get(name) is not None:
                (a, b), c = blend
                out[rows, i] = _sigmoid(a * transformer[:, i] + b * signal[:, i] + c)
        return out

    def to_json(self) -> dict:
        def dump(w: Weights | None) -> dict | None:
            return None if w is None else {"coef": [round(float(c), 6) for c in w[0]], "intercept": round(float(w[1]), 6)}

        return {
            "kind": "stacking logistic regression (clauseclf.model.signals)",
            "labels": self.labels, "features": self.features, "english_only": self.english_only,
            "embedding_signals": self.embedding.to_json() if self.embedding else None,
            "signal_weights": {n: dump(w) for n, w in self.signal_weights.items()},
            "blend_inputs": ["transformer logit", "signal logit"],
            "blend_weights": {n: dump(w) for n, w in self.blend_weights.items()},
        }

    @classmethod
    def from_json(cls, data: dict, setting: str = "combiner.json") -> "Combiner":
        """`setting` names the file, for an error about the embedding signals' encoder."""
        features = list(data["features"])
        unknown = [name for name in features if name not in FEATURE_NAMES]
        if unknown:
            raise ValueError(f"combiner features {unknown} are not among this clauseclf's {list(FEATURE_NAMES)}")
        embedding = (EmbeddingSignals.from_json(data["embedding_signals"], f"{setting}: embedding_signals.encoder")
                     if data.get("embedding_signals") else None)  # older folders: none
        inputs = len(features) + (len(embedding.labels) if embedding else 0)

        def load(w: dict | None, inputs: int) -> Weights | None:
            if w is not None and len(w["coef"]) != inputs:
                raise ValueError(f"{len(w['coef'])} weights for {inputs} inputs")
            return None if w is None else (list(map(float, w["coef"])), float(w["intercept"]))

        return cls(list(data["labels"]), features, {n: load(w, inputs) for n, w in data["signal_weights"].items()},
                   {n: load(w, 2) for n, w in data["blend_weights"].items()},
                   english_only=bool(data.get("english_only", False)),  # older folders: no gate
                   embedding=embedding)

    def save(self, folder: Path) -> Path:
        from clauseclf.outputs import atomic_write_text

        path = Path(folder) / COMBINER_FILE
        atomic_write_text(path, json.dumps(self.to_json(), indent=2) + "\n")
        return path


def load_combiner(folder: Path) -> Combiner | None:
    path = Path(folder) / COMBINER_FILE
    if not path.is_file():
        return None
    from clauseclf.errors import ClauseclfError, ModelFolderError

    try:
        return Combiner.from_json(json.loads(path.read_text(encoding="utf-8")), str(path))
    except ClauseclfError as error:  # the embedding signals' encoder cannot be loaded here
        raise ModelFolderError(f"{error}; the combiner reads that encoder's embeddings") from None
    except (ValueError, KeyError, TypeError) as error:
        raise ModelFolderError(f"{path}: not a usable combiner ({error}); retrain the model or delete the file") from None


def _fit_weights(x: np.ndarray, y: np.ndarray, c: float) -> Weights | None:
    from sklearn.linear_model import LogisticRegression

    if y.min() == y.max() or min(y.sum(), len(y) - y.sum()) < 3:
        return None  # too few of one class to fit: keep the transformer's own score
    model = LogisticRegression(C=c, max_iter=2000).fit(x, y)
    return model.coef_[0].tolist(), float(model.intercept_[0])


def fit_signal_model(texts: list[str], truth: np.ndarray, names: list[str], embedding: EmbeddingSignals | None = None,
                     embedding_scores: np.ndarray | None = None) -> Combiner:
    """Stage 1 on the train clauses; `embedding_scores`: the train clauses' cross-fitted embedding scores."""
    combiner = Combiner(list(names), list(FEATURE_NAMES), {}, {}, embedding=embedding)
    x = combiner.signal_inputs(texts, embedding_scores)
    combiner.signal_weights = {n: _fit_weights(x, truth[:, i], SIGNAL_C) for i, n in enumerate(names)}
    return combiner


def fit_blend(combiner: Combiner, probabilities: np.ndarray, texts: list[str], truth: np.ndarray) -> dict:
    signal = _logit(combiner.signal_scores(texts))
    transformer = _logit(probabilities)
    return {n: _fit_weights(np.stack([transformer[:, i], signal[:, i]], axis=1), truth[:, i], BLEND_C)
            for i, n in enumerate(combiner.labels)}


def fit_combiner(probabilities: np.ndarray, texts: list[str], truth: np.ndarray, names: list[str],
                 groups: list[str], train_texts: list[str], train_truth: np.ndarray,
                 folds: int = 5, english_only: bool = False, embedding: EmbeddingSignals | None = None,
                 train_embedding_scores: np.ndarray | None = None) -> tuple[Combiner, np.ndarray]:
    """The combiner (signal model on train, blend on all of dev), and cross-fitted dev scores for thresholds.

    Cross-fitting groups dev by jurisdiction, as everything else does: each dev clause
    is scored by a blend fitted on the other dev jurisdictions.
    """
    from sklearn.model_selection import GroupKFold

    combiner = fit_signal_model(train_texts, train_truth, names, embedding, train_embedding_scores)
    combiner.english_only = english_only
    combiner.blend_weights = fit_blend(combiner, probabilities, texts, truth)
    crossfitted = np.array(probabilities, dtype=np.float32, copy=True)
    k = min(folds, len(set(groups)))
    if k < 2:
        return combiner, combiner.apply(probabilities, texts)
    for rest, part in GroupKFold(n_splits=k).split(texts, groups=groups):
        inner = Combiner(combiner.labels, combiner.features, combiner.signal_weights, {}, english_only, embedding)
        inner.blend_weights = fit_blend(inner, probabilities[rest], [texts[i] for i in rest], truth[rest])
        crossfitted[part] = inner.apply(probabilities[part], [texts[i] for i in part])
    return combiner, crossfitted
