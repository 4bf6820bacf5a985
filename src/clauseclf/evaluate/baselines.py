"""Two transparent baselines that every model is reported beside.

- KeywordBaseline: the rules an analyst would write from ANNOTATION.md with the
  word lists of lexicon.py. No training.
- TfidfLogisticBaseline: word and bigram TF-IDF with one balanced logistic
  regression per label, trained on the same train split as the model.

Both expose `predict(texts) -> (0/1 matrix, scores)` over the label names given.
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from clauseclf import lexicon


class KeywordBaseline:
    name = "keyword rules"

    def __init__(self, names: list[str]):
        self.names = names

    def rule_scores(self, text: str) -> dict[str, float]:
        creates_offence = lexicon.mentions(text, lexicon.OFFENCE_CREATING)
        has_intent = lexicon.mentions(text, lexicon.MENTAL_ELEMENT) and not lexicon.mentions(text, lexicon.NEGLIGENCE)
        expression = len(lexicon.find_spans(text, lexicon.EXPRESSION))
        system = len(lexicon.find_spans(text, lexicon.SYSTEM_ACT))
        vague = len(lexicon.find_spans(text, lexicon.VAGUE_TERMS))
        power = len(lexicon.find_spans(text, lexicon.UNLIMITED_POWER))
        return {
            "core_cybercrime": float(creates_offence and system >= 2 and expression <= system // 2),
            "content_offence": float(expression >= 1 and expression >= system // 2 and creates_offence),
            "missing_intent": float(creates_offence and not has_intent),
            "overbroad": float(vague >= 2 or (vague >= 1 and creates_offence) or power >= 2),
        }

    def predict(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        scores = np.array([[self.rule_scores(t).get(n, 0.0) for n in self.names] for t in texts], dtype=np.float32)
        return (scores >= 0.5).astype(np.int32), scores


class TfidfLogisticBaseline:
    name = "TF-IDF + logistic regression"

    def __init__(self, names: list[str], seed: int = 0):
        self.names = names
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        self.models: list[LogisticRegression | float] = []
        self.seed = seed

    def fit(self, texts: list[str], truth: np.ndarray) -> "TfidfLogisticBaseline":
        features = self.vectorizer.fit_transform(texts)
        self.models = []
        for i in range(len(self.names)):
            column = truth[:, i]
            if column.min() == column.max():  # a label never (or always) seen: predict its rate
                self.models.append(float(column.max()))
                continue
            model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000, random_state=self.seed)
            self.models.append(model.fit(features, column))
        return self

    def predict(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        features = self.vectorizer.transform(texts)
        columns = [np.full(len(texts), m) if isinstance(m, float) else m.predict_proba(features)[:, 1]
                   for m in self.models]
        scores = np.stack(columns, axis=1).astype(np.float32)
        return (scores >= 0.5).astype(np.int32), scores
